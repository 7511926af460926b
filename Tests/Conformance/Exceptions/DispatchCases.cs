#nullable disable
using System;
using System.Runtime.CompilerServices;

namespace Cosmos.Conformance
{
    /// <summary>Where control goes: catch selection, finally order, nesting, using, values across a catch.</summary>
    public static class DispatchCases
    {
        public static void Register(CaseList list)
        {
            list.Add("eh.catch-same-method", CatchSameMethod);
            list.Add("eh.catch-across-call", CatchAcrossCall);
            list.Add("eh.catch-base-type", CatchBaseType);
            list.Add("eh.catch-first-matching-clause", FirstMatchingClause);
            list.Add("eh.catch-skips-other-types", SkipsOtherTypes);
            list.Add("eh.catch-all", CatchAll);
            list.Add("eh.finally-normal-path", FinallyNormalPath);
            list.Add("eh.finally-on-exception", FinallyOnException);
            list.Add("eh.finally-nested-order", FinallyNestedOrder);
            list.Add("eh.finally-across-frames", FinallyAcrossFrames);
            list.Add("eh.finally-return-break-continue", FinallyReturnBreakContinue);
            list.Add("eh.nested-try-in-try", NestedTryInTry);
            list.Add("eh.nested-try-in-catch", NestedTryInCatch);
            list.Add("eh.nested-try-in-finally", NestedTryInFinally);
            list.Add("eh.locals-survive-catch", LocalsSurviveCatch);
            list.Add("eh.loop-of-100-throws", LoopOf100Throws);
            list.Add("eh.using-disposes", UsingDisposes);
            list.Add("eh.exception-escapes-two-catches", EscapesTwoCatches);
            list.Add("eh.callers-registers-survive", CallersRegistersSurvive);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Throw(string message) => throw new InvalidOperationException(message);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ThrowArgument(string name)
        {
            if (name != null) throw new ArgumentException("bad argument", name);
            return 0;
        }

        private static void CatchSameMethod(Transcript t)
        {
            int stage = 0;
            try
            {
                stage = 1;
                throw new InvalidOperationException("here");
            }
            catch (InvalidOperationException e)
            {
                t.Line("caught after stage", stage);
                t.Caught("exception", e);
            }
            t.Line("after the try");
        }

        private static void CatchAcrossCall(Transcript t)
        {
            try
            {
                Throw("from a callee");
                t.Line("not reached");
            }
            catch (InvalidOperationException e)
            {
                t.Caught("caught", e);
            }
        }

        private static void CatchBaseType(Transcript t)
        {
            try { ThrowArgument("p"); }
            catch (SystemException e) { t.Caught("SystemException clause", e); }
            try { Throw("x"); }
            catch (Exception e) { t.Caught("Exception clause", e); }
            try { throw new ArgumentNullException("q"); }
            catch (ArgumentException e) { t.Caught("ArgumentException clause", e); }
        }

        private static void FirstMatchingClause(Transcript t)
        {
            for (int i = 0; i < 4; i++)
            {
                try
                {
                    if (i == 0) throw new ArgumentNullException("a");
                    if (i == 1) throw new ArgumentException("b");
                    if (i == 2) throw new InvalidOperationException("c");
                    throw new Exception("d");
                }
                catch (ArgumentNullException) { t.Line("clause ArgumentNullException", i); }
                catch (ArgumentException) { t.Line("clause ArgumentException", i); }
                catch (InvalidOperationException) { t.Line("clause InvalidOperationException", i); }
                catch (Exception) { t.Line("clause Exception", i); }
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void CatchesOnlyFormat(Transcript t)
        {
            try { Throw("passes through"); }
            catch (FormatException) { t.Line("wrong clause"); }
            t.Line("not reached");
        }

        private static void SkipsOtherTypes(Transcript t)
        {
            try { CatchesOnlyFormat(t); }
            catch (InvalidOperationException e) { t.Caught("outer", e); }
        }

        private static void CatchAll(Transcript t)
        {
            try { Throw("anything"); }
            catch { t.Line("bare catch ran"); }
            try { ThrowArgument("z"); }
            catch (Exception) { t.Line("catch (Exception) without a variable ran"); }
        }

        private static void FinallyNormalPath(Transcript t)
        {
            try { t.Line("try body"); }
            finally { t.Line("finally"); }
            t.Line("after");
        }

        private static void FinallyOnException(Transcript t)
        {
            try
            {
                try { Throw("through a finally"); }
                finally { t.Line("finally ran"); }
            }
            catch (InvalidOperationException e) { t.Caught("then caught", e); }
        }

        private static void FinallyNestedOrder(Transcript t)
        {
            try
            {
                try
                {
                    try { Throw("deep"); }
                    finally { t.Line("finally 1 (innermost)"); }
                }
                finally { t.Line("finally 2"); }
            }
            catch (Exception) { t.Line("catch after both"); }
            finally { t.Line("finally 3 (after the catch)"); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void FrameWithFinally(Transcript t, int depth)
        {
            try
            {
                if (depth == 0) Throw("bottom");
                else FrameWithFinally(t, depth - 1);
            }
            finally { t.Line("finally of frame", depth); }
        }

        private static void FinallyAcrossFrames(Transcript t)
        {
            try { FrameWithFinally(t, 3); }
            catch (InvalidOperationException e) { t.Caught("caught below all four", e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ReturnFromTry(Transcript t)
        {
            try { return 5; }
            finally { t.Line("finally on return"); }
        }

        private static void FinallyReturnBreakContinue(Transcript t)
        {
            t.Line("returned", ReturnFromTry(t));
            for (int i = 0; i < 3; i++)
            {
                try
                {
                    if (i == 0) continue;
                    if (i == 2) break;
                    t.Line("body", i);
                }
                finally { t.Line("finally of iteration", i); }
            }
        }

        private static void NestedTryInTry(Transcript t)
        {
            try
            {
                try { ThrowArgument("inner"); }
                catch (ArgumentException e) { t.Caught("inner catch", e); }
                Throw("second");
            }
            catch (InvalidOperationException e) { t.Caught("outer catch", e); }
        }

        private static void NestedTryInCatch(Transcript t)
        {
            try { Throw("first"); }
            catch (InvalidOperationException first)
            {
                try { ThrowArgument("second"); }
                catch (ArgumentException second) { t.Caught("nested catch", second); }
                finally { t.Line("nested finally"); }
                t.Caught("still handling", first);
            }
        }

        private static void NestedTryInFinally(Transcript t)
        {
            try
            {
                try { Throw("outer exception"); }
                finally
                {
                    try { ThrowArgument("inside finally"); }
                    catch (ArgumentException e) { t.Caught("caught inside the finally", e); }
                    t.Line("finally completes");
                }
            }
            catch (InvalidOperationException e) { t.Caught("original continues", e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long Mix(long a, long b, int step)
        {
            if (step == 3) Throw("mid computation");
            return a * 31 + b;
        }

        private static void LocalsSurviveCatch(Transcript t)
        {
            // Many values live across the try, so some sit in callee-saved registers: the catch must see them intact.
            long a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7;
            int caught = 0;
            for (int step = 0; step < 6; step++)
            {
                try
                {
                    a = Mix(a, b, step); b = Mix(b, c, 0); c = Mix(c, d, 0);
                    d = Mix(d, e, 0); e = Mix(e, f, 0); f = Mix(f, g, 0); g = Mix(g, a, 0);
                }
                catch (InvalidOperationException) { caught++; }
                a ^= g; b ^= f;
            }
            t.Line("caught", caught);
            t.Line("sum", (a + b + c + d + e + f + g).ToString());
        }

        private static void LoopOf100Throws(Transcript t)
        {
            int caught = 0, finallies = 0;
            for (int i = 0; i < 100; i++)
            {
                try
                {
                    try { if (i % 2 == 0) Throw("even"); else ThrowArgument("odd"); }
                    finally { finallies++; }
                }
                catch (InvalidOperationException) { caught += 1; }
                catch (ArgumentException) { caught += 1000; }
            }
            t.Line("caught", caught);
            t.Line("finally blocks", finallies);
        }

        private sealed class Resource : IDisposable
        {
            private readonly Transcript _t;
            private readonly string _name;
            public Resource(Transcript t, string name) { _t = t; _name = name; }
            public void Dispose() => _t.Line("disposed", _name);
        }

        private static void UsingDisposes(Transcript t)
        {
            using (new Resource(t, "normal")) { t.Line("using body"); }
            try
            {
                using (var r1 = new Resource(t, "outer"))
                using (var r2 = new Resource(t, "inner"))
                {
                    Throw("inside using");
                }
            }
            catch (InvalidOperationException e) { t.Caught("after both disposals", e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void TwoCatchesThatDoNotMatch()
        {
            try
            {
                try { Throw("escapes"); }
                catch (ArgumentException) { }
            }
            catch (FormatException) { }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long ClobberAndThrow(long seed)
        {
            // Enough live values to use every callee-saved register; they are saved in this frame's prolog and
            // only unwinding puts the caller's values back.
            long a = seed, b = seed * 3, c = seed * 5, d = seed * 7, e = seed * 11, f = seed * 13;
            for (int i = 0; i < 4; i++) { a += b; b ^= c; c += d; d ^= e; e += f; f ^= a; }
            if (seed >= 0) throw new ConformanceException("clobbered", (int)(a ^ b ^ c ^ d ^ e ^ f));
            return a + b + c + d + e + f;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long CatchesInside(long seed)
        {
            try { return ClobberAndThrow(seed); }
            catch (ConformanceException e) { return e.Code & 0xFF; }
        }

        private static void CallersRegistersSurvive(Transcript t)
        {
            // Values the compiler keeps in callee-saved registers across the calls: the exceptions thrown and
            // caught below must leave them as they were.
            long p = 1, q = 2, r = 3, s = 4, u = 5;
            for (int i = 0; i < 20; i++)
            {
                long got = CatchesInside(i);
                p = p * 3 + got; q += p ^ i; r ^= q + 7; s += r * 5; u ^= s + got;
            }
            t.Line("p", p.ToString());
            t.Line("q", q.ToString());
            t.Line("r", r.ToString());
            t.Line("s", s.ToString());
            t.Line("u", u.ToString());
        }

        private static void EscapesTwoCatches(Transcript t)
        {
            try { TwoCatchesThatDoNotMatch(); }
            catch (InvalidOperationException e) { t.Caught("caught two frames out", e); }
        }

    }
}
