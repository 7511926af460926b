namespace System.Threading
{
    /// <summary>
    /// .NET's Interlocked, for programs that share counters between tasks (on .NET those tasks run on many threads). The
    /// kernel runs managed code on one CPU, and nothing preempts it: interrupt handlers only set flags the loops read,
    /// never the program's fields. So each read-modify-write below is indivisible as written; the results and return
    /// values are .NET's (the value after the operation for Increment/Decrement/Add, the old value for Exchange and
    /// CompareExchange).
    /// </summary>
    public static class Interlocked
    {
        /// <summary>Full fence (mfence on x86-64).</summary>
        public static void MemoryBarrier() => System.Runtime.Native.MemoryBarrier();

        public static int Increment(ref int location) => location = unchecked(location + 1);
        public static long Increment(ref long location) => location = unchecked(location + 1);
        public static int Decrement(ref int location) => location = unchecked(location - 1);
        public static long Decrement(ref long location) => location = unchecked(location - 1);
        public static int Add(ref int location, int value) => location = unchecked(location + value);
        public static long Add(ref long location, long value) => location = unchecked(location + value);
        public static long Read(ref long location) => location;

        public static int Exchange(ref int location, int value)
        {
            int old = location;
            location = value;
            return old;
        }

        public static long Exchange(ref long location, long value)
        {
            long old = location;
            location = value;
            return old;
        }

        public static T Exchange<T>(ref T location, T value) where T : class
        {
            T old = location;
            location = value;
            return old;
        }

        public static int CompareExchange(ref int location, int value, int comparand)
        {
            int old = location;
            if (old == comparand) location = value;
            return old;
        }

        public static long CompareExchange(ref long location, long value, long comparand)
        {
            long old = location;
            if (old == comparand) location = value;
            return old;
        }

        public static T CompareExchange<T>(ref T location, T value, T comparand) where T : class
        {
            T old = location;
            if ((object)old == (object)comparand) location = value;
            return old;
        }
    }
}
