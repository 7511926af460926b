using System.Runtime;
using System.Runtime.CompilerServices;

namespace System.Threading.Tasks
{
    /// <summary>
    /// Task.Run: the work is posted to the event loop's run queue (there is no thread pool) and runs when the loop
    /// next turns; the overloads taking an async delegate return a task that ends as the delegate's task ends.
    /// Task.Yield: an awaitable that always posts its continuation.
    /// </summary>
    public partial class Task
    {
        public static Task Run(Action action) => Run(action, default);

        public static Task Run(Action action, CancellationToken cancellationToken)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            var task = new ActionTask(action, cancellationToken);
            task.Schedule();
            return task;
        }

        public static Task<TResult> Run<TResult>(Func<TResult> function) => Run(function, default);

        public static Task<TResult> Run<TResult>(Func<TResult> function, CancellationToken cancellationToken)
        {
            if (function == null) throw new ArgumentNullException(nameof(function));
            var task = new FunctionTask<TResult>(function, cancellationToken);
            task.Schedule();
            return task;
        }

        public static Task Run(Func<Task> function) => Run(function, default);

        public static Task Run(Func<Task> function, CancellationToken cancellationToken)
        {
            if (function == null) throw new ArgumentNullException(nameof(function));
            var outer = new FunctionTask<Task>(function, cancellationToken);
            var promise = new UnwrapPromise(outer);
            outer.Schedule();
            return promise;
        }

        public static Task<TResult> Run<TResult>(Func<Task<TResult>> function) => Run(function, default);

        public static Task<TResult> Run<TResult>(Func<Task<TResult>> function, CancellationToken cancellationToken)
        {
            if (function == null) throw new ArgumentNullException(nameof(function));
            var outer = new FunctionTask<Task<TResult>>(function, cancellationToken);
            var promise = new UnwrapPromise<TResult>(outer);
            outer.Schedule();
            return promise;
        }

        public static YieldAwaitable Yield() => default;

        /// <summary>A delegate that runs from the event loop; a token canceled before it starts cancels it.</summary>
        internal abstract class DelegateTask<TResult> : Task<TResult>
        {
            private readonly CancellationToken _token;

            protected DelegateTask(CancellationToken token) { _token = token; }

            public void Schedule()
            {
                if (_token.IsCancellationRequested)
                {
                    TrySetCanceled(_token);
                    return;
                }
                SetStatus(TaskStatus.WaitingToRun);
                EventLoop.Post(Execute);
            }

            private void Execute()
            {
                if (IsCompleted) return;
                if (_token.IsCancellationRequested)
                {
                    TrySetCanceled(_token);
                    return;
                }
                SetStatus(TaskStatus.Running);
                TResult result;
                try
                {
                    result = Invoke();
                }
                catch (OperationCanceledException e) when (e.CancellationToken == _token && _token.IsCancellationRequested)
                {
                    TrySetCanceled(_token, e);
                    return;
                }
                catch (Exception e)
                {
                    TrySetFaulted(e);
                    return;
                }
                TrySetResult(result);
            }

            protected abstract TResult Invoke();
        }

        private sealed class ActionTask : DelegateTask<VoidTaskResult>
        {
            private readonly Action _action;
            public ActionTask(Action action, CancellationToken token) : base(token) { _action = action; }
            protected override VoidTaskResult Invoke()
            {
                _action();
                return default;
            }
        }

        private sealed class FunctionTask<TResult> : DelegateTask<TResult>
        {
            private readonly Func<TResult> _function;
            public FunctionTask(Func<TResult> function, CancellationToken token) : base(token) { _function = function; }
            protected override TResult Invoke() => _function();
        }

        /// <summary>Ends as the task that the outer task's delegate returned (Canceled if it returned null, as .NET).</summary>
        private sealed class UnwrapPromise : Task, ITaskCompletionListener
        {
            private bool _outerDone;

            public UnwrapPromise(Task outer) { outer.AddContinuation(this); }

            public void OnCompleted(Task completed)
            {
                if (_outerDone)
                {
                    TrySetFrom(completed);
                    return;
                }
                _outerDone = true;
                if (!completed.IsCompletedSuccessfully) { TrySetFrom(completed); return; }
                Task inner = ((Task<Task>)completed).ResultUnchecked;
                if (inner == null) TrySetCanceled(default);
                else inner.AddContinuation(this);
            }
        }

        private sealed class UnwrapPromise<TResult> : Task<TResult>, ITaskCompletionListener
        {
            private bool _outerDone;

            public UnwrapPromise(Task<Task<TResult>> outer) { outer.AddContinuation(this); }

            public void OnCompleted(Task completed)
            {
                if (_outerDone)
                {
                    TrySetFrom(completed);
                    return;
                }
                _outerDone = true;
                if (!completed.IsCompletedSuccessfully) { TrySetFrom(completed); return; }
                Task<TResult> inner = ((Task<Task<TResult>>)completed).ResultUnchecked;
                if (inner == null) TrySetCanceled(default);
                else inner.AddContinuation(this);
            }
        }
    }

    /// <summary>The result type of a Task&lt;T&gt; standing for a plain Task.</summary>
    internal struct VoidTaskResult { }
}
