using System.Threading.Tasks;

namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// Builds the Task of an async method returning Task<typeparamref name="TResult"/>. Start runs the method
    /// synchronously to its first incomplete await; each such await registers the boxed state machine's MoveNext
    /// with the awaiter, which the awaited task posts to the event loop when it completes.
    /// </summary>
    public struct AsyncTaskMethodBuilder<TResult>
    {
        private Task<TResult> _task;
        private StateMachineBox _box;

        public static AsyncTaskMethodBuilder<TResult> Create() => default;

        public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
        {
            if (stateMachine == null) throw new ArgumentNullException(nameof(stateMachine));
            stateMachine.MoveNext();
        }

        public void SetStateMachine(IAsyncStateMachine stateMachine)
        {
            if (stateMachine == null) throw new ArgumentNullException(nameof(stateMachine));
        }

        public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
            where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine
        {
            _task ??= new Task<TResult>(); // before the box copies the state machine, so both copies share it
            awaiter.OnCompleted(StateMachineBox.ContinuationFor(ref _box, ref stateMachine));
        }

        public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
            where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine
        {
            _task ??= new Task<TResult>();
            awaiter.UnsafeOnCompleted(StateMachineBox.ContinuationFor(ref _box, ref stateMachine));
        }

        public Task<TResult> Task => _task ??= new Task<TResult>();

        internal bool HasTask => _task != null;

        public void SetResult(TResult result)
        {
            if (_task == null)
            {
                _task = System.Threading.Tasks.Task.FromResult(result);
                return;
            }
            if (!_task.TrySetResult(result)) TaskCompletionSource.ThrowAlreadyCompleted();
        }

        public void SetException(Exception exception)
        {
            if (exception == null) throw new ArgumentNullException(nameof(exception));
            _task ??= new Task<TResult>();
            if (!_task.TrySetFromException(exception)) TaskCompletionSource.ThrowAlreadyCompleted();
        }
    }

    /// <summary>Builds the Task of an async method returning Task (a Task&lt;VoidTaskResult&gt; underneath).</summary>
    public struct AsyncTaskMethodBuilder
    {
        private AsyncTaskMethodBuilder<VoidTaskResult> _builder;

        public static AsyncTaskMethodBuilder Create() => default;

        public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
            _builder.Start(ref stateMachine);

        public void SetStateMachine(IAsyncStateMachine stateMachine) => _builder.SetStateMachine(stateMachine);

        public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
            where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
            _builder.AwaitOnCompleted(ref awaiter, ref stateMachine);

        public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
            where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
            _builder.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);

        public Task Task => _builder.Task;

        internal bool HasTask => _builder.HasTask;

        public void SetResult() => _builder.SetResult(default);

        public void SetException(Exception exception) => _builder.SetException(exception);
    }
}
