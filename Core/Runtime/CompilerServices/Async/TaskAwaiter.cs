using System.Threading.Tasks;

namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// What <c>await task</c> compiles to. OnCompleted queues the continuation on the task (run from the event loop);
    /// GetResult on an incomplete task (a synchronous caller, e.g. an async Main's entry point) runs the event loop
    /// until it completes, then throws the task's first exception itself, or its cancellation.
    /// </summary>
    public readonly struct TaskAwaiter : ICriticalNotifyCompletion
    {
        private readonly Task _task;

        internal TaskAwaiter(Task task) { _task = task; }

        public bool IsCompleted => _task.IsCompleted;

        public void OnCompleted(Action continuation) => OnCompleted(_task, continuation);
        public void UnsafeOnCompleted(Action continuation) => OnCompleted(_task, continuation);

        public void GetResult() => WaitAndThrow(_task);

        internal static void OnCompleted(Task task, Action continuation)
        {
            if (continuation == null) throw new ArgumentNullException(nameof(continuation));
            task.AddContinuation(continuation);
        }

        internal static void WaitAndThrow(Task task)
        {
            if (!task.IsCompleted) EventLoop.RunUntilComplete(task);
            if (!task.IsCompletedSuccessfully) task.ThrowForAwait();
        }
    }

    public readonly struct TaskAwaiter<TResult> : ICriticalNotifyCompletion
    {
        private readonly Task<TResult> _task;

        internal TaskAwaiter(Task<TResult> task) { _task = task; }

        public bool IsCompleted => _task.IsCompleted;

        public void OnCompleted(Action continuation) => TaskAwaiter.OnCompleted(_task, continuation);
        public void UnsafeOnCompleted(Action continuation) => TaskAwaiter.OnCompleted(_task, continuation);

        public TResult GetResult()
        {
            TaskAwaiter.WaitAndThrow(_task);
            return _task.ResultUnchecked;
        }
    }
}
