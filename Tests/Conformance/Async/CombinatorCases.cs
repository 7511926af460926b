#nullable disable
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Cosmos.Conformance
{
    /// <summary>
    /// Task.Delay ordering, WhenAll, WhenAny, Task.Run, Task.Yield and ContinueWith. Only async.delay-order depends on
    /// timer order, with delays 100 ms apart, so the order is the same on a loaded host and under TCG with gc.stress=1;
    /// the others order completions with TaskCompletionSources. The order is recorded by the one awaiting flow (a
    /// WhenAny loop), not by the delayed continuations themselves.
    /// </summary>
    public static class CombinatorCases
    {
        public static void Register(CaseList list)
        {
            list.Add("async.delay-order", t => { foreach (string line in DelayOrder().GetAwaiter().GetResult()) t.Line(line); });
            list.Add("async.delay-arguments", DelayArguments);
            list.Add("async.when-all", WhenAll);
            list.Add("async.when-all-faults", WhenAllFaults);
            list.Add("async.when-any", WhenAny);
            list.Add("async.run", Run);
            list.Add("async.yield", t => t.Line("count", YieldMany(50).GetAwaiter().GetResult()));
            list.Add("async.continue-with", ContinueWith);
        }

        private static async Task<string> Named(int milliseconds, string name)
        {
            await Task.Delay(milliseconds);
            return name;
        }

        private static async Task<List<string>> DelayOrder()
        {
            var lines = new List<string>();
            // 100 ms apart: under gc.stress=1 (a collection at every allocation) starting one delay takes tens of ms
            var pending = new List<Task<string>> { Named(300, "three hundred"), Named(100, "one hundred"), Named(200, "two hundred") };
            while (pending.Count > 0)
            {
                Task<string> first = await Task.WhenAny(pending);
                lines.Add("done: " + await first);
                pending.Remove(first);
            }
            string[] all = await Task.WhenAll(Named(45, "a"), Named(5, "b"), Named(25, "c"));
            lines.Add("WhenAll keeps the order of its arguments: " + string.Join(",", all));
            long start = Environment.TickCount64;
            await Task.Delay(TimeSpan.FromMilliseconds(30));
            lines.Add("Delay(TimeSpan) waited at least 29 ms: " + (Environment.TickCount64 - start >= 29 ? "True" : "False"));
            return lines;
        }

        private static void DelayArguments(Transcript t)
        {
            try { Task.Delay(-2); }
            catch (ArgumentOutOfRangeException e) { t.Line("Delay(-2)", e.ParamName); }
            try { Task.Delay(TimeSpan.FromMilliseconds(-5)); }
            catch (ArgumentOutOfRangeException e) { t.Line("Delay(-5 ms)", e.ParamName); }
            t.Line("Delay(0) complete", Task.Delay(0).IsCompleted);
            Task infinite = Task.Delay(-1);
            t.Line("Delay(-1) pending", !infinite.IsCompleted);
            t.Line("Wait(20) times out", infinite.Wait(20));
        }

        private static async Task<int> After(int milliseconds, int value)
        {
            await Task.Delay(milliseconds);
            return value;
        }

        private static async Task FailAfter(int milliseconds, string message)
        {
            await Task.Delay(milliseconds);
            throw new InvalidOperationException(message);
        }

        private static void WhenAll(Transcript t)
        {
            int[] results = Task.WhenAll(After(30, 1), After(10, 2), After(20, 3)).GetAwaiter().GetResult();
            t.Line("results", string.Join(",", results));
            var list = new List<Task<int>> { After(1, 10), Task.FromResult(20) };
            t.Line("IEnumerable", string.Join(",", Task.WhenAll(list).Result));
            Task plain = Task.WhenAll(Task.Delay(5), Task.CompletedTask, Task.Delay(15));
            plain.Wait();
            AsyncCases.Describe(t, "plain", plain);
            AsyncCases.Describe(t, "empty", Task.WhenAll(new Task[0]));
            t.Line("empty result length", Task.WhenAll(new Task<int>[0]).Result.Length);
            try { Task.WhenAll(Task.CompletedTask, null); }
            catch (ArgumentException e) { t.Caught("null element", e); }
            try { Task.WhenAll((Task[])null); }
            catch (ArgumentNullException e) { t.Line("null array", e.ParamName); }
            var cts = new CancellationTokenSource();
            cts.Cancel();
            Task withCanceled = Task.WhenAll(Task.Delay(5), Task.FromCanceled(cts.Token));
            try { withCanceled.GetAwaiter().GetResult(); }
            catch (OperationCanceledException e) { t.Caught("canceled member", e); }
            AsyncCases.Describe(t, "with a canceled member", withCanceled);
            Task.WaitAll(Task.Delay(3), After(2, 0));
            t.Line("WaitAll returned");
        }

        private static void WhenAllFaults(Transcript t)
        {
            // .NET 10 keeps the exceptions of WhenAll(Task[]) in completion order, those of WhenAll<T> in argument order.
            var late = new TaskCompletionSource();
            var early = new TaskCompletionSource<int>();
            Task both = Task.WhenAll(late.Task, After(5, 1), early.Task);
            early.SetException(new InvalidOperationException("early"));
            late.SetException(new InvalidOperationException("late"));
            try { both.GetAwaiter().GetResult(); }
            catch (InvalidOperationException e) { t.Caught("await throws the first to fail", e); }
            var lateTyped = new TaskCompletionSource<int>();
            var earlyTyped = new TaskCompletionSource<int>();
            Task<int[]> typed = Task.WhenAll(lateTyped.Task, After(5, 1), earlyTyped.Task);
            earlyTyped.SetException(new FormatException("early typed"));
            lateTyped.SetException(new FormatException("late typed"));
            try { typed.GetAwaiter().GetResult(); }
            catch (FormatException e) { t.Caught("WhenAll<T>: the first in argument order", e); }
            t.Caught("WhenAll<T> Exception", typed.Exception);
            AsyncCases.Describe(t, "faulted", both);
            t.Line("Exception count", both.Exception.InnerExceptions.Count);
            t.Caught("Exception", both.Exception);
            try { both.Wait(); }
            catch (AggregateException e) { t.Line("Wait count", e.InnerExceptions.Count); }
            var cts = new CancellationTokenSource();
            cts.Cancel();
            Task faultBeatsCancel = Task.WhenAll(Task.FromCanceled(cts.Token), Task.FromException(new FormatException("f")));
            AsyncCases.Describe(t, "fault and cancel", faultBeatsCancel);
            try { Task.WaitAll(Task.FromException(new FormatException("w1")), Task.CompletedTask, Task.FromException(new TimeoutException("w2"))); }
            catch (AggregateException e) { t.Caught("WaitAll", e); }
        }

        private static void WhenAny(Transcript t)
        {
            var slowSource = new TaskCompletionSource<int>();
            var fastSource = new TaskCompletionSource<int>();
            Task<int> slow = slowSource.Task, fast = fastSource.Task;
            Task<Task<int>> any = Task.WhenAny(slow, fast);
            fastSource.SetResult(2);
            Task<int> winner = any.GetAwaiter().GetResult();
            t.Line("winner is fast", ReferenceEquals(winner, fast));
            t.Line("winner result", winner.Result);
            t.Line("slow still pending", !slow.IsCompleted);
            slowSource.SetResult(1);
            t.Line("slow result later", slow.Result);
            Task done = Task.FromResult(5);
            Task<Task> first = Task.WhenAny(Task.Delay(10000), done, Task.CompletedTask);
            t.Line("already complete: first in order", ReferenceEquals(first.Result, done));
            Task failing = FailAfter(5, "x");
            Task<Task> anyFault = Task.WhenAny(failing, Task.Delay(10000));
            anyFault.Wait();
            AsyncCases.Describe(t, "WhenAny of a fault", anyFault);
            t.Line("winner faulted", anyFault.Result.IsFaulted);
            try { Task.WhenAny(new Task[0]); }
            catch (ArgumentException e) { t.Caught("empty", e); }
            var enumerable = new List<Task> { Task.Delay(-1), Task.Delay(5) };
            t.Line("IEnumerable winner is the second", ReferenceEquals(Task.WhenAny(enumerable).Result, enumerable[1]));
        }

        private static void Run(Transcript t)
        {
            t.Line("Run(Func<int>)", Task.Run(() => 6 * 7).Result);
            var trail = new List<string>();
            Task.Run(() => trail.Add("action ran")).Wait();
            t.Line(trail[0]);
            t.Line("Run(async)", Task.Run(async () => { await Task.Delay(2); return "async lambda"; }).Result);
            Task unwrapped = Task.Run(async () => { await Task.Yield(); trail.Add("async action ran"); });
            unwrapped.Wait();
            t.Line(trail[1]);
            Task throwing = Task.Run(() => { throw new DivideByZeroException(); });
            try { throwing.Wait(); }
            catch (AggregateException e) { t.Caught("Run throwing", e.InnerException); }
            AsyncCases.Describe(t, "throwing", throwing);
            Task asyncThrowing = Task.Run(async () => { await Task.Delay(1); throw new FormatException("inner async"); });
            try { asyncThrowing.GetAwaiter().GetResult(); }
            catch (FormatException e) { t.Caught("Run(async) throwing", e); }
            var cts = new CancellationTokenSource();
            cts.Cancel();
            Task canceled = Task.Run(() => trail.Add("must not run"), cts.Token);
            try { canceled.Wait(); }
            catch (AggregateException e) { t.Caught("Run with canceled token", e.InnerException); }
            AsyncCases.Describe(t, "canceled", canceled);
            t.Line("trail", trail.Count);
        }

        private static async Task<int> YieldMany(int n)
        {
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                await Task.Yield();
                count++;
            }
            return count;
        }

        private static void ContinueWith(Transcript t)
        {
            Task<int> source = After(5, 21);
            Task<int> doubled = source.ContinueWith(a => a.Result * 2);
            t.Line("ContinueWith result", doubled.Result);
            Task<string> afterFault = Task.FromException<int>(new TimeoutException("late"))
                .ContinueWith(a => a.Exception.InnerException.Message + " / " + AsyncCases.StatusName(a.Status));
            t.Line("on a faulted antecedent", afterFault.Result);
            Task<string> onPlain = Task.Delay(2).ContinueWith(a => "plain " + AsyncCases.StatusName(a.Status));
            t.Line("non-generic antecedent", onPlain.Result);
            var trail = new List<string>();
            Task action = Task.FromResult(3).ContinueWith(a => trail.Add("action saw " + a.Result));
            action.Wait();
            t.Line(trail[0]);
            Task skipped = Task.FromResult(1).ContinueWith(a => trail.Add("must not run"), TaskContinuationOptions.OnlyOnFaulted);
            try { skipped.Wait(); }
            catch (AggregateException e) { t.Caught("OnlyOnFaulted on success", e.InnerException); }
            AsyncCases.Describe(t, "skipped", skipped);
            Task<int> throwing = Task.CompletedTask.ContinueWith<int>(a => { throw new NotImplementedException("cw"); });
            try { t.Line("Result", throwing.Result); }
            catch (AggregateException e) { t.Caught("continuation threw", e.InnerException); }
            t.Line("trail", trail.Count);
        }
    }
}
