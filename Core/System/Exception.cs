namespace System
{
    /// <summary>
    /// Exceptions carry a message. The kernel has no unwinder yet: a throw that reaches the runtime
    /// becomes a panic naming the exception's type (from the symbol map) and its message.
    /// </summary>
    public class Exception
    {
        private readonly string _message;
        public Exception() { }
        public Exception(string message) { _message = message; }
        public virtual string Message => _message ?? "(no message)";
    }

    public class SystemException : Exception { public SystemException() { } public SystemException(string m) : base(m) { } }
    public sealed class InvalidOperationException : SystemException { public InvalidOperationException() { } public InvalidOperationException(string m) : base(m) { } }
    public class ArgumentException : SystemException { public ArgumentException() { } public ArgumentException(string m) : base(m) { } }
    public sealed class ArgumentNullException : ArgumentException { public ArgumentNullException() { } public ArgumentNullException(string m) : base(m) { } }
    public sealed class ArgumentOutOfRangeException : ArgumentException { public ArgumentOutOfRangeException() { } public ArgumentOutOfRangeException(string m) : base(m) { } }
    public sealed class IndexOutOfRangeException : SystemException { public IndexOutOfRangeException() : base("Index was outside the bounds of the array.") { } }
    public sealed class NullReferenceException : SystemException { public NullReferenceException() : base("Object reference not set to an instance of an object.") { } }
    public sealed class InvalidCastException : SystemException { public InvalidCastException() : base("Specified cast is not valid.") { } }
    public sealed class OverflowException : SystemException { public OverflowException() : base("Arithmetic operation resulted in an overflow.") { } }
    public sealed class DivideByZeroException : SystemException { public DivideByZeroException() : base("Attempted to divide by zero.") { } }
    public sealed class OutOfMemoryException : SystemException { public OutOfMemoryException() : base("Out of memory.") { } public OutOfMemoryException(string m) : base(m) { } }
    public sealed class NotSupportedException : SystemException { public NotSupportedException() { } public NotSupportedException(string m) : base(m) { } }
    public sealed class ArrayTypeMismatchException : SystemException { public ArrayTypeMismatchException() : base("Array type mismatch.") { } }
    public sealed class PlatformNotSupportedException : SystemException { public PlatformNotSupportedException() { } }
    public sealed class FormatException : SystemException { public FormatException(string m) : base(m) { } }
}
