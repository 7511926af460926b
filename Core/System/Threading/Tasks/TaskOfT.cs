using System.Runtime;
using System.Runtime.CompilerServices;

namespace System.Threading.Tasks
{
    /// <summary>A task with a result. Result blocks (runs the event loop) until the task completes.</summary>
    public class Task<TResult> : Task
    {
        private TResult _result;

        internal Task(TaskCreationOptions options = TaskCreationOptions.None, object state = null) : base(options, state) { }

        /// <summary>The result; for a faulted or canceled task an AggregateException, as .NET.</summary>
        public TResult Result
        {
            get
            {
                if (!IsCompleted) EventLoop.RunUntilComplete(this);
                ThrowIfExceptional();
                return _result;
            }
        }

        /// <summary>The result of a task known to have run to completion.</summary>
        internal TResult ResultUnchecked => _result;

        internal bool TrySetResult(TResult result)
        {
            if (IsCompleted) return false;
            _result = result;
            return TrySetRanToCompletion();
        }

        internal override bool TrySetFrom(Task source)
        {
            if (IsCompleted) return false;
            if (source.IsCompletedSuccessfully && source is Task<TResult> typed) return TrySetResult(typed._result);
            return base.TrySetFrom(source);
        }

        public new TaskAwaiter<TResult> GetAwaiter() => new TaskAwaiter<TResult>(this);

        public new ConfiguredTaskAwaitable<TResult> ConfigureAwait(bool continueOnCapturedContext) => new ConfiguredTaskAwaitable<TResult>(this);

        public Task ContinueWith(Action<Task<TResult>> continuationAction) => ContinueWith(continuationAction, TaskContinuationOptions.None);

        public Task ContinueWith(Action<Task<TResult>> continuationAction, TaskContinuationOptions continuationOptions)
        {
            if (continuationAction == null) throw new ArgumentNullException(nameof(continuationAction));
            // base.: inside Task<TResult> an unqualified call would bind to this overload again
            return base.ContinueWith((Task antecedent) => continuationAction((Task<TResult>)antecedent), continuationOptions);
        }

        public Task<TNewResult> ContinueWith<TNewResult>(Func<Task<TResult>, TNewResult> continuationFunction) =>
            ContinueWith(continuationFunction, TaskContinuationOptions.None);

        public Task<TNewResult> ContinueWith<TNewResult>(Func<Task<TResult>, TNewResult> continuationFunction, TaskContinuationOptions continuationOptions)
        {
            if (continuationFunction == null) throw new ArgumentNullException(nameof(continuationFunction));
            return base.ContinueWith<TNewResult>((Task antecedent) => continuationFunction((Task<TResult>)antecedent), continuationOptions);
        }
    }
}
