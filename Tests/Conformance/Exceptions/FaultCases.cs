#nullable disable
using System;
using System.Runtime.CompilerServices;

namespace Cosmos.Conformance
{
    /// <summary>
    /// Runtime faults as exceptions: null dereferences and divide errors (CPU faults in the kernel), checked
    /// arithmetic, bounds checks, casts and array stores (checks the compiler emits).
    /// </summary>
    public static class FaultCases
    {
        public static void Register(CaseList list)
        {
            list.Add("fault.null-field-read", NullFieldRead);
            list.Add("fault.null-field-write", NullFieldWrite);
            list.Add("fault.null-reference-field-store", NullReferenceFieldStore);
            list.Add("fault.null-instance-call", NullInstanceCall);
            list.Add("fault.null-virtual-call", NullVirtualCall);
            list.Add("fault.null-interface-call", NullInterfaceCall);
            list.Add("fault.null-delegate-invoke", NullDelegateInvoke);
            list.Add("fault.null-array", NullArray);
            list.Add("fault.null-string", NullString);
            list.Add("fault.throw-null", ThrowNull);
            list.Add("fault.divide-by-zero", DivideByZero);
            list.Add("fault.min-value-divided-by-minus-one", MinValueDividedByMinusOne);
            list.Add("fault.checked-arithmetic", CheckedArithmetic);
            list.Add("fault.checked-conversions", CheckedConversions);
            list.Add("fault.array-bounds", ArrayBounds);
            list.Add("fault.span-bounds", SpanBounds);
            list.Add("fault.invalid-cast", InvalidCast);
            list.Add("fault.type-tests-of-a-constant", TypeTestsOfAConstant);
            list.Add("fault.unbox", Unbox);
            list.Add("fault.array-covariance", ArrayCovariance);
            list.Add("fault.fault-in-finally", FaultInFinally);
            list.Add("fault.many-faults-in-a-row", ManyFaultsInARow);
            list.Add("fault.fault-deep-in-frames", FaultDeepInFrames);
        }

        private class Node
        {
            public int Value = 1;
            public Node Next;
            public string Name = "node";
            [MethodImpl(MethodImplOptions.NoInlining)] public int Get() => Value;
            public virtual int Virtual() => Value * 2;
        }

        [MethodImpl(MethodImplOptions.NoInlining)] private static Node None() => null;

        private static void NullFieldRead(Transcript t)
        {
            try { t.Line("value", None().Value); }
            catch (NullReferenceException e) { t.Caught("read", e); }
            try { t.Line("chained", new Node().Next.Value); }
            catch (NullReferenceException e) { t.Caught("chained read", e); }
        }

        private static void NullFieldWrite(Transcript t)
        {
            try { None().Value = 5; t.Line("not reached"); }
            catch (NullReferenceException e) { t.Caught("write", e); }
        }

        private static void NullReferenceFieldStore(Transcript t)
        {
            // A store of a reference goes through the write barrier helper.
            try { None().Next = new Node(); t.Line("not reached"); }
            catch (NullReferenceException e) { t.Caught("reference store", e); }
        }

        private static void NullInstanceCall(Transcript t)
        {
            try { t.Line("get", None().Get()); }
            catch (NullReferenceException e) { t.Caught("instance call", e); }
        }

        private static void NullVirtualCall(Transcript t)
        {
            try { t.Line("virtual", None().Virtual()); }
            catch (NullReferenceException e) { t.Caught("virtual call", e); }
            try { t.Line("ToString", ((object)None()).ToString()); }
            catch (NullReferenceException e) { t.Caught("object virtual", e); }
        }

        private interface IValue { int Value(); }
        private sealed class V1 : IValue { public int Value() => 1; }
        private sealed class V2 : IValue { public int Value() => 2; }
        private sealed class V3 : IValue { public int Value() => 3; }
        private sealed class V4 : IValue { public int Value() => 4; }
        private sealed class V5 : IValue { public int Value() => 5; }
        private sealed class V6 : IValue { public int Value() => 6; }

        private static void NullInterfaceCall(Transcript t)
        {
            IValue[] values = { new V1(), new V2(), new V3(), new V4(), new V5(), new V6(), null };
            int sum = 0;
            foreach (IValue v in values)
            {
                try { sum += v.Value(); }
                catch (NullReferenceException e) { t.Caught("interface call", e); }
            }
            t.Line("sum", sum);
        }

        private static void NullDelegateInvoke(Transcript t)
        {
            Func<int> f = null;
            try { t.Line("result", f()); }
            catch (NullReferenceException e) { t.Caught("delegate invoke", e); }
        }

        private static void NullArray(Transcript t)
        {
            int[] a = null;
            try { t.Line("length", a.Length); }
            catch (NullReferenceException e) { t.Caught("length", e); }
            try { a[0] = 1; }
            catch (NullReferenceException e) { t.Caught("element store", e); }
            string[] s = null;
            try { s[1] = "x"; }
            catch (NullReferenceException e) { t.Caught("reference element store", e); }
        }

        private static void NullString(Transcript t)
        {
            string s = None()?.Name;
            try { t.Line("length", s.Length); }
            catch (NullReferenceException e) { t.Caught("string length", e); }
            try { t.Line("char", s[0].ToString()); }
            catch (NullReferenceException e) { t.Caught("string indexer", e); }
        }

        private static void ThrowNull(Transcript t)
        {
            try { throw null; }
            catch (NullReferenceException e) { t.Caught("throw null", e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)] private static int Zero() => 0;
        [MethodImpl(MethodImplOptions.NoInlining)] private static int MinusOne() => -1;

        private static void DivideByZero(Transcript t)
        {
            int x = 100;
            try { t.Line("int", x / Zero()); }
            catch (DivideByZeroException e) { t.Caught("int division", e); }
            try { t.Line("remainder", x % Zero()); }
            catch (DivideByZeroException e) { t.Caught("int remainder", e); }
            long y = 100;
            try { t.Line("long", (y / Zero()).ToString()); }
            catch (DivideByZeroException e) { t.Caught("long division", e); }
            uint u = 7;
            try { t.Line("uint", (u / (uint)Zero()).ToString()); }
            catch (DivideByZeroException e) { t.Caught("unsigned division", e); }
            try { t.Line("caught as arithmetic", x / Zero()); }
            catch (ArithmeticException e) { t.Caught("as ArithmeticException", e); }
        }

        private static void MinValueDividedByMinusOne(Transcript t)
        {
            int min = int.MinValue;
            try { t.Line("int.MinValue / -1", min / MinusOne()); }
            catch (ArithmeticException e) { t.Caught("int division", e); }
            long lmin = long.MinValue;
            try { t.Line("long.MinValue % -1", (lmin % MinusOne()).ToString()); }
            catch (ArithmeticException e) { t.Caught("long remainder", e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)] private static int Big() => int.MaxValue;

        private static void CheckedArithmetic(Transcript t)
        {
            int big = Big();
            try { t.Line("add", checked(big + 1)); }
            catch (OverflowException e) { t.Caught("checked add", e); }
            try { t.Line("mul", checked(big * 2)); }
            catch (OverflowException e) { t.Caught("checked multiply", e); }
            try { t.Line("sub", checked(-big - 2)); }
            catch (OverflowException e) { t.Caught("checked subtract", e); }
            long lbig = long.MaxValue - Zero();
            try { t.Line("long add", checked(lbig + 1).ToString()); }
            catch (OverflowException e) { t.Caught("checked long add", e); }
            uint small = (uint)Zero();
            try { t.Line("uint sub", checked(small - 1).ToString()); }
            catch (OverflowException e) { t.Caught("checked unsigned subtract", e); }
            t.Line("unchecked wraps", unchecked(big + 1));
        }

        private static void CheckedConversions(Transcript t)
        {
            long l = (long)Big() + 10;
            try { t.Line("long to int", checked((int)l)); }
            catch (OverflowException e) { t.Caught("long to int", e); }
            int negative = MinusOne();
            try { t.Line("int to uint", checked((uint)negative).ToString()); }
            catch (OverflowException e) { t.Caught("int to uint", e); }
            try { t.Line("int to byte", checked((byte)(negative + 300)).ToString()); }
            catch (OverflowException e) { t.Caught("int to byte", e); }
            double d = 1e20 + Zero();
            try { t.Line("double to int", checked((int)d)); }
            catch (OverflowException e) { t.Caught("double to int", e); }
            try { t.Line("double to long", checked((long)d).ToString()); }
            catch (OverflowException e) { t.Caught("double to long", e); }
        }

        private static void ArrayBounds(Transcript t)
        {
            int[] a = new int[3];
            int index = 3 + Zero();
            try { t.Line("read", a[index]); }
            catch (IndexOutOfRangeException e) { t.Caught("read past the end", e); }
            try { a[-1 - Zero()] = 2; }
            catch (IndexOutOfRangeException e) { t.Caught("negative index", e); }
            string[] s = new string[1];
            try { s[index] = "x"; }
            catch (IndexOutOfRangeException e) { t.Caught("reference array store", e); }
            try { t.Line("string char", "abc"[index].ToString()); }
            catch (IndexOutOfRangeException e) { t.Caught("string indexer", e); }
        }

        private static void SpanBounds(Transcript t)
        {
            Span<int> span = stackalloc int[4];
            int index = 4 + Zero();
            try { t.Line("span read", span[index]); }
            catch (IndexOutOfRangeException e) { t.Caught("span indexer", e); }
            ReadOnlySpan<char> chars = "hello".AsSpan();
            try { t.Line("readonly span", chars[index + 10].ToString()); }
            catch (IndexOutOfRangeException e) { t.Caught("read-only span indexer", e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)] private static object Opaque(object o) => o;

        // Type tests of a constant. (A castclass of a string literal to a type it can never be is dropped by ilc's
        // JIT instead of throwing: a known difference, README "Exceptions and faults"; the casts above use an
        // object the compiler cannot see through.)
        private static void TypeTestsOfAConstant(Transcript t)
        {
            object s = "constant";
            t.Line("constant string is Exception", s is Exception);
            t.Line("constant string is IDisposable", s is IDisposable);
            t.Line("constant string as Exception is null", (s as Exception) == null);
            t.Line("constant string is object", s is object);
        }

        private sealed class Cat { }
        private sealed class Dog { }

        private static void InvalidCast(Transcript t)
        {
            object o = new Cat();
            try { t.Line("cast", ((Dog)o).ToString()); }
            catch (InvalidCastException e) { t.Line("class cast", e.GetType().Name); }
            object s = Opaque("text");
            try { t.Line("cast", ((Exception)s).Message); }
            catch (InvalidCastException e) { t.Caught("string to Exception", e); }
            try { t.Line("interface", ((IDisposable)s).ToString()); }
            catch (InvalidCastException e) { t.Caught("string to IDisposable", e); }
            t.Line("as gives null", (o as Dog) == null);
            t.Line("is gives false", o is Dog);
        }

        private static void Unbox(Transcript t)
        {
            object boxed = 42;
            t.Line("unbox int", (int)boxed);
            try { t.Line("unbox long", ((long)boxed).ToString()); }
            catch (InvalidCastException e) { t.Caught("unbox to the wrong type", e); }
            object nothing = null;
            try { t.Line("unbox null", (int)nothing); }
            catch (NullReferenceException e) { t.Caught("unbox null", e); }
        }

        private static void ArrayCovariance(Transcript t)
        {
            object[] array = new string[2];
            array[0] = "fine";
            try { array[1] = new object(); t.Line("stored"); }
            catch (ArrayTypeMismatchException e) { t.Caught("store of the wrong type", e); }
            t.Line("first element", (string)array[0]);
        }

        private static void FaultInFinally(Transcript t)
        {
            Node n = null;
            try
            {
                try { t.Line("try"); }
                finally { t.Line("value", n.Value); }
            }
            catch (NullReferenceException e) { t.Caught("fault in a finally", e); }
        }

        private static void ManyFaultsInARow(Transcript t)
        {
            int nulls = 0, divides = 0, bounds = 0;
            int[] small = new int[1];
            for (int i = 0; i < 60; i++)
            {
                try
                {
                    switch (i % 3)
                    {
                        case 0: t.Line("never", None().Value); break;
                        case 1: t.Line("never", i / Zero()); break;
                        default: t.Line("never", small[i]); break;
                    }
                }
                catch (NullReferenceException) { nulls++; }
                catch (DivideByZeroException) { divides++; }
                catch (IndexOutOfRangeException) { bounds++; }
            }
            t.Line("null references", nulls);
            t.Line("divides", divides);
            t.Line("bounds", bounds);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int FaultAtDepth(int depth, Node n)
        {
            if (depth == 0) return n.Value;
            int r = FaultAtDepth(depth - 1, n);
            return r + depth;
        }

        private static void FaultDeepInFrames(Transcript t)
        {
            try { t.Line("depth 22", FaultAtDepth(22, new Node())); t.Line("never", FaultAtDepth(22, null)); }
            catch (NullReferenceException e)
            {
                t.Caught("fault 22 frames down", e);
                t.Line("trace names FaultAtDepth", Text.Count(e.StackTrace, "FaultAtDepth"));
            }
        }
    }
}
