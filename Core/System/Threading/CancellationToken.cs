namespace System.Threading
{
    /// <summary>
    /// A view of a CancellationTokenSource that can only observe it: whether cancellation was requested, and
    /// callbacks to run when it is. The default token (None) can never be canceled.
    /// </summary>
    public readonly struct CancellationToken : IEquatable<CancellationToken>
    {
        private readonly CancellationTokenSource _source;

        internal CancellationToken(CancellationTokenSource source) { _source = source; }

        /// <summary>A token that is canceled already (true) or can never be (false).</summary>
        public CancellationToken(bool canceled) { _source = canceled ? CancellationTokenSource.CanceledSource : null; }

        public static CancellationToken None => default;

        public bool IsCancellationRequested => _source != null && _source.IsCancellationRequested;

        public bool CanBeCanceled => _source != null;

        public void ThrowIfCancellationRequested()
        {
            if (IsCancellationRequested) throw new OperationCanceledException("The operation was canceled.", this);
        }

        /// <summary>Runs the callback when cancellation is requested, at once if it already was (as on .NET).</summary>
        public CancellationTokenRegistration Register(Action callback)
        {
            if (callback == null) throw new ArgumentNullException(nameof(callback));
            return Register(static state => ((Action)state)(), callback);
        }

        public CancellationTokenRegistration Register(Action callback, bool useSynchronizationContext) => Register(callback);

        public CancellationTokenRegistration Register(Action<object> callback, object state)
        {
            if (callback == null) throw new ArgumentNullException(nameof(callback));
            if (_source == null) return default;
            return _source.AddCallback(callback, state);
        }

        public CancellationTokenRegistration UnsafeRegister(Action<object> callback, object state) => Register(callback, state);

        public bool Equals(CancellationToken other) => _source == other._source;
        public override bool Equals(object other) => other is CancellationToken token && Equals(token);
        public override int GetHashCode() => _source == null ? 0 : _source.GetHashCode();
        public static bool operator ==(CancellationToken left, CancellationToken right) => left.Equals(right);
        public static bool operator !=(CancellationToken left, CancellationToken right) => !left.Equals(right);
    }
}
