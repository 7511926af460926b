using System.Threading.Tasks;

namespace System.Runtime.CompilerServices
{
    /// <summary>task.ConfigureAwait(bool): there is one context (the event loop), so it awaits exactly as the task itself does.</summary>
    public readonly struct ConfiguredTaskAwaitable
    {
        private readonly Task _task;

        internal ConfiguredTaskAwaitable(Task task) { _task = task; }

        public ConfiguredTaskAwaiter GetAwaiter() => new ConfiguredTaskAwaiter(_task);

        public readonly struct ConfiguredTaskAwaiter : ICriticalNotifyCompletion
        {
            private readonly Task _task;

            internal ConfiguredTaskAwaiter(Task task) { _task = task; }

            public bool IsCompleted => _task.IsCompleted;
            public void OnCompleted(Action continuation) => TaskAwaiter.OnCompleted(_task, continuation);
            public void UnsafeOnCompleted(Action continuation) => TaskAwaiter.OnCompleted(_task, continuation);
            public void GetResult() => TaskAwaiter.WaitAndThrow(_task);
        }
    }

    public readonly struct ConfiguredTaskAwaitable<TResult>
    {
        private readonly Task<TResult> _task;

        internal ConfiguredTaskAwaitable(Task<TResult> task) { _task = task; }

        public ConfiguredTaskAwaiter GetAwaiter() => new ConfiguredTaskAwaiter(_task);

        public readonly struct ConfiguredTaskAwaiter : ICriticalNotifyCompletion
        {
            private readonly Task<TResult> _task;

            internal ConfiguredTaskAwaiter(Task<TResult> task) { _task = task; }

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
}
