using System.Collections.Generic;
using System.Threading.Tasks;

namespace System.Runtime
{
    /// <summary>
    /// The kernel's one thread of asynchronous work: the run queue of continuations that are ready, the timer queue
    /// (Task.Delay, CancellationTokenSource.CancelAfter), and a pump the kernel installs (like TimeSources): a poll that
    /// does one turn of the kernel's own work (the NICs, say) and says whether it did anything, and a wait that halts
    /// the CPU until the next interrupt or a deadline.
    ///
    /// Why continuations are queued and never run inline when a task completes: a task may be completed from deep
    /// inside other code (a packet handler in the network stack setting a TaskCompletionSource, a timer firing, a
    /// CancellationTokenSource being canceled). Running the awaiting method there would run arbitrary user code on
    /// top of a half-updated protocol state, re-enter the stack, and grow the stack without bound in chains of
    /// awaits. So completion only moves continuations to the run queue, and they run from this loop, one after
    /// another, on a clean stack: the role a single-threaded SynchronizationContext plays on .NET. The kernel has
    /// no threads, so nothing here locks.
    ///
    /// Who runs the loop: the kernel's main loop calls <see cref="RunOnce"/>, and anything that blocks on a task
    /// (Task.Wait, Task.Result, GetAwaiter().GetResult(), so also the entry point of an async Main) calls
    /// <see cref="RunUntilComplete(Task)"/>, which runs the loop until that task completes: nested if a
    /// continuation itself blocks. Every object the loop holds lives in the static fields below, so the collector
    /// sees everything reachable only from a queue.
    /// </summary>
    public static unsafe class EventLoop
    {
        private static Queue<Action> s_ready;
        private static List<LoopTimer> s_timers; // sorted by due time; equal due times in the order they were added
        private static delegate*<bool> s_poll;
        private static delegate*<long, void> s_wait;

        /// <summary>
        /// The kernel's own work, one turn (poll NICs, run protocol timers): returns whether it did anything. Without
        /// one, nothing outside the loop can complete a task, which lets a task that can never complete be reported
        /// instead of waited on for ever.
        /// </summary>
        public static void InstallPoll(delegate*<bool> poll) => s_poll = poll;

        /// <summary>
        /// Waits until the next interrupt or until the deadline (nanoseconds since boot, as TimeSources; long.MaxValue
        /// for none), whichever comes first; returning early is fine. Without one the loop spins.
        /// </summary>
        public static void InstallWait(delegate*<long, void> waitUntil) => s_wait = waitUntil;

        public static bool HasPoll => s_poll != null;

        /// <summary>Continuations ready to run.</summary>
        public static int ReadyCount => s_ready == null ? 0 : s_ready.Count;

        /// <summary>Timers not yet due (delays, CancelAfter).</summary>
        public static int TimerCount => s_timers == null ? 0 : s_timers.Count;

        /// <summary>Queues work to run from the loop, after what is already queued.</summary>
        public static void Post(Action work)
        {
            if (work == null) throw new ArgumentNullException(nameof(work));
            (s_ready ??= new Queue<Action>()).Enqueue(work);
        }

        /// <summary>
        /// One turn: the continuations that were ready when it began (those they queue wait for the next turn, so
        /// timers and the poll are never starved), the timers now due, then the kernel's poll. Returns whether
        /// anything ran. An exception a continuation lets escape (only async void methods do) goes to the caller.
        /// </summary>
        public static bool RunOnce()
        {
            bool ran = false;
            int count = ReadyCount;
            while (count-- > 0 && s_ready.Count > 0)
            {
                Action work = s_ready.Dequeue();
                ran = true;
                work();
            }
            if (RunDueTimers()) ran = true;
            if (s_poll != null && s_poll()) ran = true;
            return ran;
        }

        /// <summary>
        /// Runs the loop until the task completes, waiting for interrupts when idle. Throws InvalidOperationException
        /// if the task can never complete: nothing ready, no timer, and no poll through which the kernel's work
        /// could complete it (a wait alone only brings timers due, and an interrupt handler completes no task).
        /// </summary>
        public static void RunUntilComplete(Task task)
        {
            if (task == null) throw new ArgumentNullException(nameof(task));
            RunUntilCompleteOrDeadline(task, long.MaxValue);
        }

        /// <summary>As RunUntilComplete, but gives up at the deadline (nanoseconds since boot); returns whether the task completed.</summary>
        internal static bool RunUntilCompleteOrDeadline(Task task, long deadline)
        {
            while (!task.IsCompleted)
            {
                if (RunOnce()) continue;
                if (task.IsCompleted) break;
                long now = TimeSources.NanosecondsSinceBoot;
                if (now >= deadline) return false;
                if (deadline == long.MaxValue && ReadyCount == 0 && TimerCount == 0 && s_poll == null)
                    throw new InvalidOperationException(
                        "The task can never complete: the event loop has no continuation ready, no timer pending and no poll installed, so nothing can complete it (a deadlock).");
                long wakeAt = deadline;
                if (TimerCount > 0 && s_timers[0].Due < wakeAt) wakeAt = s_timers[0].Due;
                if (ReadyCount == 0 && s_wait != null) s_wait(wakeAt);
            }
            return true;
        }

        /// <summary>Calls <paramref name="callback"/> from the loop once <paramref name="milliseconds"/> have passed.</summary>
        internal static LoopTimer AddTimer(long milliseconds, Action callback)
        {
            var timer = new LoopTimer(TimeSources.NanosecondsSinceBoot + milliseconds * 1_000_000, callback);
            var timers = s_timers ??= new List<LoopTimer>();
            int at = timers.Count;
            while (at > 0 && timers[at - 1].Due > timer.Due) at--;
            timers.Insert(at, timer);
            return timer;
        }

        internal static void RemoveTimer(LoopTimer timer)
        {
            if (timer != null && s_timers != null) s_timers.Remove(timer);
        }

        private static bool RunDueTimers()
        {
            if (TimerCount == 0) return false;
            long now = TimeSources.NanosecondsSinceBoot;
            bool ran = false;
            while (s_timers.Count > 0 && s_timers[0].Due <= now)
            {
                LoopTimer timer = s_timers[0];
                s_timers.RemoveAt(0);
                ran = true;
                timer.Callback();
            }
            return ran;
        }
    }

    /// <summary>An entry of the event loop's timer queue.</summary>
    internal sealed class LoopTimer
    {
        public readonly long Due;
        public readonly Action Callback;

        public LoopTimer(long due, Action callback)
        {
            Due = due;
            Callback = callback;
        }
    }
}
