using System.Threading.Tasks;

namespace System.Runtime.CompilerServices
{
    /// <summary>Awaiting a ValueTask: complete at once when it holds a result, else as its task.</summary>
    public readonly struct ValueTaskAwaiter : ICriticalNotifyCompletion
    {
        private readonly ValueTask _value;

        internal ValueTaskAwaiter(ValueTask value) { _value = value; }

        public bool IsCompleted => _value.IsCompleted;
        public void OnCompleted(Action continuation) => TaskAwaiter.OnCompleted(_value.AsTask(), continuation);
        public void UnsafeOnCompleted(Action continuation) => TaskAwaiter.OnCompleted(_value.AsTask(), continuation);

        public void GetResult()
        {
            Task task = _value.TaskOrNull;
            if (task != null) TaskAwaiter.WaitAndThrow(task);
        }
    }

    public readonly struct ValueTaskAwaiter<TResult> : ICriticalNotifyCompletion
    {
        private readonly ValueTask<TResult> _value;

        internal ValueTaskAwaiter(ValueTask<TResult> value) { _value = value; }

        public bool IsCompleted => _value.IsCompleted;
        public void OnCompleted(Action continuation) => TaskAwaiter.OnCompleted(_value.AsTask(), continuation);
        public void UnsafeOnCompleted(Action continuation) => TaskAwaiter.OnCompleted(_value.AsTask(), continuation);

        public TResult GetResult()
        {
            Task<TResult> task = _value.TaskOrNull;
            if (task == null) return _value.ImmediateResult;
            TaskAwaiter.WaitAndThrow(task);
            return task.ResultUnchecked;
        }
    }

    /// <summary>valueTask.ConfigureAwait(bool): the same as awaiting the ValueTask itself (one context).</summary>
    public readonly struct ConfiguredValueTaskAwaitable
    {
        private readonly ValueTask _value;

        internal ConfiguredValueTaskAwaitable(ValueTask value) { _value = value; }

        public ConfiguredValueTaskAwaiter GetAwaiter() => new ConfiguredValueTaskAwaiter(_value);

        public readonly struct ConfiguredValueTaskAwaiter : ICriticalNotifyCompletion
        {
            private readonly ValueTaskAwaiter _inner;

            internal ConfiguredValueTaskAwaiter(ValueTask value) { _inner = new ValueTaskAwaiter(value); }

            public bool IsCompleted => _inner.IsCompleted;
            public void OnCompleted(Action continuation) => _inner.OnCompleted(continuation);
            public void UnsafeOnCompleted(Action continuation) => _inner.UnsafeOnCompleted(continuation);
            public void GetResult() => _inner.GetResult();
        }
    }

    public readonly struct ConfiguredValueTaskAwaitable<TResult>
    {
        private readonly ValueTask<TResult> _value;

        internal ConfiguredValueTaskAwaitable(ValueTask<TResult> value) { _value = value; }

        public ConfiguredValueTaskAwaiter GetAwaiter() => new ConfiguredValueTaskAwaiter(_value);

        public readonly struct ConfiguredValueTaskAwaiter : ICriticalNotifyCompletion
        {
            private readonly ValueTaskAwaiter<TResult> _inner;

            internal ConfiguredValueTaskAwaiter(ValueTask<TResult> value) { _inner = new ValueTaskAwaiter<TResult>(value); }

            public bool IsCompleted => _inner.IsCompleted;
            public void OnCompleted(Action continuation) => _inner.OnCompleted(continuation);
            public void UnsafeOnCompleted(Action continuation) => _inner.UnsafeOnCompleted(continuation);
            public TResult GetResult() => _inner.GetResult();
        }
    }
}
