using System.Collections.Generic;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace System.Threading.Tasks
{
    /// <summary>
    /// An asynchronous operation, as .NET's Task, on the kernel's single thread. Completing a task never runs user
    /// code on the completer's stack: awaits' continuations are posted to the event loop (System.Runtime.EventLoop;
    /// see there why), Core's own listeners (WhenAll, WhenAny, ContinueWith) only complete other tasks or post work.
    /// Blocking (Wait, Result, GetAwaiter().GetResult()) runs the event loop until the task completes.
    ///
    /// Outcomes as .NET: a faulted task keeps every exception; awaiting it throws the first (the same object);
    /// Wait and Result throw an AggregateException of all of them; a canceled task throws, when awaited, the
    /// OperationCanceledException that canceled it or a new TaskCanceledException, and from Wait and Result an
    /// AggregateException holding a TaskCanceledException.
    /// </summary>
    public partial class Task : IDisposable
    {
        private static int s_lastId;

        private TaskStatus _status;
        private readonly TaskCreationOptions _options;
        private readonly object _state;
        private int _id;
        private object _continuations;                 // null, one continuation, or a List<object> of them
        private List<ExceptionDispatchInfo> _faults;
        private ExceptionDispatchInfo _cancellation;   // the OperationCanceledException that canceled it, if any
        private CancellationToken _cancellationToken;

        /// <summary>A promise: completed later by whoever created it.</summary>
        internal Task(TaskCreationOptions options = TaskCreationOptions.None, object state = null)
        {
            _status = TaskStatus.WaitingForActivation;
            _options = options;
            _state = state;
        }

        private Task(TaskStatus finalStatus) { _status = finalStatus; }

        public int Id => _id != 0 ? _id : (_id = ++s_lastId);
        public static int? CurrentId => null;
        public object AsyncState => _state;
        public TaskCreationOptions CreationOptions => _options;
        public TaskStatus Status => _status;
        public bool IsCompleted => _status >= TaskStatus.RanToCompletion;
        public bool IsCompletedSuccessfully => _status == TaskStatus.RanToCompletion;
        public bool IsFaulted => _status == TaskStatus.Faulted;
        public bool IsCanceled => _status == TaskStatus.Canceled;

        /// <summary>All the exceptions of a faulted task (null otherwise).</summary>
        public AggregateException Exception => IsFaulted ? new AggregateException(FaultList()) : null;

        internal CancellationToken CancellationTokenForException => _cancellationToken;

        internal void SetStatus(TaskStatus status) => _status = status;

        // ---- completion ----

        internal bool TrySetRanToCompletion()
        {
            if (IsCompleted) return false;
            Finish(TaskStatus.RanToCompletion);
            return true;
        }

        internal bool TrySetFaulted(Exception exception)
        {
            if (IsCompleted) return false;
            _faults = new List<ExceptionDispatchInfo> { ExceptionDispatchInfo.Capture(exception) };
            Finish(TaskStatus.Faulted);
            return true;
        }

        internal bool TrySetFaulted(List<Exception> exceptions)
        {
            if (IsCompleted) return false;
            _faults = new List<ExceptionDispatchInfo>(exceptions.Count);
            for (int i = 0; i < exceptions.Count; i++) _faults.Add(ExceptionDispatchInfo.Capture(exceptions[i]));
            Finish(TaskStatus.Faulted);
            return true;
        }

        internal bool TrySetCanceled(CancellationToken token, OperationCanceledException cause = null)
        {
            if (IsCompleted) return false;
            _cancellationToken = token;
            if (cause != null) _cancellation = ExceptionDispatchInfo.Capture(cause);
            Finish(TaskStatus.Canceled);
            return true;
        }

        /// <summary>Ends as <paramref name="source"/> ended (its result is copied by Task&lt;T&gt;'s override).</summary>
        internal virtual bool TrySetFrom(Task source)
        {
            if (IsCompleted) return false;
            if (source.IsFaulted)
            {
                _faults = source._faults;
                Finish(TaskStatus.Faulted);
                return true;
            }
            if (source.IsCanceled)
            {
                _cancellationToken = source._cancellationToken;
                _cancellation = source._cancellation;
                Finish(TaskStatus.Canceled);
                return true;
            }
            return TrySetRanToCompletion();
        }

        /// <summary>What a method body that threw makes of the task: canceled for an OperationCanceledException, as .NET's async methods.</summary>
        internal bool TrySetFromException(Exception exception) =>
            exception is OperationCanceledException oce ? TrySetCanceled(oce.CancellationToken, oce) : TrySetFaulted(exception);

        private void Finish(TaskStatus status)
        {
            _status = status;
            object continuations = _continuations;
            _continuations = null;
            if (continuations is List<object> list)
                for (int i = 0; i < list.Count; i++) Dispatch(list[i]);
            else if (continuations != null)
                Dispatch(continuations);
        }

        private void Dispatch(object continuation)
        {
            if (continuation is Action action) EventLoop.Post(action);
            else ((ITaskCompletionListener)continuation).OnCompleted(this);
        }

        /// <summary>An await's continuation (posted to the event loop) or a listener (called at once); both at once if already complete.</summary>
        internal void AddContinuation(object continuation)
        {
            if (IsCompleted)
            {
                Dispatch(continuation);
                return;
            }
            if (_continuations == null) _continuations = continuation;
            else if (_continuations is List<object> list) list.Add(continuation);
            else _continuations = new List<object> { _continuations, continuation };
        }

        internal void RemoveContinuation(object continuation)
        {
            if (_continuations == continuation) _continuations = null;
            else if (_continuations is List<object> list) list.Remove(continuation);
        }

        private List<Exception> FaultList()
        {
            var list = new List<Exception>(_faults.Count);
            for (int i = 0; i < _faults.Count; i++) list.Add(_faults[i].SourceException);
            return list;
        }

        // ---- waiting ----

        public void Wait()
        {
            if (!IsCompleted) EventLoop.RunUntilComplete(this);
            ThrowIfExceptional();
        }

        public bool Wait(TimeSpan timeout) => Wait(TimeoutMilliseconds(timeout, nameof(timeout)));

        /// <summary>Runs the event loop until the task completes or the timeout passes; false on timeout.</summary>
        public bool Wait(int millisecondsTimeout)
        {
            if (millisecondsTimeout < -1) throw new ArgumentOutOfRangeException(nameof(millisecondsTimeout));
            if (!IsCompleted)
            {
                if (millisecondsTimeout == -1) EventLoop.RunUntilComplete(this);
                else if (!EventLoop.RunUntilCompleteOrDeadline(this, TimeSources.NanosecondsSinceBoot + millisecondsTimeout * 1_000_000L)) return false;
            }
            ThrowIfExceptional();
            return true;
        }

        /// <summary>Wait and Result: every exception in an AggregateException, a TaskCanceledException for cancellation.</summary>
        internal void ThrowIfExceptional()
        {
            if (IsFaulted) throw new AggregateException(FaultList());
            if (IsCanceled) throw new AggregateException(new TaskCanceledException(this));
        }

        /// <summary>An await: the first exception itself, or the cancellation's.</summary>
        internal void ThrowForAwait()
        {
            if (IsFaulted) _faults[0].Throw();
            if (IsCanceled)
            {
                if (_cancellation != null) _cancellation.Throw();
                throw new TaskCanceledException(this);
            }
        }

        internal static int TimeoutMilliseconds(TimeSpan timeout, string paramName)
        {
            long ms = (long)timeout.TotalMilliseconds;
            if (ms < -1 || ms > int.MaxValue) throw new ArgumentOutOfRangeException(paramName);
            return (int)ms;
        }

        public static void WaitAll(params Task[] tasks)
        {
            Task all = WhenAll(tasks);
            if (!all.IsCompleted) EventLoop.RunUntilComplete(all);
            var failures = new List<Exception>();
            for (int i = 0; i < tasks.Length; i++)
            {
                if (tasks[i].IsFaulted) failures.AddRange(tasks[i].FaultList());
                else if (tasks[i].IsCanceled) failures.Add(new TaskCanceledException(tasks[i]));
            }
            if (failures.Count > 0) throw new AggregateException(failures);
        }

        // ---- awaiting ----

        public TaskAwaiter GetAwaiter() => new TaskAwaiter(this);

        /// <summary>Accepted as on .NET; there is one context, so both values behave the same.</summary>
        public ConfiguredTaskAwaitable ConfigureAwait(bool continueOnCapturedContext) => new ConfiguredTaskAwaitable(this);

        public void Dispose() { }
    }
}
