using System;
using System.Runtime;
using System.Threading.Tasks;
using static Cosmos.Kernel.SelfTests.SelfTestRunner;

namespace Cosmos.Kernel.SelfTests
{
    /// <summary>
    /// What the conformance suite cannot see, because .NET does it differently: completing a task only queues its
    /// awaiters (they run from the event loop, not on the completer's stack), a wait that nothing can end is reported
    /// instead of halting for ever, and work held only by the loop's queues survives collections.
    /// </summary>
    internal static class EventLoopTests
    {
        public static void Register()
        {
            Run("eventloop.continuations-queued", ContinuationsQueued);
            Run("eventloop.deadlock-reported", DeadlockReported);
            Run("eventloop.queues-are-roots", QueuesAreRoots);
            Run("eventloop.async-void-exception", AsyncVoidException);
        }

        private static int s_resumed;

        private static async Task ResumeAfter(Task task)
        {
            await task;
            s_resumed++;
        }

        private static void ContinuationsQueued()
        {
            s_resumed = 0;
            var source = new TaskCompletionSource<int>();
            Task waiting = ResumeAfter(source.Task);
            int readyBefore = EventLoop.ReadyCount;
            source.SetResult(1);
            Expect(s_resumed == 0, "the awaiting method resumed inside SetResult (continuations must be queued)");
            ExpectEqual(readyBefore + 1, EventLoop.ReadyCount, "continuations ready after SetResult");
            Expect(!waiting.IsCompleted, "the awaiting method's task completed before the loop ran");
            EventLoop.RunOnce();
            ExpectEqual(1, s_resumed, "resumed after one turn of the loop");
            Expect(waiting.IsCompletedSuccessfully, "the awaiting method's task did not complete");
        }

        private static void DeadlockReported()
        {
            if (EventLoop.HasPoll) return; // with the kernel's poll installed, something outside the loop might complete it
            var never = new TaskCompletionSource<int>();
            string caught = null;
            try { never.Task.Wait(); }
            catch (InvalidOperationException e) { caught = e.Message; }
            Expect(caught != null && caught.Contains("can never complete"), "waiting on a task nothing can complete did not report a deadlock");
            try { never.Task.GetAwaiter().GetResult(); caught = null; }
            catch (InvalidOperationException) { }
            Expect(caught != null, "GetResult on a task nothing can complete did not report a deadlock");
        }

        private static async void ThrowsLater()
        {
            await Task.Yield();
            throw new FormatException("from async void");
        }

        private static void AsyncVoidException()
        {
            while (EventLoop.ReadyCount > 0) EventLoop.RunOnce(); // start from an empty run queue
            ThrowsLater();
            string caught = null;
            try
            {
                while (EventLoop.RunOnce()) { }
            }
            catch (FormatException e)
            {
                caught = e.Message;
            }
            Expect(caught == "from async void", "an async void method's exception did not reach the code running the event loop");
            Expect(!EventLoop.RunOnce() || EventLoop.TimerCount > 0, "RunOnce reported work on an idle loop");
        }

        private static string s_fromTimer;

        private static async void SetAfterDelay(int n)
        {
            await Task.Delay(5);
            s_fromTimer = string.Concat("timer ", n.ToString());
        }

        private static void QueuesAreRoots()
        {
            s_fromTimer = null;
            SetAfterDelay(7); // nothing but the timer queue holds the delay, its promise and the method's state machine
            GC.Collect();
            GC.Collect();
            Task.Delay(20).Wait();
            GC.Collect();
            Expect(s_fromTimer == "timer 7", "an async method held only by the timer queue did not resume after collections");
        }
    }
}
