using System.Collections.Generic;

namespace System.Threading.Tasks
{
    /// <summary>Task.WhenAny: a task whose result is the first of the tasks to complete (the first in order if some already have); it never faults.</summary>
    public partial class Task
    {
        public static Task<Task> WhenAny(params Task[] tasks) => WhenAnyCore(CheckedCopy(tasks, allowEmpty: false));

        public static Task<Task> WhenAny(IEnumerable<Task> tasks)
        {
            if (tasks == null) throw new ArgumentNullException(nameof(tasks));
            return WhenAnyCore(CheckedCopy(new List<Task>(tasks).ToArray(), allowEmpty: false));
        }

        public static Task<Task<TResult>> WhenAny<TResult>(params Task<TResult>[] tasks)
        {
            Task[] copy = CheckedCopy(tasks, allowEmpty: false);
            var promise = new WhenAnyPromise<Task<TResult>>(copy);
            promise.Start();
            return promise;
        }

        public static Task<Task<TResult>> WhenAny<TResult>(IEnumerable<Task<TResult>> tasks)
        {
            if (tasks == null) throw new ArgumentNullException(nameof(tasks));
            return WhenAny(new List<Task<TResult>>(tasks).ToArray());
        }

        private static Task<Task> WhenAnyCore(Task[] tasks)
        {
            var promise = new WhenAnyPromise<Task>(tasks);
            promise.Start();
            return promise;
        }

        private sealed class WhenAnyPromise<TTask> : Task<TTask>, ITaskCompletionListener where TTask : Task
        {
            private Task[] _tasks;

            public WhenAnyPromise(Task[] tasks) { _tasks = tasks; }

            public void Start()
            {
                Task[] tasks = _tasks; // OnCompleted, called at once for a task already complete, clears the field
                for (int i = 0; i < tasks.Length && !IsCompleted; i++) tasks[i].AddContinuation(this);
            }

            public void OnCompleted(Task completed)
            {
                if (IsCompleted) return;
                Task[] tasks = _tasks;
                _tasks = null;
                for (int i = 0; i < tasks.Length; i++)
                    if (tasks[i] != completed) tasks[i].RemoveContinuation(this); // the losers need not keep the promise alive
                TrySetResult((TTask)completed);
            }
        }
    }
}
