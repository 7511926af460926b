#nullable disable
using System.Threading;

namespace Cosmos.Conformance
{
    /// <summary>Interlocked's results and return values (the value after Increment/Decrement/Add; the old value for Exchange and CompareExchange).</summary>
    public static class InterlockedCases
    {
        /// <summary>What the call returned, then what the location holds.</summary>
        private static string Pair(long returned, long after) => string.Concat(returned.ToString(), " then ", after.ToString());
        private static string Pair(string returned, string after) => string.Concat(returned, " then ", after);

        public static void Register(CaseList list)
        {
            list.Add("interlocked.arithmetic", t =>
            {
                int i = 5;
                long l = long.MaxValue - 1;
                t.Line("Increment(int)", Pair(Interlocked.Increment(ref i), i));
                t.Line("Decrement(int)", Pair(Interlocked.Decrement(ref i), i));
                t.Line("Add(int, -10)", Pair(Interlocked.Add(ref i, -10), i));
                t.Line("Increment(long)", Pair(Interlocked.Increment(ref l), l));
                t.Line("Increment(long) wraps", Pair(Interlocked.Increment(ref l), l));
                t.Line("Add(long)", Pair(Interlocked.Add(ref l, 3), l));
                t.Line("Decrement(long)", Pair(Interlocked.Decrement(ref l), l));
                t.Line("Read", Interlocked.Read(ref l).ToString());
                int max = int.MaxValue;
                t.Line("Increment(int.MaxValue) wraps", Interlocked.Increment(ref max));
            });
            list.Add("interlocked.exchange", t =>
            {
                int i = 1;
                long l = 10;
                string s = "first";
                t.Line("Exchange(int)", Pair(Interlocked.Exchange(ref i, 2), i));
                t.Line("Exchange(long)", Pair(Interlocked.Exchange(ref l, 20), l));
                t.Line("Exchange<string>", Pair(Interlocked.Exchange(ref s, "second"), s));
                t.Line("CompareExchange(int) matches", Pair(Interlocked.CompareExchange(ref i, 3, 2), i));
                t.Line("CompareExchange(int) differs", Pair(Interlocked.CompareExchange(ref i, 4, 2), i));
                t.Line("CompareExchange(long) matches", Pair(Interlocked.CompareExchange(ref l, 30, 20), l));
                t.Line("CompareExchange(long) differs", Pair(Interlocked.CompareExchange(ref l, 40, 20), l));
                string expected = s;
                t.Line("CompareExchange<string> same reference", Pair(Interlocked.CompareExchange(ref s, "third", expected), s));
                t.Line("CompareExchange<string> other reference", Pair(Interlocked.CompareExchange(ref s, "fourth", new string('x', 1)), s));
            });
        }
    }
}
