using System.Runtime.CompilerServices;

namespace System.Threading.Tasks
{
    /// <summary>
    /// A result that is often ready at once: either nothing (already successful) or a Task. IValueTaskSource is not
    /// supported; ValueTask-returning async methods that finish without awaiting allocate no task.
    /// </summary>
    [AsyncMethodBuilder(typeof(AsyncValueTaskMethodBuilder))]
    public readonly struct ValueTask : IEquatable<ValueTask>
    {
        private readonly Task _task; // null: completed successfully

        public ValueTask(Task task)
        {
            if (task == null) throw new ArgumentNullException(nameof(task));
            _task = task;
        }

        public static ValueTask CompletedTask => default;
        public static ValueTask<TResult> FromResult<TResult>(TResult result) => new ValueTask<TResult>(result);
        public static ValueTask FromException(Exception exception) => new ValueTask(Task.FromException(exception));
        public static ValueTask<TResult> FromException<TResult>(Exception exception) => new ValueTask<TResult>(Task.FromException<TResult>(exception));
        public static ValueTask FromCanceled(CancellationToken cancellationToken) => new ValueTask(Task.FromCanceled(cancellationToken));
        public static ValueTask<TResult> FromCanceled<TResult>(CancellationToken cancellationToken) => new ValueTask<TResult>(Task.FromCanceled<TResult>(cancellationToken));

        public bool IsCompleted => _task == null || _task.IsCompleted;
        public bool IsCompletedSuccessfully => _task == null || _task.IsCompletedSuccessfully;
        public bool IsFaulted => _task != null && _task.IsFaulted;
        public bool IsCanceled => _task != null && _task.IsCanceled;

        public Task AsTask() => _task ?? Task.CompletedTask;
        public ValueTask Preserve() => this;

        internal Task TaskOrNull => _task;

        public ValueTaskAwaiter GetAwaiter() => new ValueTaskAwaiter(this);
        public ConfiguredValueTaskAwaitable ConfigureAwait(bool continueOnCapturedContext) => new ConfiguredValueTaskAwaitable(this);

        public bool Equals(ValueTask other) => _task == other._task;
        public override bool Equals(object obj) => obj is ValueTask other && Equals(other);
        public override int GetHashCode() => _task == null ? 0 : _task.GetHashCode();
        public static bool operator ==(ValueTask left, ValueTask right) => left.Equals(right);
        public static bool operator !=(ValueTask left, ValueTask right) => !left.Equals(right);
    }

    /// <summary>A result, or a Task that will have it.</summary>
    [AsyncMethodBuilder(typeof(AsyncValueTaskMethodBuilder<>))]
    public readonly struct ValueTask<TResult> : IEquatable<ValueTask<TResult>>
    {
        private readonly Task<TResult> _task; // null: _result is the result
        private readonly TResult _result;

        public ValueTask(TResult result)
        {
            _task = null;
            _result = result;
        }

        public ValueTask(Task<TResult> task)
        {
            if (task == null) throw new ArgumentNullException(nameof(task));
            _task = task;
            _result = default;
        }

        public bool IsCompleted => _task == null || _task.IsCompleted;
        public bool IsCompletedSuccessfully => _task == null || _task.IsCompletedSuccessfully;
        public bool IsFaulted => _task != null && _task.IsFaulted;
        public bool IsCanceled => _task != null && _task.IsCanceled;

        public TResult Result => _task == null ? _result : _task.GetAwaiter().GetResult();

        public Task<TResult> AsTask() => _task ?? Task.FromResult(_result);
        public ValueTask<TResult> Preserve() => this;

        internal Task<TResult> TaskOrNull => _task;
        internal TResult ImmediateResult => _result;

        public ValueTaskAwaiter<TResult> GetAwaiter() => new ValueTaskAwaiter<TResult>(this);
        public ConfiguredValueTaskAwaitable<TResult> ConfigureAwait(bool continueOnCapturedContext) => new ConfiguredValueTaskAwaitable<TResult>(this);

        public bool Equals(ValueTask<TResult> other) =>
            _task != null || other._task != null ? _task == other._task : System.Collections.Generic.EqualityComparer<TResult>.Default.Equals(_result, other._result);
        public override bool Equals(object obj) => obj is ValueTask<TResult> other && Equals(other);
        public override int GetHashCode() => _task != null ? _task.GetHashCode() : _result == null ? 0 : _result.GetHashCode();
        public static bool operator ==(ValueTask<TResult> left, ValueTask<TResult> right) => left.Equals(right);
        public static bool operator !=(ValueTask<TResult> left, ValueTask<TResult> right) => !left.Equals(right);

        public override string ToString()
        {
            if (IsCompletedSuccessfully)
            {
                TResult result = Result;
                if (result != null) return result.ToString();
            }
            return string.Empty;
        }
    }
}
