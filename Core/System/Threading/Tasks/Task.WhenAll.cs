using System.Collections.Generic;

namespace System.Threading.Tasks
{
    /// <summary>
    /// Task.WhenAll: completes when every task has; Faulted with all their exceptions if any faulted (as .NET 10: in
    /// the order the tasks completed for WhenAll of plain tasks, in argument order for WhenAll&lt;T&gt;), else Canceled if any was, else RanToCompletion (with the results in order, for Task&lt;T&gt;).
    /// </summary>
    public partial class Task
    {
        public static Task WhenAll(IEnumerable<Task> tasks)
        {
            if (tasks == null) throw new ArgumentNullException(nameof(tasks));
            return WhenAll(new List<Task>(tasks).ToArray());
        }

        public static Task WhenAll(params Task[] tasks)
        {
            Task[] copy = CheckedCopy(tasks, allowEmpty: true);
            if (copy.Length == 0) return CompletedTask;
            var promise = new WhenAllPromise(copy);
            promise.Start();
            return promise;
        }

        public static Task<TResult[]> WhenAll<TResult>(IEnumerable<Task<TResult>> tasks)
        {
            if (tasks == null) throw new ArgumentNullException(nameof(tasks));
            return WhenAll(new List<Task<TResult>>(tasks).ToArray());
        }

        public static Task<TResult[]> WhenAll<TResult>(params Task<TResult>[] tasks)
        {
            if (tasks == null) throw new ArgumentNullException(nameof(tasks));
            var copy = new Task<TResult>[tasks.Length];
            for (int i = 0; i < tasks.Length; i++)
            {
                if (tasks[i] == null) throw new ArgumentException("The tasks argument included a null value.", nameof(tasks));
                copy[i] = tasks[i];
            }
            var promise = new WhenAllPromise<TResult>(copy);
            promise.Start();
            return promise;
        }

        internal static Task[] CheckedCopy(Task[] tasks, bool allowEmpty)
        {
            if (tasks == null) throw new ArgumentNullException(nameof(tasks));
            if (!allowEmpty && tasks.Length == 0) throw new ArgumentException("The tasks argument contains no tasks.", nameof(tasks));
            var copy = new Task[tasks.Length];
            for (int i = 0; i < tasks.Length; i++)
            {
                if (tasks[i] == null) throw new ArgumentException("The tasks argument included a null value.", nameof(tasks));
                copy[i] = tasks[i];
            }
            return copy;
        }

        /// <summary>Makes this Faulted or Canceled as WhenAll of <paramref name="tasks"/> (in completion order) is; false if all succeeded.</summary>
        internal bool TrySetFromAll(Task[] tasks)
        {
            List<Exception> faults = null;
            Task canceled = null;
            for (int i = 0; i < tasks.Length; i++)
            {
                if (tasks[i].IsFaulted) (faults ??= new List<Exception>()).AddRange(tasks[i].FaultList());
                else if (tasks[i].IsCanceled && canceled == null) canceled = tasks[i];
            }
            if (faults != null) return TrySetFaulted(faults);
            if (canceled != null) return TrySetCanceled(canceled._cancellationToken);
            return false;
        }

        private sealed class WhenAllPromise : Task, ITaskCompletionListener
        {
            private readonly Task[] _tasks;
            private readonly Task[] _completionOrder;
            private int _completed;

            public WhenAllPromise(Task[] tasks)
            {
                _tasks = tasks;
                _completionOrder = new Task[tasks.Length];
            }

            public void Start()
            {
                for (int i = 0; i < _tasks.Length; i++) _tasks[i].AddContinuation(this);
            }

            public void OnCompleted(Task completed)
            {
                _completionOrder[_completed++] = completed;
                if (_completed != _tasks.Length) return;
                if (!TrySetFromAll(_completionOrder)) TrySetRanToCompletion();
            }
        }

        private sealed class WhenAllPromise<TResult> : Task<TResult[]>, ITaskCompletionListener
        {
            private readonly Task<TResult>[] _tasks;
            private int _completed;

            public WhenAllPromise(Task<TResult>[] tasks) { _tasks = tasks; }

            public void Start()
            {
                if (_tasks.Length == 0)
                {
                    TrySetResult(new TResult[0]);
                    return;
                }
                for (int i = 0; i < _tasks.Length; i++) _tasks[i].AddContinuation(this);
            }

            public void OnCompleted(Task completed)
            {
                if (++_completed != _tasks.Length) return;
                var plain = new Task[_tasks.Length];
                for (int i = 0; i < _tasks.Length; i++) plain[i] = _tasks[i];
                if (TrySetFromAll(plain)) return;
                var results = new TResult[_tasks.Length];
                for (int i = 0; i < _tasks.Length; i++) results[i] = _tasks[i].ResultUnchecked;
                TrySetResult(results);
            }
        }
    }
}
