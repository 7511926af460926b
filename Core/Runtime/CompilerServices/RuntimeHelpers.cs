namespace System.Runtime.CompilerServices
{
    public static unsafe class RuntimeHelpers
    {
        [Intrinsic]
        public static bool IsReferenceOrContainsReferences<T>() => throw null;

        [Intrinsic]
        public static bool IsKnownConstant(int value) => false;

        public static int OffsetToStringData => 12;

        public static int GetHashCode(object o) => o == null ? 0 : o.GetHashCode();

        /// <summary>What the C# compiler calls for array[a..b] (and list patterns with a slice).</summary>
        public static T[] GetSubArray<T>(T[] array, Range range)
        {
            ArgumentNullException.ThrowIfNull(array, "array");
            (int offset, int length) = range.GetOffsetAndLength(array.Length);
            return new ReadOnlySpan<T>(array, offset, length).ToArray();
        }

        /// <summary>Array initialisers from RVA data; ilc expands this intrinsic, so the body is a guard.</summary>
        [Intrinsic]
        public static void InitializeArray(Array array, RuntimeFieldHandle fldHandle) =>
            Panic.Fail("RuntimeHelpers.InitializeArray was not expanded by the compiler");

        [Intrinsic]
        public static ReadOnlySpan<T> CreateSpan<T>(RuntimeFieldHandle fldHandle)
        {
            Panic.Fail("RuntimeHelpers.CreateSpan was not expanded by the compiler");
            return default;
        }
    }
}

namespace System
{
    /// <summary>Memory helpers ilc looks up by name (Buffer.BulkMoveWithWriteBarrier, SpanHelpers.*).</summary>
    public static unsafe class Buffer
    {
        internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount)
        {
            // No GC means no card table to update: a plain move.
            fixed (byte* d = &destination) fixed (byte* s = &source) Runtime.Native.MemMove(d, s, byteCount);
        }

        internal static void Memmove(ref byte destination, ref byte source, nuint byteCount)
        {
            fixed (byte* d = &destination) fixed (byte* s = &source) Runtime.Native.MemMove(d, s, byteCount);
        }

        public static void MemoryCopy(void* source, void* destination, long destinationSizeInBytes, long sourceBytesToCopy)
        {
            if (sourceBytesToCopy > destinationSizeInBytes) ThrowHelpers.ThrowArgumentOutOfRange();
            Runtime.Native.MemMove(destination, source, (nuint)sourceBytesToCopy);
        }
    }

    internal static unsafe class SpanHelpers
    {
        internal static void Memmove(ref byte destination, ref byte source, nuint byteCount)
        {
            fixed (byte* d = &destination) fixed (byte* s = &source) Runtime.Native.MemMove(d, s, byteCount);
        }

        internal static void ClearWithoutReferences(ref byte destination, nuint byteCount)
        {
            fixed (byte* d = &destination) Runtime.Native.MemSet(d, 0, byteCount);
        }

        internal static void ClearWithReferences(ref nint destination, nuint pointerCount)
        {
            fixed (nint* d = &destination) Runtime.Native.MemSet(d, 0, pointerCount * (nuint)sizeof(nint));
        }

        internal static void Fill(ref byte destination, nuint byteCount, byte value)
        {
            fixed (byte* d = &destination) Runtime.Native.MemSet(d, value, byteCount);
        }
    }

    /// <summary>The conversions ilc calls by name; the rest of Math is in System/Math.cs.</summary>
    public static partial class Math
    {
        // Checked float-to-integer conversions; ilc calls these by name for conv.ovf.* on doubles.
        private static int ConvertToInt32Checked(double v)
        {
            if (!(v > -2147483649.0 && v < 2147483648.0)) throw new OverflowException();
            return (int)v;
        }

        private static uint ConvertToUInt32Checked(double v)
        {
            if (!(v > -1.0 && v < 4294967296.0)) throw new OverflowException();
            return (uint)v;
        }

        private static long ConvertToInt64Checked(double v)
        {
            if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0)) throw new OverflowException();
            return (long)v;
        }

        private static ulong ConvertToUInt64Checked(double v)
        {
            if (!(v > -1.0 && v < 18446744073709551616.0)) throw new OverflowException();
            return (ulong)v;
        }
    }
}
