using System.Collections.Generic;

namespace System.Threading.Tasks
{
    /// <summary>
    /// The producer side of a task that no method body completes: a device reply, a timer, a packet. Setting it
    /// from anywhere (inside the network stack, too) is safe: awaiters resume later, from the event loop.
    /// RunContinuationsAsynchronously is accepted; continuations here are always asynchronous.
    /// </summary>
    public class TaskCompletionSource
    {
        private readonly Task _task;

        public TaskCompletionSource() : this(null, TaskCreationOptions.None) { }
        public TaskCompletionSource(TaskCreationOptions creationOptions) : this(null, creationOptions) { }
        public TaskCompletionSource(object state) : this(state, TaskCreationOptions.None) { }
        public TaskCompletionSource(object state, TaskCreationOptions creationOptions) { _task = new Task(creationOptions, state); }

        public Task Task => _task;

        public void SetResult() { if (!TrySetResult()) ThrowAlreadyCompleted(); }
        public bool TrySetResult() => _task.TrySetRanToCompletion();

        public void SetException(Exception exception) { if (!TrySetException(exception)) ThrowAlreadyCompleted(); }
        public void SetException(IEnumerable<Exception> exceptions) { if (!TrySetException(exceptions)) ThrowAlreadyCompleted(); }

        public bool TrySetException(Exception exception)
        {
            if (exception == null) throw new ArgumentNullException(nameof(exception));
            return _task.TrySetFaulted(exception);
        }

        public bool TrySetException(IEnumerable<Exception> exceptions) => _task.TrySetFaulted(CheckedExceptions(exceptions));

        public void SetCanceled() => SetCanceled(default);
        public void SetCanceled(CancellationToken cancellationToken) { if (!TrySetCanceled(cancellationToken)) ThrowAlreadyCompleted(); }
        public bool TrySetCanceled() => TrySetCanceled(default);
        public bool TrySetCanceled(CancellationToken cancellationToken) => _task.TrySetCanceled(cancellationToken);

        internal static List<Exception> CheckedExceptions(IEnumerable<Exception> exceptions)
        {
            if (exceptions == null) throw new ArgumentNullException(nameof(exceptions));
            var list = new List<Exception>(exceptions);
            if (list.Count == 0) throw new ArgumentException("The exceptions collection was empty.", nameof(exceptions));
            for (int i = 0; i < list.Count; i++)
                if (list[i] == null) throw new ArgumentException("The exceptions collection included at least one null element.", nameof(exceptions));
            return list;
        }

        internal static void ThrowAlreadyCompleted() =>
            throw new InvalidOperationException("An attempt was made to transition a task to a final state when it had already completed.");
    }

    /// <summary>TaskCompletionSource with a result.</summary>
    public class TaskCompletionSource<TResult>
    {
        private readonly Task<TResult> _task;

        public TaskCompletionSource() : this(null, TaskCreationOptions.None) { }
        public TaskCompletionSource(TaskCreationOptions creationOptions) : this(null, creationOptions) { }
        public TaskCompletionSource(object state) : this(state, TaskCreationOptions.None) { }
        public TaskCompletionSource(object state, TaskCreationOptions creationOptions) { _task = new Task<TResult>(creationOptions, state); }

        public Task<TResult> Task => _task;

        public void SetResult(TResult result) { if (!TrySetResult(result)) TaskCompletionSource.ThrowAlreadyCompleted(); }
        public bool TrySetResult(TResult result) => _task.TrySetResult(result);

        public void SetException(Exception exception) { if (!TrySetException(exception)) TaskCompletionSource.ThrowAlreadyCompleted(); }
        public void SetException(IEnumerable<Exception> exceptions) { if (!TrySetException(exceptions)) TaskCompletionSource.ThrowAlreadyCompleted(); }

        public bool TrySetException(Exception exception)
        {
            if (exception == null) throw new ArgumentNullException(nameof(exception));
            return _task.TrySetFaulted(exception);
        }

        public bool TrySetException(IEnumerable<Exception> exceptions) => _task.TrySetFaulted(TaskCompletionSource.CheckedExceptions(exceptions));

        public void SetCanceled() => SetCanceled(default);
        public void SetCanceled(CancellationToken cancellationToken) { if (!TrySetCanceled(cancellationToken)) TaskCompletionSource.ThrowAlreadyCompleted(); }
        public bool TrySetCanceled() => TrySetCanceled(default);
        public bool TrySetCanceled(CancellationToken cancellationToken) => _task.TrySetCanceled(cancellationToken);
    }
}
