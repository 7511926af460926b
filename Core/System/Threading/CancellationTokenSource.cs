using System.Collections.Generic;
using System.Runtime;

namespace System.Threading
{
    /// <summary>
    /// Signals cancellation to the tokens it hands out. Cancel runs the registered callbacks at once, on the caller's
    /// stack, newest first (as .NET does); CancelAfter and the delay constructors use the event loop's timer queue,
    /// so a timed cancellation happens from the loop. One thread: nothing here locks.
    /// </summary>
    public class CancellationTokenSource : IDisposable
    {
        internal static readonly CancellationTokenSource CanceledSource = NewCanceled();

        private List<Callback> _callbacks;
        private bool _canceled;
        private bool _disposed;
        private LoopTimer _timer;
        private CancellationTokenRegistration[] _links; // registrations on the tokens a linked source follows

        public CancellationTokenSource() { }

        public CancellationTokenSource(int millisecondsDelay)
        {
            if (millisecondsDelay < -1) throw new ArgumentOutOfRangeException(nameof(millisecondsDelay));
            if (millisecondsDelay == 0) _canceled = true; // as .NET: a zero delay is canceled from the start
            else if (millisecondsDelay != -1) Schedule(millisecondsDelay);
        }

        public CancellationTokenSource(TimeSpan delay) : this(ToMilliseconds(delay, nameof(delay))) { }

        private static CancellationTokenSource NewCanceled()
        {
            var source = new CancellationTokenSource();
            source._canceled = true;
            return source;
        }

        public bool IsCancellationRequested => _canceled;

        public CancellationToken Token
        {
            get
            {
                ThrowIfDisposed();
                return new CancellationToken(this);
            }
        }

        public void Cancel() => Cancel(false);

        /// <summary>
        /// Runs every callback; with throwOnFirstException false the exceptions they throw are collected and thrown
        /// together as an AggregateException once all have run.
        /// </summary>
        public void Cancel(bool throwOnFirstException)
        {
            ThrowIfDisposed();
            if (_canceled) return;
            _canceled = true;
            StopTimer();
            List<Exception> failures = null;
            var callbacks = _callbacks;
            _callbacks = null;
            if (callbacks == null) return;
            for (int i = callbacks.Count - 1; i >= 0; i--)
            {
                Callback callback = callbacks[i];
                callback.Ran = true;
                if (throwOnFirstException)
                {
                    callback.Invoke();
                    continue;
                }
                try
                {
                    callback.Invoke();
                }
                catch (Exception e)
                {
                    (failures ??= new List<Exception>()).Add(e);
                }
            }
            if (failures != null) throw new AggregateException(failures);
        }

        public void CancelAfter(TimeSpan delay) => CancelAfter(ToMilliseconds(delay, nameof(delay)));

        /// <summary>Cancels after the delay (replacing any earlier one); -1 stops the pending one.</summary>
        public void CancelAfter(int millisecondsDelay)
        {
            ThrowIfDisposed();
            if (millisecondsDelay < -1) throw new ArgumentOutOfRangeException(nameof(millisecondsDelay));
            if (_canceled) return;
            StopTimer();
            if (millisecondsDelay != -1) Schedule(millisecondsDelay);
        }

        public static CancellationTokenSource CreateLinkedTokenSource(CancellationToken token1, CancellationToken token2) =>
            CreateLinkedTokenSource(new[] { token1, token2 });

        public static CancellationTokenSource CreateLinkedTokenSource(CancellationToken token) =>
            CreateLinkedTokenSource(new[] { token });

        /// <summary>A source canceled when any of the tokens is (at once if one already is).</summary>
        public static CancellationTokenSource CreateLinkedTokenSource(params CancellationToken[] tokens)
        {
            if (tokens == null) throw new ArgumentNullException(nameof(tokens));
            var linked = new CancellationTokenSource();
            linked._links = new CancellationTokenRegistration[tokens.Length];
            for (int i = 0; i < tokens.Length; i++)
            {
                if (!tokens[i].CanBeCanceled) continue;
                linked._links[i] = tokens[i].Register(static state => ((CancellationTokenSource)state).CancelIfLive(), linked);
            }
            return linked;
        }

        public void Dispose()
        {
            Dispose(true);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (!disposing || _disposed) return;
            _disposed = true;
            StopTimer();
            if (_links != null)
            {
                for (int i = 0; i < _links.Length; i++) _links[i].Dispose();
                _links = null;
            }
        }

        private void CancelIfLive()
        {
            if (!_disposed) Cancel();
        }

        private void Schedule(int milliseconds)
        {
            _timer = EventLoop.AddTimer(milliseconds, CancelIfLive);
        }

        private void StopTimer()
        {
            EventLoop.RemoveTimer(_timer);
            _timer = null;
        }

        private void ThrowIfDisposed()
        {
            if (_disposed) throw new ObjectDisposedException(null, "The CancellationTokenSource has been disposed.");
        }

        private static int ToMilliseconds(TimeSpan delay, string paramName)
        {
            long ms = (long)delay.TotalMilliseconds;
            if (ms < -1 || ms > uint.MaxValue - 1) throw new ArgumentOutOfRangeException(paramName);
            return ms > int.MaxValue ? int.MaxValue : (int)ms;
        }

        internal CancellationTokenRegistration AddCallback(Action<object> action, object state)
        {
            var callback = new Callback { Source = this, Action = action, State = state };
            if (_canceled)
            {
                callback.Ran = true;
                callback.Invoke();
                return default;
            }
            (_callbacks ??= new List<Callback>()).Add(callback);
            return new CancellationTokenRegistration(callback);
        }

        internal bool RemoveCallback(Callback callback) => !callback.Ran && _callbacks != null && _callbacks.Remove(callback);

        /// <summary>One registered callback with its state.</summary>
        internal sealed class Callback
        {
            public CancellationTokenSource Source;
            public Action<object> Action;
            public object State;
            public bool Ran;

            public void Invoke() => Action(State);
        }
    }
}
