namespace System.Net.Sockets
{
    /// <summary>
    /// A socket error, as .NET reports it: <see cref="SocketErrorCode"/> and <see cref="ErrorCode"/> carry the
    /// <see cref="SocketError"/> value, and the message is the text .NET on Linux gives for the same error (the C
    /// library's strerror text of the errno behind it).
    /// </summary>
    public class SocketException : System.ComponentModel.Win32Exception
    {
        public SocketException() : this((int)SocketError.SocketError) { }

        public SocketException(int errorCode) : base(errorCode, MessageFor((SocketError)errorCode)) { }

        public SocketError SocketErrorCode => (SocketError)NativeErrorCode;

        public override int ErrorCode => NativeErrorCode;

        /// <summary>The strerror text Linux gives for the errno that .NET maps to each code.</summary>
        internal static string MessageFor(SocketError error) => error switch
        {
            SocketError.Success => "Success",
            SocketError.Interrupted => "Interrupted system call",
            SocketError.AccessDenied => "Permission denied",
            SocketError.InvalidArgument => "Invalid argument",
            SocketError.TooManyOpenSockets => "Too many open files",
            SocketError.WouldBlock => "Resource temporarily unavailable",
            SocketError.InProgress => "Operation now in progress",
            SocketError.AlreadyInProgress => "Operation already in progress",
            SocketError.MessageSize => "Message too long",
            SocketError.ProtocolNotSupported => "Protocol not supported",
            SocketError.SocketNotSupported => "Socket type not supported",
            SocketError.OperationNotSupported => "Operation not supported",
            SocketError.AddressFamilyNotSupported => "Address family not supported by protocol",
            SocketError.AddressAlreadyInUse => "Address already in use",
            SocketError.AddressNotAvailable => "Cannot assign requested address",
            SocketError.NetworkDown => "Network is down",
            SocketError.NetworkUnreachable => "Network is unreachable",
            SocketError.ConnectionAborted => "Software caused connection abort",
            SocketError.ConnectionReset => "Connection reset by peer",
            SocketError.NoBufferSpaceAvailable => "No buffer space available",
            SocketError.IsConnected => "Transport endpoint is already connected",
            SocketError.NotConnected => "Transport endpoint is not connected",
            SocketError.Shutdown => "Cannot send after transport endpoint shutdown",
            SocketError.TimedOut => "Connection timed out",
            SocketError.ConnectionRefused => "Connection refused",
            SocketError.HostDown => "Host is down",
            SocketError.HostUnreachable => "No route to host",
            SocketError.HostNotFound => "Name or service not known",
            SocketError.TryAgain => "Temporary failure in name resolution",
            SocketError.NoRecovery => "Non-recoverable failure in name resolution",
            SocketError.NoData => "No address associated with hostname",
            SocketError.OperationAborted => "Operation canceled",
            _ => "Unknown socket error",
        };
    }
}
