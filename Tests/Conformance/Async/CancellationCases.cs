#nullable disable
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Cosmos.Conformance
{
    /// <summary>
    /// CancellationTokenSource, CancellationToken and their use with tasks. Callbacks of a synchronous Cancel() run on
    /// the caller's stack on both runtimes, so they may record; a timed cancellation (CancelAfter) runs them on a
    /// timer thread on .NET, so those cases record only from the awaiting flow.
    /// </summary>
    public static class CancellationCases
    {
        public static void Register(CaseList list)
        {
            list.Add("async.cancel-token-basics", TokenBasics);
            list.Add("async.cancel-registrations", Registrations);
            list.Add("async.cancel-delay", CancelDelay);
            list.Add("async.cancel-after", CancelAfter);
            list.Add("async.cancel-in-async-method", CancelInAsyncMethod);
            list.Add("async.cancel-linked", Linked);
        }

        private static void TokenBasics(Transcript t)
        {
            t.Line("None can be canceled", CancellationToken.None.CanBeCanceled);
            t.Line("None requested", CancellationToken.None.IsCancellationRequested);
            t.Line("new(true) requested", new CancellationToken(true).IsCancellationRequested);
            var cts = new CancellationTokenSource();
            CancellationToken token = cts.Token;
            t.Line("can be canceled", token.CanBeCanceled);
            t.Line("requested before", token.IsCancellationRequested);
            t.Line("tokens equal", token == cts.Token);
            t.Line("differs from None", token != CancellationToken.None);
            token.ThrowIfCancellationRequested();
            cts.Cancel();
            t.Line("requested after", token.IsCancellationRequested);
            t.Line("source says so", cts.IsCancellationRequested);
            cts.Cancel();
            try { token.ThrowIfCancellationRequested(); }
            catch (OperationCanceledException e) { t.Caught("ThrowIfCancellationRequested", e); t.Line("token in exception", e.CancellationToken == token); }
            t.Caught("default OperationCanceledException", new OperationCanceledException());
            t.Caught("default TaskCanceledException", new TaskCanceledException());
            cts.Dispose();
            try { CancellationToken after = cts.Token; }
            catch (ObjectDisposedException e) { t.Caught("Token after Dispose", e); }
            t.Line("token still reads", token.IsCancellationRequested);
        }

        private static void Registrations(Transcript t)
        {
            var trail = new List<string>();
            var cts = new CancellationTokenSource();
            cts.Token.Register(() => trail.Add("first registered"));
            CancellationTokenRegistration removed = cts.Token.Register(() => trail.Add("removed: must not run"));
            cts.Token.Register(state => trail.Add("with state " + (string)state), "S");
            cts.Token.Register(() => trail.Add("last registered"));
            t.Line("Unregister", removed.Unregister());
            t.Line("Unregister again", removed.Unregister());
            cts.Cancel();
            for (int i = 0; i < trail.Count; i++) t.Line("callback", trail[i]);
            trail.Clear();
            cts.Token.Register(() => trail.Add("registered after cancel runs at once"));
            t.Line("immediately", trail.Count == 1 ? trail[0] : "no");
            CancellationToken.None.Register(() => trail.Add("None never runs"));
            t.Line("count", trail.Count);

            var failing = new CancellationTokenSource();
            failing.Token.Register(() => throw new FormatException("callback one"));
            failing.Token.Register(() => trail.Add("others still run"));
            failing.Token.Register(() => throw new TimeoutException("callback two"));
            try { failing.Cancel(); }
            catch (AggregateException e)
            {
                t.Line("aggregate count", e.InnerExceptions.Count);
                t.Caught("first failure (newest callback first)", e.InnerExceptions[0]);
            }
            t.Line(trail[trail.Count - 1]);
        }

        private static void CancelDelay(Transcript t)
        {
            var cts = new CancellationTokenSource();
            Task delay = Task.Delay(100000, cts.Token);
            Task<string> observer = Observe(delay);
            cts.Cancel();
            t.Line("observer", observer.GetAwaiter().GetResult());
            AsyncCases.Describe(t, "delay", delay);
            try { delay.Wait(); }
            catch (AggregateException e) { t.Caught("Wait", e); t.Caught("inner", e.InnerException); }
            Task before = Task.Delay(5, cts.Token);
            AsyncCases.Describe(t, "Delay with an already canceled token", before);
        }

        private static async Task<string> Observe(Task task)
        {
            try
            {
                await task;
                return "completed";
            }
            catch (TaskCanceledException e)
            {
                return "TaskCanceledException: " + e.Message;
            }
        }

        private static void CancelAfter(Transcript t)
        {
            var cts = new CancellationTokenSource();
            cts.CancelAfter(30);
            t.Line("not yet", cts.IsCancellationRequested);
            t.Line("awaited", Observe(Task.Delay(100000, cts.Token)).GetAwaiter().GetResult());
            t.Line("requested", cts.IsCancellationRequested);

            t.Line("ctor(0) canceled at once", new CancellationTokenSource(0).IsCancellationRequested);
            t.Line("ctor(TimeSpan.Zero) canceled at once", new CancellationTokenSource(TimeSpan.Zero).IsCancellationRequested);
            try { new CancellationTokenSource(-2); }
            catch (ArgumentOutOfRangeException e) { t.Line("ctor(-2)", e.ParamName); }
            var timed = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
            t.Line("ctor(TimeSpan)", Observe(Task.Delay(-1, timed.Token)).GetAwaiter().GetResult());

            var stopped = new CancellationTokenSource(100);
            stopped.CancelAfter(-1);
            Task.Delay(150).Wait();
            t.Line("CancelAfter(-1) stopped the timer", !stopped.IsCancellationRequested);

            var replaced = new CancellationTokenSource();
            replaced.CancelAfter(10000);
            replaced.CancelAfter(10);
            t.Line("replaced", Observe(Task.Delay(-1, replaced.Token)).GetAwaiter().GetResult());

            var disposed = new CancellationTokenSource(100);
            disposed.Dispose();
            Task.Delay(150).Wait();
            t.Line("Dispose stopped the timer", !disposed.IsCancellationRequested);
            try { disposed.CancelAfter(1); }
            catch (ObjectDisposedException e) { t.Caught("CancelAfter after Dispose", e); }
        }

        private static async Task<int> CountUntilCanceled(CancellationToken token)
        {
            int rounds = 0;
            while (true)
            {
                token.ThrowIfCancellationRequested();
                await Task.Delay(2);
                rounds++;
                if (rounds > 100000) return -1;
            }
        }

        private static OperationCanceledException s_thrown;

        private static async Task ThrowOwnCancellation(CancellationToken token)
        {
            await Task.Yield();
            s_thrown = new OperationCanceledException("mine", token);
            throw s_thrown;
        }

        private static void CancelInAsyncMethod(Transcript t)
        {
            var cts = new CancellationTokenSource(25);
            Task<int> counting = CountUntilCanceled(cts.Token);
            try { counting.GetAwaiter().GetResult(); }
            catch (OperationCanceledException e) { t.Caught("await", e); }
            AsyncCases.Describe(t, "method ended", counting);
            t.Line("Exception is null", counting.Exception == null);

            var own = new CancellationTokenSource();
            own.Cancel();
            Task mine = ThrowOwnCancellation(own.Token);
            try { mine.GetAwaiter().GetResult(); }
            catch (OperationCanceledException e) { t.Caught("own", e); t.Line("same object", ReferenceEquals(e, s_thrown)); }
            AsyncCases.Describe(t, "own", mine);
            try { mine.Wait(); }
            catch (AggregateException e) { t.Caught("Wait", e.InnerException); }
        }

        private static void Linked(Transcript t)
        {
            var a = new CancellationTokenSource();
            var b = new CancellationTokenSource();
            var linked = CancellationTokenSource.CreateLinkedTokenSource(a.Token, b.Token);
            t.Line("linked before", linked.IsCancellationRequested);
            b.Cancel();
            t.Line("linked after b", linked.IsCancellationRequested);
            t.Line("a untouched", a.IsCancellationRequested);
            var timed = new CancellationTokenSource(20);
            var linkedToTimed = CancellationTokenSource.CreateLinkedTokenSource(timed.Token);
            t.Line("linked to a timer", Observe(Task.Delay(-1, linkedToTimed.Token)).GetAwaiter().GetResult());
            var already = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken.None, linked.Token);
            t.Line("linked to a canceled token", already.IsCancellationRequested);
            var c = new CancellationTokenSource();
            var disposedLink = CancellationTokenSource.CreateLinkedTokenSource(c.Token);
            disposedLink.Dispose();
            c.Cancel();
            t.Line("disposed linked source not canceled", !disposedLink.IsCancellationRequested);
        }
    }
}
