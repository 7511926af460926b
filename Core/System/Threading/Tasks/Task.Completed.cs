namespace System.Threading.Tasks
{
    /// <summary>Tasks that are complete when made: CompletedTask, FromResult, FromException, FromCanceled.</summary>
    public partial class Task
    {
        private static Task s_completed;

        public static Task CompletedTask => s_completed ??= new Task(TaskStatus.RanToCompletion);

        public static Task<TResult> FromResult<TResult>(TResult result)
        {
            var task = new Task<TResult>();
            task.TrySetResult(result);
            return task;
        }

        public static Task FromException(Exception exception)
        {
            if (exception == null) throw new ArgumentNullException(nameof(exception));
            var task = new Task();
            task.TrySetFaulted(exception);
            return task;
        }

        public static Task<TResult> FromException<TResult>(Exception exception)
        {
            if (exception == null) throw new ArgumentNullException(nameof(exception));
            var task = new Task<TResult>();
            task.TrySetFaulted(exception);
            return task;
        }

        public static Task FromCanceled(CancellationToken cancellationToken)
        {
            if (!cancellationToken.IsCancellationRequested) throw new ArgumentOutOfRangeException(nameof(cancellationToken));
            var task = new Task();
            task.TrySetCanceled(cancellationToken);
            return task;
        }

        public static Task<TResult> FromCanceled<TResult>(CancellationToken cancellationToken)
        {
            if (!cancellationToken.IsCancellationRequested) throw new ArgumentOutOfRangeException(nameof(cancellationToken));
            var task = new Task<TResult>();
            task.TrySetCanceled(cancellationToken);
            return task;
        }
    }
}
