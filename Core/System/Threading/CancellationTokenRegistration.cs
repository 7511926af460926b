namespace System.Threading
{
    /// <summary>A callback registered on a token; disposing it unregisters the callback if it has not run.</summary>
    public readonly struct CancellationTokenRegistration : IDisposable, IEquatable<CancellationTokenRegistration>
    {
        private readonly CancellationTokenSource.Callback _callback;

        internal CancellationTokenRegistration(CancellationTokenSource.Callback callback) { _callback = callback; }

        public CancellationToken Token => _callback == null ? default : new CancellationToken(_callback.Source);

        public void Dispose() => Unregister();

        /// <summary>Whether the callback was removed before it ran.</summary>
        public bool Unregister() => _callback != null && _callback.Source.RemoveCallback(_callback);

        public bool Equals(CancellationTokenRegistration other) => _callback == other._callback;
        public override bool Equals(object other) => other is CancellationTokenRegistration r && Equals(r);
        public override int GetHashCode() => _callback == null ? 0 : _callback.GetHashCode();
        public static bool operator ==(CancellationTokenRegistration left, CancellationTokenRegistration right) => left.Equals(right);
        public static bool operator !=(CancellationTokenRegistration left, CancellationTokenRegistration right) => !left.Equals(right);
    }
}
