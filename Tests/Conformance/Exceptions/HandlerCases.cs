#nullable disable
using System;
using System.Runtime.CompilerServices;

namespace Cosmos.Conformance
{
    /// <summary>
    /// Exceptions thrown while a handler runs: from a catch or a finally (the new exception is looked for in the
    /// try blocks around that handler), rethrow with <c>throw;</c> and <c>throw e;</c>, faults in handlers.
    /// </summary>
    public static class HandlerCases
    {
        public static void Register(CaseList list)
        {
            list.Add("eh.throw-in-catch", ThrowInCatch);
            list.Add("eh.throw-in-finally-replaces", ThrowInFinallyReplaces);
            list.Add("eh.throw-in-finally-while-unwinding", ThrowInFinallyWhileUnwinding);
            list.Add("eh.rethrow-same-object", RethrowSameObject);
            list.Add("eh.rethrow-keeps-stack-trace", RethrowKeepsStackTrace);
            list.Add("eh.rethrow-from-nested-catch", RethrowFromNestedCatch);
            list.Add("eh.throw-caught-object-resets-trace", ThrowCaughtObjectResetsTrace);
            list.Add("eh.fault-in-catch-handler", FaultInCatchHandler);
            list.Add("eh.finally-throws-caught-in-same-method", FinallyThrowsCaughtInSameMethod);
            list.Add("eh.finally-called-normally-throws", FinallyCalledNormallyThrows);
            list.Add("eh.catch-in-caller-of-handler", CatchInCallerOfHandler);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Throw(string message) => throw new InvalidOperationException(message);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ThrowArgument(string name)
        {
            if (name != null) throw new ArgumentException("bad argument", name);
            return 0;
        }

        private static void ThrowInCatch(Transcript t)
        {
            try
            {
                try { Throw("original"); }
                catch (InvalidOperationException e) { throw new ConformanceException("from the catch", e); }
            }
            catch (ConformanceException e)
            {
                t.Caught("outer", e);
                t.Caught("inner", e.InnerException);
            }
        }

        private static void ThrowInFinallyReplaces(Transcript t)
        {
            try
            {
                try { t.Line("try completes"); }
                finally { ThrowArgument("finally"); }
            }
            catch (ArgumentException e) { t.Caught("caught", e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void FinallyThrowsWhileUnwinding(Transcript t)
        {
            try { Throw("lost"); }
            finally
            {
                t.Line("finally runs during the second pass");
                throw new ConformanceException("replacement", 2);
            }
        }

        private static void ThrowInFinallyWhileUnwinding(Transcript t)
        {
            try { FinallyThrowsWhileUnwinding(t); }
            catch (InvalidOperationException) { t.Line("wrong: the original arrived"); }
            catch (ConformanceException e) { t.Caught("the replacement arrives", e); t.Line("code", e.Code); }
        }

        private static Exception s_firstCaught;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RethrowingMiddle()
        {
            try { Throw("rethrown"); }
            catch (InvalidOperationException e)
            {
                s_firstCaught = e;
                throw;
            }
        }

        private static void RethrowSameObject(Transcript t)
        {
            try { RethrowingMiddle(); }
            catch (InvalidOperationException e)
            {
                t.Line("same object", ReferenceEquals(e, s_firstCaught));
                t.Caught("caught", e);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void OriginalThrower() => throw new FormatException("original site");

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RethrowKeepsMiddle()
        {
            try { OriginalThrower(); }
            catch (FormatException) { throw; }
        }

        private static void RethrowKeepsStackTrace(Transcript t)
        {
            try { RethrowKeepsMiddle(); }
            catch (FormatException e)
            {
                string trace = e.StackTrace;
                t.Line("trace names the original thrower", Transcript.Mentions(trace, "OriginalThrower"));
                t.Line("trace names the rethrowing method", Transcript.Mentions(trace, "RethrowKeepsMiddle"));
                t.Line("thrower inside the rethrower", Transcript.MentionsInOrder(trace, "OriginalThrower", "RethrowKeepsMiddle"));
                t.Line("rethrowing method named once", Text.Count(trace, "RethrowKeepsMiddle"));
            }
        }

        private static void RethrowFromNestedCatch(Transcript t)
        {
            try
            {
                try { Throw("outer one"); }
                catch (InvalidOperationException)
                {
                    try { ThrowArgument("inner one"); }
                    catch (ArgumentException) { t.Line("inner handled"); }
                    throw; // rethrows the InvalidOperationException, not the ArgumentException
                }
            }
            catch (Exception e) { t.Caught("rethrown", e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowsCaughtObject()
        {
            try { OriginalThrower(); }
#pragma warning disable CA2200 // the point of the case: `throw e` starts a new stack trace
            catch (FormatException e) { throw e; }
#pragma warning restore CA2200
        }

        private static void ThrowCaughtObjectResetsTrace(Transcript t)
        {
            try { ThrowsCaughtObject(); }
            catch (FormatException e)
            {
                t.Line("trace names the original thrower", Transcript.Mentions(e.StackTrace, "OriginalThrower"));
                t.Line("trace names the method that threw it again", Transcript.Mentions(e.StackTrace, "ThrowsCaughtObject"));
            }
        }

        private sealed class Holder { public int Value = 3; }

        private static void FaultInCatchHandler(Transcript t)
        {
            Holder h = null;
            try
            {
                try { Throw("first"); }
                catch (InvalidOperationException) { t.Line("value", h.Value); }
            }
            catch (NullReferenceException e) { t.Caught("fault in the catch handler", e); }
        }

        private static void FinallyThrowsCaughtInSameMethod(Transcript t)
        {
            try
            {
                try { Throw("first"); }
                finally { t.Line("finally throws"); ThrowArgument("second"); }
            }
            catch (ArgumentException e) { t.Caught("the finally's exception, caught around it", e); }
            catch (InvalidOperationException) { t.Line("wrong: the first arrived"); }
        }

        private static int s_finallyRuns;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int FinallyWithLoop(Transcript t, int mode)
        {
            int total = 0;
            try
            {
                if (mode == 0) return 1;
                for (int i = 0; i < mode; i++) total += i;
            }
            finally
            {
                // A loop and a throw: too much for the compiler to copy the finally into each exit, so it is a
                // funclet called on the normal paths too.
                s_finallyRuns++;
                for (int i = 0; i < 3; i++) total += i;
                if (mode == 2) throw new ConformanceException("from a finally on the normal path", total);
            }
            return total;
        }

        private static void FinallyCalledNormallyThrows(Transcript t)
        {
            s_finallyRuns = 0;
            t.Line("return path", FinallyWithLoop(t, 0));
            t.Line("fall-through path", FinallyWithLoop(t, 4));
            try { FinallyWithLoop(t, 2); }
            catch (ConformanceException e) { t.Caught("thrown by the finally", e); t.Line("code", e.Code); }
            t.Line("finally runs (once per call)", s_finallyRuns);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void HandlerThrowsOut()
        {
            try { Throw("caught here first"); }
            catch (InvalidOperationException e) { throw new FormatException("then out of the handler", e); }
            finally { s_finallyRuns += 100; }
        }

        private static void CatchInCallerOfHandler(Transcript t)
        {
            s_finallyRuns = 0;
            try { HandlerThrowsOut(); }
            catch (FormatException e) { t.Caught("caught by the caller", e); t.Caught("inner", e.InnerException); }
            t.Line("the handler's method ran its finally", s_finallyRuns);
        }
    }
}
