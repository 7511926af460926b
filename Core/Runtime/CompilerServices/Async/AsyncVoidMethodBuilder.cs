using System.Runtime.ExceptionServices;

namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// Builds an async void method. Nobody can observe its outcome, so, as .NET does on a synchronization context,
    /// an exception it lets escape is thrown again from the event loop: it reaches whoever is running the loop
    /// (RunOnce or a blocking wait), and uncaught there it is the kernel's usual unhandled-exception panic.
    /// </summary>
    public struct AsyncVoidMethodBuilder
    {
        private AsyncTaskMethodBuilder _builder;

        public static AsyncVoidMethodBuilder Create() => default;

        public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
            _builder.Start(ref stateMachine);

        public void SetStateMachine(IAsyncStateMachine stateMachine) => _builder.SetStateMachine(stateMachine);

        public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
            where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
            _builder.AwaitOnCompleted(ref awaiter, ref stateMachine);

        public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
            where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
            _builder.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);

        public void SetResult() { }

        public void SetException(Exception exception)
        {
            if (exception == null) throw new ArgumentNullException(nameof(exception));
            ExceptionDispatchInfo info = ExceptionDispatchInfo.Capture(exception);
            EventLoop.Post(info.Throw);
        }
    }
}
