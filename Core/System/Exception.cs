using System.Runtime;
using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>
    /// The base of every exception, as on .NET: a message, an inner exception, and the stack trace the
    /// dispatcher records while it looks for a handler (Core/Runtime/ExceptionHandling). The trace is a
    /// fixed buffer of code addresses inside the object, so recording it allocates nothing and freeing the
    /// exception (Allocator.Free) frees it; method names come from the kernel's symbol map when the trace is
    /// read.
    /// </summary>
    public class Exception
    {
        private string _message;
        private Exception _innerException;
        private StackTraceBuffer _stackTrace;

        public Exception() { }
        public Exception(string message) { _message = message; }
        public Exception(string message, Exception innerException)
        {
            _message = message;
            _innerException = innerException;
        }

        public int HResult { get; set; }

        /// <summary>As .NET: the message given, else "Exception of type 'T' was thrown."</summary>
        public virtual string Message => _message ?? string.Concat("Exception of type '", GetType().FullName, "' was thrown.");

        public Exception InnerException => _innerException;

        public virtual Exception GetBaseException()
        {
            Exception e = this;
            while (e._innerException != null) e = e._innerException;
            return e;
        }

        /// <summary>
        /// The frames from the throw to the catch, one "   at method + 0xoffset" line each (method names from
        /// the symbol map: ilc's mangled names), or null if the exception was never thrown.
        /// </summary>
        public virtual string StackTrace => _stackTrace.Count == 0 ? null : StackTraceFormatter.Format(ref _stackTrace);

        /// <summary>As .NET: "Type: message", the inner exception after " ---> ", then the stack trace.</summary>
        public override string ToString()
        {
            string result = GetType().FullName;
            string message = Message;
            if (message != null && message.Length > 0) result = string.Concat(result, ": ", message);
            if (_innerException != null)
                result = string.Concat(result, "\n ---> ", _innerException.ToString(), "\n   --- End of inner exception stack trace ---");
            string trace = StackTrace;
            if (trace != null) result = string.Concat(result, "\n", trace);
            return result;
        }

        // ---- for the dispatcher ----

        internal void ResetStackTrace()
        {
            _stackTrace.Count = 0;
            _stackTrace.Dropped = 0;
        }

        internal void AppendStackFrame(ulong ip) => _stackTrace.Append(ip);

        internal ref StackTraceBuffer RecordedStackTrace => ref _stackTrace;
    }
}

namespace System.Runtime
{
    /// <summary>Code addresses of a thrown exception's frames, innermost first.</summary>
    public unsafe struct StackTraceBuffer
    {
        public const int Capacity = 48;
        public fixed ulong Frames[Capacity];
        public int Count;
        /// <summary>Frames beyond the capacity, counted but not kept (the outermost ones).</summary>
        public int Dropped;

        public void Append(ulong ip)
        {
            if (Count < Capacity) Frames[Count++] = ip;
            else Dropped++;
        }
    }

    internal static unsafe class StackTraceFormatter
    {
        public static string Format(ref StackTraceBuffer trace)
        {
            const int LineCapacity = 200;
            int capacity = (trace.Count + 1) * LineCapacity;
            char[] buffer = new char[capacity];
            int n = 0;
            fixed (char* chars = buffer)
            {
                for (int i = 0; i < trace.Count; i++)
                {
                    if (i > 0) chars[n++] = '\n';
                    n += WriteFrame(trace.Frames[i], chars + n, LineCapacity - 1);
                }
                if (trace.Dropped > 0)
                {
                    n += Copy("\n   ... ", chars + n);
                    n += Number.FormatDecimal(trace.Dropped, chars + n, 20);
                    n += Copy(" more frames", chars + n);
                }
            }
            string s = string.Create(new ReadOnlySpan<char>(buffer, 0, n));
            Allocator.Free(buffer);
            return s;
        }

        /// <summary>"   at name + 0xoffset", or "   at 0xaddress" when the symbol map does not know it.</summary>
        public static int WriteFrame(ulong ip, char* into, int capacity)
        {
            int n = Copy("   at ", into);
            nuint start = 0;
            int nameLength = Panic.SymbolLookup == null ? 0 : Panic.SymbolLookup((nuint)ip, into + n, capacity - n - 24, &start);
            if (nameLength <= 0)
            {
                n += Copy("0x", into + n);
                return n + Number.FormatHex(ip, 16, false, into + n, 16);
            }
            n += nameLength;
            n += Copy(" + 0x", into + n);
            return n + Number.FormatHex(ip - start, 1, false, into + n, 16);
        }

        private static int Copy(string s, char* into)
        {
            for (int i = 0; i < s.Length; i++) into[i] = s[i];
            return s.Length;
        }
    }
}
