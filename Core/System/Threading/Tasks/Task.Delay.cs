using System.Runtime;

namespace System.Threading.Tasks
{
    /// <summary>Task.Delay: a promise completed by a timer of the event loop, or canceled through its token.</summary>
    public partial class Task
    {
        public static Task Delay(int millisecondsDelay) => Delay(millisecondsDelay, default);

        public static Task Delay(TimeSpan delay) => Delay(delay, default);

        public static Task Delay(TimeSpan delay, CancellationToken cancellationToken)
        {
            long ms = (long)delay.TotalMilliseconds;
            if (ms < -1 || ms > uint.MaxValue - 1) throw new ArgumentOutOfRangeException(nameof(delay));
            return DelayCore(ms, cancellationToken);
        }

        public static Task Delay(int millisecondsDelay, CancellationToken cancellationToken)
        {
            if (millisecondsDelay < -1) throw new ArgumentOutOfRangeException(nameof(millisecondsDelay));
            return DelayCore(millisecondsDelay, cancellationToken);
        }

        private static Task DelayCore(long milliseconds, CancellationToken cancellationToken)
        {
            if (cancellationToken.IsCancellationRequested) return FromCanceled(cancellationToken);
            if (milliseconds == 0) return CompletedTask;
            return new DelayPromise(milliseconds, cancellationToken);
        }

        private sealed class DelayPromise : Task
        {
            private readonly LoopTimer _timer;              // null for an infinite delay
            private readonly CancellationToken _token;
            private CancellationTokenRegistration _registration;

            public DelayPromise(long milliseconds, CancellationToken cancellationToken)
            {
                _token = cancellationToken;
                if (milliseconds != -1) _timer = EventLoop.AddTimer(milliseconds, Elapsed);
                if (cancellationToken.CanBeCanceled)
                    _registration = cancellationToken.Register(static state => ((DelayPromise)state).Cancel(), this);
            }

            private void Elapsed()
            {
                _registration.Dispose();
                TrySetRanToCompletion();
            }

            private void Cancel()
            {
                EventLoop.RemoveTimer(_timer);
                TrySetCanceled(_token);
            }
        }
    }
}
