namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// <c>await Task.Yield()</c>: never complete when asked, so the method always gives way; its continuation goes to
    /// the back of the event loop's run queue, behind everything already ready.
    /// </summary>
    public readonly struct YieldAwaitable
    {
        public YieldAwaiter GetAwaiter() => default;

        public readonly struct YieldAwaiter : ICriticalNotifyCompletion
        {
            public bool IsCompleted => false;

            public void OnCompleted(Action continuation) => EventLoop.Post(continuation);
            public void UnsafeOnCompleted(Action continuation) => EventLoop.Post(continuation);
            public void GetResult() { }
        }
    }
}
