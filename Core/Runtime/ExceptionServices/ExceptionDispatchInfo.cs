namespace System.Runtime.ExceptionServices
{
    /// <summary>
    /// An exception caught in one place and thrown again in another: a faulted task keeps one per exception so
    /// that every await of it throws the original object (type, message, identity), as on .NET. The kernel's
    /// dispatcher records a new stack trace at the new throw; .NET would append it to the first one.
    /// </summary>
    public sealed class ExceptionDispatchInfo
    {
        private readonly Exception _exception;

        private ExceptionDispatchInfo(Exception exception) { _exception = exception; }

        public static ExceptionDispatchInfo Capture(Exception source)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            return new ExceptionDispatchInfo(source);
        }

        public Exception SourceException => _exception;

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public void Throw() => throw _exception;

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public static void Throw(Exception source) => Capture(source).Throw();
    }
}
