using System.Threading;

namespace System
{
    /// <summary>
    /// Thrown when an operation stops because its CancellationToken was canceled (ThrowIfCancellationRequested);
    /// an async method that lets one escape ends Canceled rather than Faulted, as on .NET.
    /// </summary>
    public class OperationCanceledException : SystemException
    {
        private const string DefaultMessage = "The operation was canceled.";

        public OperationCanceledException() : base(DefaultMessage) { }
        public OperationCanceledException(string message) : base(message ?? DefaultMessage) { }
        public OperationCanceledException(string message, Exception innerException) : base(message ?? DefaultMessage, innerException) { }
        public OperationCanceledException(CancellationToken token) : this() { CancellationToken = token; }
        public OperationCanceledException(string message, CancellationToken token) : this(message) { CancellationToken = token; }
        public OperationCanceledException(string message, Exception innerException, CancellationToken token) : this(message, innerException) { CancellationToken = token; }

        public CancellationToken CancellationToken { get; private set; }
    }
}
