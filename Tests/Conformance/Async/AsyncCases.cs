#nullable disable
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Cosmos.Conformance
{
    /// <summary>
    /// async/await: awaiting complete and incomplete tasks, results, exceptions through await, nested methods,
    /// ValueTask, TaskCompletionSource and task states. On .NET the continuations run on thread-pool threads and in
    /// the kernel from its event loop, so the cases write their transcript only from the awaiting flow (after
    /// awaits, or after the synchronous case method's GetAwaiter().GetResult()), never from code whose timing or
    /// thread differs between the two.
    /// </summary>
    public static class AsyncCases
    {
        public static void Register(CaseList list)
        {
            list.Add("async.await-completed", AwaitCompleted);
            list.Add("async.await-incomplete", AwaitIncomplete);
            list.Add("async.nested-methods", t => t.Line("result", Outer(3).GetAwaiter().GetResult()));
            list.Add("async.exception-through-await", ExceptionThroughAwait);
            list.Add("async.exception-before-first-await", ExceptionBeforeFirstAwait);
            list.Add("async.exception-nested-finally", ExceptionNestedFinally);
            list.Add("async.wait-and-result-aggregate", WaitAndResultAggregate);
            list.Add("async.valuetask", ValueTasks);
            list.Add("async.task-completion-source", CompletionSource);
            list.Add("async.task-completion-source-exceptions", CompletionSourceExceptions);
            list.Add("async.status", Statuses);
            list.Add("async.async-void", t => t.Line("async void finished", AsyncVoidCase().GetAwaiter().GetResult()));
            list.Add("async.loop-of-awaits", t => t.Line("sum", SumWithAwaits(20).GetAwaiter().GetResult()));
            list.Add("async.configure-await", t => t.Line("result", ConfigureAwaitBoth().GetAwaiter().GetResult()));
            list.Add("async.exception-dispatch-info", DispatchInfo);
            list.Add("async.generic-results", GenericResults);
        }

        public static string StatusName(TaskStatus status)
        {
            switch (status)
            {
                case TaskStatus.Created: return "Created";
                case TaskStatus.WaitingForActivation: return "WaitingForActivation";
                case TaskStatus.WaitingToRun: return "WaitingToRun";
                case TaskStatus.Running: return "Running";
                case TaskStatus.WaitingForChildrenToComplete: return "WaitingForChildrenToComplete";
                case TaskStatus.RanToCompletion: return "RanToCompletion";
                case TaskStatus.Canceled: return "Canceled";
                case TaskStatus.Faulted: return "Faulted";
                default: return "?";
            }
        }

        public static void Describe(Transcript t, string label, Task task)
        {
            t.Line(label, string.Concat(StatusName(task.Status), " completed=", task.IsCompleted ? "True" : "False",
                " success=", task.IsCompletedSuccessfully ? "True" : "False", " faulted=", task.IsFaulted ? "True" : "False",
                " canceled=", task.IsCanceled ? "True" : "False"));
        }

        // ---- awaiting ----

        private static void AwaitCompleted(Transcript t)
        {
            Task<int> noAwait = NoAwait(5);
            Describe(t, "no await", noAwait);
            t.Line("no await result", noAwait.Result);
            Task<int> onCompleted = AwaitCompletedTasks();
            Describe(t, "awaits of completed tasks", onCompleted);
            t.Line("result", onCompleted.Result);
            Describe(t, "CompletedTask", Task.CompletedTask);
            t.Line("CompletedTask shared", ReferenceEquals(Task.CompletedTask, Task.CompletedTask));
        }

        private static async Task<int> NoAwait(int x) => x * 2;

        private static async Task<int> AwaitCompletedTasks()
        {
            await Task.CompletedTask;
            int a = await Task.FromResult(40);
            int b = await NoAwait(1);
            return a + b;
        }

        private static void AwaitIncomplete(Transcript t)
        {
            var source = new TaskCompletionSource<int>();
            Task<string> waiting = AwaitAndFormat(source.Task);
            Describe(t, "before SetResult", waiting);
            source.SetResult(7);
            t.Line("GetResult", waiting.GetAwaiter().GetResult());
            Describe(t, "after", waiting);
            Task delayed = DelayThenReturn();
            t.Line("delay complete at once", delayed.IsCompleted);
            delayed.Wait();
            Describe(t, "after Wait", delayed);
        }

        private static async Task<string> AwaitAndFormat(Task<int> task)
        {
            int value = await task;
            return "got " + value;
        }

        private static async Task DelayThenReturn() => await Task.Delay(20);

        private static async Task<int> Outer(int depth)
        {
            var trail = new List<string>();
            int r = await Middle(depth, trail);
            return r * 100 + trail.Count;
        }

        private static async Task<int> Middle(int depth, List<string> trail)
        {
            trail.Add("middle");
            int sum = 0;
            for (int i = 0; i < depth; i++) sum += await Inner(i, trail);
            return sum;
        }

        private static async Task<int> Inner(int i, List<string> trail)
        {
            await Task.Yield();
            trail.Add("inner" + i);
            await Task.Delay(1);
            return i + 1;
        }

        private static async Task<int> SumWithAwaits(int n)
        {
            int sum = 0;
            for (int i = 1; i <= n; i++)
            {
                if (i % 3 == 0) await Task.Yield();
                else if (i % 3 == 1) sum += await Task.FromResult(i);
                else { await Task.Delay(1); sum += i; }
                if (i % 3 == 0) sum += i;
            }
            return sum;
        }

        private static async Task<string> ConfigureAwaitBoth()
        {
            await Task.Delay(1).ConfigureAwait(false);
            await Task.Yield();
            int a = await Task.FromResult(2).ConfigureAwait(true);
            int b = await After(1, 3).ConfigureAwait(false);
            await new ValueTask(Task.Delay(1)).ConfigureAwait(false);
            try
            {
                await Task.FromException(new FormatException("configured")).ConfigureAwait(false);
            }
            catch (FormatException e)
            {
                return "a+b=" + (a + b) + ", caught " + e.Message;
            }
            return "not thrown";
        }

        private static async Task<int> After(int milliseconds, int value)
        {
            await Task.Delay(milliseconds);
            return value;
        }

        private static void DispatchInfo(Transcript t)
        {
            Exception original;
            try { throw new InvalidCastException("captured"); }
            catch (InvalidCastException e) { original = e; }
            var info = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(original);
            t.Line("SourceException is it", ReferenceEquals(info.SourceException, original));
            try { info.Throw(); }
            catch (InvalidCastException e) { t.Caught("Throw", e); t.Line("same object", ReferenceEquals(e, original)); }
            try { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(original); }
            catch (InvalidCastException e) { t.Line("static Throw, same object", ReferenceEquals(e, original)); }
            try { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(null); }
            catch (ArgumentNullException e) { t.Line("Capture(null)", e.ParamName); }
        }

        private struct Pair
        {
            public int A;
            public string B;
        }

        private static async Task<Pair> MakePair(int a, string b)
        {
            await Task.Yield();
            return new Pair { A = a, B = b };
        }

        private static async Task<T> Echo<T>(T value)
        {
            await Task.Delay(1);
            return value;
        }

        private static async Task<string> GenericChain()
        {
            Pair p = await MakePair(4, "four");
            string s = await Echo("text");
            long l = await Echo(1L << 40);
            object o = await Echo<object>(p.B);
            List<int> list = await Echo(new List<int> { 1, 2 });
            double d = await Echo(0.5);
            return p.A + " " + p.B + " " + s + " " + l + " " + o + " " + list.Count + " " + d;
        }

        private static void GenericResults(Transcript t)
        {
            t.Line(GenericChain().GetAwaiter().GetResult());
            t.Line("Wait(TimeSpan)", Task.Delay(1).Wait(TimeSpan.FromSeconds(10)));
        }

        // ---- exceptions ----

        private static Exception s_thrown;

        private static async Task<int> ThrowAfterAwait(string message)
        {
            await Task.Delay(5);
            var e = new InvalidOperationException(message);
            s_thrown = e;
            throw e;
        }

        private static void ExceptionThroughAwait(Transcript t)
        {
            t.Line(CatchThroughAwait().GetAwaiter().GetResult());
            Task<int> faulted = ThrowAfterAwait("again");
            try { faulted.GetAwaiter().GetResult(); }
            catch (InvalidOperationException e) { t.Caught("GetResult", e); t.Line("same object", ReferenceEquals(e, s_thrown)); }
            Describe(t, "task", faulted);
            AggregateException aggregate = faulted.Exception;
            t.Caught("Exception", aggregate);
            t.Line("inner count", aggregate.InnerExceptions.Count);
            t.Line("inner is the thrown one", ReferenceEquals(aggregate.InnerException, s_thrown));
            t.Line("InnerExceptions[0] is it too", ReferenceEquals(aggregate.InnerExceptions[0], s_thrown));
            try { faulted.GetAwaiter().GetResult(); }
            catch (InvalidOperationException e) { t.Line("second await, same object", ReferenceEquals(e, s_thrown)); }
        }

        private static async Task<string> CatchThroughAwait()
        {
            try
            {
                await ThrowAfterAwait("boom");
                return "not thrown";
            }
            catch (InvalidOperationException e)
            {
                return string.Concat("caught ", e.GetType().FullName, ": ", e.Message, " same=", ReferenceEquals(e, s_thrown) ? "True" : "False");
            }
        }

        private static async Task ThrowsAtOnce()
        {
            throw new ArgumentException("before any await", "arg");
        }

        private static void ExceptionBeforeFirstAwait(Transcript t)
        {
            Task task = null;
            try { task = ThrowsAtOnce(); t.Line("call returned a task"); }
            catch (Exception e) { t.Caught("call threw", e); }
            Describe(t, "task", task);
            try { task.GetAwaiter().GetResult(); }
            catch (ArgumentException e) { t.Caught("await", e); t.Line("ParamName", e.ParamName); }
        }

        private static void ExceptionNestedFinally(Transcript t)
        {
            var trail = new List<string>();
            Task run = Level1(trail);
            try { run.GetAwaiter().GetResult(); }
            catch (Exception e) { t.Caught("top", e); }
            for (int i = 0; i < trail.Count; i++) t.Line(trail[i]);
        }

        private static async Task Level1(List<string> trail)
        {
            try
            {
                trail.Add("level1 start");
                await Level2(trail);
                trail.Add("level1 not reached");
            }
            finally
            {
                trail.Add("level1 finally");
            }
        }

        private static async Task Level2(List<string> trail)
        {
            try
            {
                await Task.Yield();
                await Level3(trail);
            }
            catch (FormatException e)
            {
                trail.Add("level2 caught " + e.Message + ", wrapping");
                throw new InvalidOperationException("wrapped", e);
            }
        }

        private static async Task Level3(List<string> trail)
        {
            await Task.Delay(2);
            trail.Add("level3 throws");
            throw new FormatException("bad format");
        }

        private static void WaitAndResultAggregate(Transcript t)
        {
            Task<int> faulted = ThrowAfterAwait("for Wait");
            try { faulted.Wait(); }
            catch (AggregateException e)
            {
                t.Caught("Wait", e);
                t.Caught("inner", e.InnerException);
                t.Line("inner is the thrown one", ReferenceEquals(e.InnerException, s_thrown));
            }
            try { t.Line("Result", faulted.Result); }
            catch (AggregateException e) { t.Caught("Result", e); t.Line("count", e.InnerExceptions.Count); }
            var many = new TaskCompletionSource<int>();
            many.SetException(new Exception[] { new FormatException("one"), new TimeoutException("two") });
            try { many.Task.Wait(); }
            catch (AggregateException e)
            {
                t.Caught("two exceptions", e);
                t.Line("count", e.InnerExceptions.Count);
                t.Caught("[1]", e.InnerExceptions[1]);
            }
            try { many.Task.GetAwaiter().GetResult(); }
            catch (Exception e) { t.Caught("await throws the first", e); }
            var flat = new AggregateException("outer", new AggregateException(new FormatException("a")), new TimeoutException("b")).Flatten();
            t.Line("Flatten count", flat.InnerExceptions.Count);
            t.Caught("Flatten [0]", flat.InnerExceptions[0]);
        }

        // ---- ValueTask ----

        private static async ValueTask<int> ValueNoAwait(int x) => x + 1;

        private static async ValueTask<int> ValueWithAwait(int x)
        {
            await Task.Delay(1);
            return x + 2;
        }

        private static async ValueTask ValueTaskThrows()
        {
            await Task.Yield();
            throw new NotSupportedException("from a ValueTask");
        }

        private static async ValueTask ValuePlain(List<string> trail)
        {
            await Task.Yield();
            trail.Add("plain ValueTask ran");
        }

        private static async Task<int> UseValueTasks(List<string> trail)
        {
            int a = await ValueNoAwait(1);
            int b = await ValueWithAwait(10);
            await ValuePlain(trail);
            await new ValueTask(Task.Delay(1));
            int c = await new ValueTask<int>(100);
            int d = await new ValueTask<int>(Task.FromResult(1000));
            int e = await ValueWithAwait(0).ConfigureAwait(false);
            return a + b + c + d + e;
        }

        private static void ValueTasks(Transcript t)
        {
            ValueTask<int> sync = ValueNoAwait(4);
            t.Line("sync IsCompletedSuccessfully", sync.IsCompletedSuccessfully);
            t.Line("sync Result", sync.Result);
            t.Line("default ValueTask completed", default(ValueTask).IsCompletedSuccessfully);
            t.Line("ValueTask.CompletedTask", ValueTask.CompletedTask.IsCompleted);
            var trail = new List<string>();
            t.Line("sum", UseValueTasks(trail).GetAwaiter().GetResult());
            t.Line("trail", trail.Count == 1 ? trail[0] : "wrong");
            ValueTask<int> later = ValueWithAwait(5);
            t.Line("AsTask result", later.AsTask().GetAwaiter().GetResult());
            ValueTask failing = ValueTaskThrows();
            try { failing.GetAwaiter().GetResult(); }
            catch (NotSupportedException e) { t.Caught("await", e); }
            t.Line("faulted", failing.IsFaulted);
            ValueTask<int> fromException = ValueTask.FromException<int>(new TimeoutException("vt"));
            try { t.Line("Result", fromException.Result); }
            catch (TimeoutException e) { t.Caught("Result throws directly", e); }
            t.Line("FromResult", ValueTask.FromResult("text").Result);
        }

        // ---- TaskCompletionSource ----

        private static void CompletionSource(Transcript t)
        {
            var source = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            Describe(t, "pending", source.Task);
            t.Line("TrySetResult", source.TrySetResult("first"));
            t.Line("TrySetResult again", source.TrySetResult("second"));
            t.Line("TrySetException after", source.TrySetException(new Exception("late")));
            t.Line("TrySetCanceled after", source.TrySetCanceled());
            try { source.SetResult("third"); }
            catch (InvalidOperationException e) { t.Caught("SetResult", e); }
            t.Line("Result", source.Task.Result);
            t.Line("AsyncState", new TaskCompletionSource<int>("state").Task.AsyncState as string);

            var plain = new TaskCompletionSource();
            Task waiter = AwaitPlain(plain.Task);
            plain.SetResult();
            waiter.GetAwaiter().GetResult();
            Describe(t, "non-generic", plain.Task);

            var canceled = new TaskCompletionSource<int>();
            canceled.SetCanceled();
            Describe(t, "canceled", canceled.Task);
            t.Line("Exception of canceled", canceled.Task.Exception == null ? "null" : "set");
            try { canceled.Task.GetAwaiter().GetResult(); }
            catch (TaskCanceledException e) { t.Caught("await canceled", e); t.Line("Task is it", ReferenceEquals(e.Task, canceled.Task)); }
            try { canceled.Task.Wait(); }
            catch (AggregateException e) { t.Caught("Wait canceled", e); t.Caught("inner", e.InnerException); }
        }

        private static async Task AwaitPlain(Task task) => await task;

        private static void CompletionSourceExceptions(Transcript t)
        {
            var source = new TaskCompletionSource<int>();
            try { source.SetException((Exception)null); }
            catch (ArgumentNullException e) { t.Line("null exception", e.ParamName); }
            var boom = new ArithmeticException("arith");
            source.SetException(boom);
            Describe(t, "faulted", source.Task);
            try { source.Task.GetAwaiter().GetResult(); }
            catch (ArithmeticException e) { t.Line("same object", ReferenceEquals(e, boom)); }
            try { source.SetException(new Exception("x")); }
            catch (InvalidOperationException e) { t.Caught("second SetException", e); }
        }

        // ---- states ----

        private static void Statuses(Transcript t)
        {
            Describe(t, "FromResult", Task.FromResult(1));
            Describe(t, "FromException", Task.FromException(new Exception("e")));
            var cts = new CancellationTokenSource();
            cts.Cancel();
            Describe(t, "FromCanceled", Task.FromCanceled(cts.Token));
            Describe(t, "FromCanceled<int>", Task.FromCanceled<int>(cts.Token));
            try { Task.FromCanceled(CancellationToken.None); }
            catch (ArgumentOutOfRangeException e) { t.Line("FromCanceled of a live token", e.ParamName); }
            var source = new TaskCompletionSource<int>();
            Task<int> method = AwaitAndAdd(source.Task);
            Describe(t, "TaskCompletionSource pending", source.Task);
            Describe(t, "async method pending", method);
            Task delay = Task.Delay(10000, cts.Token);
            Describe(t, "Delay with canceled token", delay);
            using (var live = new CancellationTokenSource())
            {
                Task pendingDelay = Task.Delay(10000, live.Token);
                Describe(t, "Delay pending", pendingDelay);
                live.Cancel();
                try { pendingDelay.GetAwaiter().GetResult(); }
                catch (OperationCanceledException e) { t.Caught("Delay canceled", e); }
                Describe(t, "Delay after cancel", pendingDelay);
            }
            source.SetResult(1);
            t.Line("method result", method.Result);
            Describe(t, "async method done", method);
            try { Task.FromException(null); }
            catch (ArgumentNullException e) { t.Line("FromException(null)", e.ParamName); }
        }

        private static async Task<int> AwaitAndAdd(Task<int> task) => await task + 1;

        // ---- async void ----

        private static async void FireAndForget(TaskCompletionSource<string> done)
        {
            await Task.Yield();
            await Task.Delay(1);
            done.SetResult("yes");
        }

        private static Task<string> AsyncVoidCase()
        {
            var done = new TaskCompletionSource<string>();
            FireAndForget(done);
            return done.Task;
        }
    }
}
