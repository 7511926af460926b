using System;
using System.Runtime;

namespace Internal.Runtime.ExceptionHandling
{
    /// <summary>
    /// An exception nobody catches ends the run, loudly: its type and message, where it was thrown, the stack
    /// trace the first pass recorded, then each inner exception the same way, as a panic (so the runner sees
    /// the report and the failure exit code). Written with the panic writer, which allocates nothing.
    /// </summary>
    public static unsafe class UnhandledExceptionReport
    {
        public static void Report(object exception, RegisterSet* context, bool instructionFault)
        {
            Panic.Begin();
            Panic.Write("unhandled exception ");
            WriteTypeAndMessage(exception);
            ulong site = instructionFault ? context->Rip : context->Rip - 1;
            Panic.Write("\n  thrown at ");
            Panic.WriteHex(site);
            Panic.Write(" ");
            if (!Panic.WriteSymbol((nuint)site)) Panic.Write("(no symbol)");
            if (exception is Exception e)
            {
                WriteTrace(e);
                int depth = 0;
                for (Exception inner = e.InnerException; inner != null && depth < 8; inner = inner.InnerException, depth++)
                {
                    Panic.Write("\n  inner exception ");
                    WriteTypeAndMessage(inner);
                    WriteTrace(inner);
                }
            }
            Panic.End();
        }

        private static void WriteTypeAndMessage(object exception)
        {
            char* name = stackalloc char[160];
            int n = TypeNames.WriteFullName(exception.GetMethodTable(), name, 160);
            Panic.Write(new ReadOnlySpan<char>(name, n));
            if (exception is Exception e)
            {
                Panic.Write(": ");
                Panic.Write(e.Message);
            }
        }

        private static void WriteTrace(Exception e)
        {
            ref StackTraceBuffer trace = ref e.RecordedStackTrace;
            if (trace.Count == 0) return;
            Panic.Write("\n  stack trace:");
            char* line = stackalloc char[200];
            for (int i = 0; i < trace.Count; i++)
            {
                Panic.Write("\n  ");
                Panic.Write(new ReadOnlySpan<char>(line, StackTraceFormatter.WriteFrame(trace.Frames[i], line, 200)));
            }
            if (trace.Dropped > 0)
            {
                Panic.Write("\n     ... ");
                Panic.WriteDecimal(trace.Dropped);
                Panic.Write(" more frames");
            }
        }
    }
}
