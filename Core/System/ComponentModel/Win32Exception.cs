namespace System.Runtime.InteropServices
{
    /// <summary>.NET's base of exceptions that carry an error code from outside managed code (here: the network stack's).</summary>
    public class ExternalException : SystemException
    {
        public ExternalException() : base("External component has thrown an exception.") { HResult = unchecked((int)0x80004005); }
        public ExternalException(string message) : base(message) { HResult = unchecked((int)0x80004005); }
        public ExternalException(string message, Exception innerException) : base(message, innerException) { HResult = unchecked((int)0x80004005); }
        public ExternalException(string message, int errorCode) : base(message) { HResult = errorCode; }

        public virtual int ErrorCode => HResult;
    }
}

namespace System.ComponentModel
{
    /// <summary>An error with a native error code (SocketException's base, as on .NET).</summary>
    public class Win32Exception : System.Runtime.InteropServices.ExternalException
    {
        public Win32Exception(int error, string message) : base(message) { NativeErrorCode = error; }
        public Win32Exception(string message) : base(message) { }

        public int NativeErrorCode { get; }
    }
}
