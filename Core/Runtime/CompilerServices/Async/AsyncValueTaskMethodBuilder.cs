using System.Threading.Tasks;

namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// Builds the ValueTask of an async method: a method that completes before its first incomplete await keeps its
    /// result in the builder and allocates no task; otherwise the task builder underneath makes one.
    /// </summary>
    public struct AsyncValueTaskMethodBuilder<TResult>
    {
        private AsyncTaskMethodBuilder<TResult> _builder;
        private bool _haveResult;
        private TResult _result;

        public static AsyncValueTaskMethodBuilder<TResult> Create() => default;

        public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
            _builder.Start(ref stateMachine);

        public void SetStateMachine(IAsyncStateMachine stateMachine) => _builder.SetStateMachine(stateMachine);

        public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
            where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
            _builder.AwaitOnCompleted(ref awaiter, ref stateMachine);

        public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
            where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
            _builder.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);

        public void SetResult(TResult result)
        {
            if (_builder.HasTask)
            {
                _builder.SetResult(result);
                return;
            }
            _result = result;
            _haveResult = true;
        }

        public void SetException(Exception exception) => _builder.SetException(exception);

        public ValueTask<TResult> Task => _haveResult ? new ValueTask<TResult>(_result) : new ValueTask<TResult>(_builder.Task);
    }

    /// <summary>Builds the ValueTask of an async method without a result.</summary>
    public struct AsyncValueTaskMethodBuilder
    {
        private AsyncTaskMethodBuilder _builder;
        private bool _done;

        public static AsyncValueTaskMethodBuilder Create() => default;

        public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
            _builder.Start(ref stateMachine);

        public void SetStateMachine(IAsyncStateMachine stateMachine) => _builder.SetStateMachine(stateMachine);

        public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
            where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
            _builder.AwaitOnCompleted(ref awaiter, ref stateMachine);

        public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
            where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
            _builder.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);

        public void SetResult()
        {
            if (_builder.HasTask) _builder.SetResult();
            else _done = true;
        }

        public void SetException(Exception exception) => _builder.SetException(exception);

        public ValueTask Task => _done ? default : new ValueTask(_builder.Task);
    }
}
