using System.Runtime;

namespace System.Threading.Tasks
{
    /// <summary>
    /// ContinueWith (the basic overloads): the delegate is posted to the event loop when the antecedent completes,
    /// whatever its outcome; the NotOn/OnlyOn options cancel the continuation instead when they exclude that outcome.
    /// </summary>
    public partial class Task
    {
        public Task ContinueWith(Action<Task> continuationAction) => ContinueWith(continuationAction, TaskContinuationOptions.None);

        public Task ContinueWith(Action<Task> continuationAction, TaskContinuationOptions continuationOptions)
        {
            if (continuationAction == null) throw new ArgumentNullException(nameof(continuationAction));
            var continuation = new ContinuationTask<VoidTaskResult>(this, antecedent =>
            {
                continuationAction(antecedent);
                return default;
            }, continuationOptions);
            AddContinuation(continuation);
            return continuation;
        }

        public Task<TResult> ContinueWith<TResult>(Func<Task, TResult> continuationFunction) => ContinueWith(continuationFunction, TaskContinuationOptions.None);

        public Task<TResult> ContinueWith<TResult>(Func<Task, TResult> continuationFunction, TaskContinuationOptions continuationOptions)
        {
            if (continuationFunction == null) throw new ArgumentNullException(nameof(continuationFunction));
            var continuation = new ContinuationTask<TResult>(this, continuationFunction, continuationOptions);
            AddContinuation(continuation);
            return continuation;
        }

        private sealed class ContinuationTask<TResult> : Task<TResult>, ITaskCompletionListener
        {
            private readonly Task _antecedent;
            private readonly Func<Task, TResult> _function;
            private readonly TaskContinuationOptions _continuationOptions;

            public ContinuationTask(Task antecedent, Func<Task, TResult> function, TaskContinuationOptions options)
            {
                _antecedent = antecedent;
                _function = function;
                _continuationOptions = options;
            }

            public void OnCompleted(Task completed)
            {
                TaskContinuationOptions excluded = completed.IsCompletedSuccessfully ? TaskContinuationOptions.NotOnRanToCompletion
                    : completed.IsFaulted ? TaskContinuationOptions.NotOnFaulted : TaskContinuationOptions.NotOnCanceled;
                if ((_continuationOptions & excluded) != 0)
                {
                    TrySetCanceled(default);
                    return;
                }
                SetStatus(TaskStatus.WaitingToRun);
                EventLoop.Post(Run);
            }

            private void Run()
            {
                SetStatus(TaskStatus.Running);
                TResult result;
                try
                {
                    result = _function(_antecedent);
                }
                catch (Exception e)
                {
                    TrySetFaulted(e);
                    return;
                }
                TrySetResult(result);
            }
        }
    }
}
