#nullable disable
using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Cosmos.Conformance
{
    /// <summary>Math, the Array helpers, BinaryPrimitives and Random (seeded) against .NET's.</summary>
    public static class MathArrayCases
    {
        private static string S<T>(IEnumerable<T> items) => string.Join(",", items);

        public static void Register(CaseList list)
        {
            list.Add("math.integers", t =>
            {
                t.Line("Min", Math.Min(-3, 2));
                t.Line("Max long", Math.Max(1L << 40, 5L).ToString());
                t.Line("Abs", Math.Abs(-17));
                t.Line("Sign", Math.Sign(-42L));
                t.Line("Clamp", Math.Clamp(15, 0, 10));
                t.Line("DivRem", Math.DivRem(17, 5, out int rem) + " r " + rem);
                var (q, r) = Math.DivRem(-17, 5);
                t.Line("DivRem tuple", q + " r " + r);
                t.Line("BigMul", Math.BigMul(int.MaxValue, int.MaxValue).ToString());
                try { Math.Abs(int.MinValue); } catch (OverflowException e) { t.Caught("Abs(MinValue)", e); }
                try { Math.Clamp(1, 5, 2); } catch (ArgumentException e) { t.Caught("Clamp min > max", e); }
            });
            list.Add("math.doubles", t =>
            {
                t.Line("Sqrt 2", Math.Sqrt(2).ToString());
                t.Line("Sqrt -1", Math.Sqrt(-1).ToString());
                t.Line("Floor -2.5", Math.Floor(-2.5).ToString());
                t.Line("Ceiling 2.1", Math.Ceiling(2.1).ToString());
                t.Line("Ceiling -0.5", Math.Ceiling(-0.5).ToString());
                t.Line("Round 2.5", Math.Round(2.5).ToString());
                t.Line("Round 3.5", Math.Round(3.5).ToString());
                t.Line("Round -2.5", Math.Round(-2.5).ToString());
                t.Line("Round away", Math.Round(2.5, MidpointRounding.AwayFromZero).ToString());
                t.Line("Truncate -2.7", Math.Truncate(-2.7).ToString());
                t.Line("Abs -0.0", Math.Abs(-0.0).ToString());
                t.Line("Max NaN", Math.Max(1.0, double.NaN).ToString());
                t.Line("Min -0 0", Math.Min(0.0, -0.0).ToString());
                t.Line("Sign -3.5", Math.Sign(-3.5));
                t.Line("Floor 1e300", Math.Floor(1e300).ToString());
            });
            list.Add("array.sort-search", t =>
            {
                int[] a = { 9, 3, 7, 1, 8, 2, 6, 4, 5, 0 };
                Array.Sort(a);
                t.Line("sorted", S(a));
                t.Line("BinarySearch 7", Array.BinarySearch(a, 7));
                t.Line("BinarySearch 11", Array.BinarySearch(a, 11));
                t.Line("BinarySearch -1", Array.BinarySearch(a, -1));
                string[] words = { "delta", "Alpha", "charlie", "bravo" };
                Array.Sort(words, StringComparer.Ordinal);
                t.Line("ordinal", S(words));
                Array.Sort(words, (x, y) => y.Length.CompareTo(x.Length) != 0 ? y.Length.CompareTo(x.Length) : string.CompareOrdinal(x, y));
                t.Line("by length desc", S(words));
                int[] part = { 5, 4, 3, 2, 1 };
                Array.Sort(part, 1, 3);
                t.Line("range", S(part));
                try { Array.Sort(part, 3, 5); } catch (ArgumentException e) { t.Caught("range past end", e); }
            });
            list.Add("array.helpers", t =>
            {
                int[] a = { 1, 2, 3, 2, 1 };
                t.Line("IndexOf 2", Array.IndexOf(a, 2));
                t.Line("LastIndexOf 2", Array.LastIndexOf(a, 2));
                t.Line("IndexOf 9", Array.IndexOf(a, 9));
                Array.Reverse(a);
                t.Line("Reverse", S(a));
                Array.Resize(ref a, 7);
                t.Line("Resize up", S(a));
                Array.Resize(ref a, 2);
                t.Line("Resize down", S(a));
                var f = new string[4];
                Array.Fill(f, "x");
                t.Line("Fill", S(f));
                Array.Fill(f, "y", 1, 2);
                t.Line("Fill range", S(f));
                var dst = new int[6];
                Array.Copy(new[] { 7, 8, 9 }, 0, dst, 2, 3);
                t.Line("Copy", S(dst));
                Array.Clear(dst, 3, 2);
                t.Line("Clear", S(dst));
                t.Line("Empty", Array.Empty<int>().Length);
                t.Line("Exists", Array.Exists(dst, x => x == 9));
                t.Line("Find", Array.Find(dst, x => x > 5));
                t.Line("FindIndex", Array.FindIndex(dst, x => x == 9));
                t.Line("ConvertAll", S(Array.ConvertAll(new[] { 1, 2 }, x => x * 1.5)));
                t.Line("TrueForAll", Array.TrueForAll(dst, x => x >= 0));
                // Not here: Array.Copy between different primitive element types (.NET widens; the kernel throws).
            });
            list.Add("array.as-interfaces", t =>
            {
                int[] a = { 4, 5, 6 };
                IList<int> l = a;
                t.Line("Count", l.Count);
                t.Line("IndexOf", l.IndexOf(5));
                t.Line("Contains", l.Contains(6));
                t.Line("IsReadOnly", l.IsReadOnly);
                l[0] = 40;
                t.Line("set through IList", a[0]);
                try { l.Add(7); } catch (NotSupportedException e) { t.Caught("Add", e); }
                IEnumerable<int> e2 = a;
                int sum = 0;
                foreach (int x in e2) sum += x;
                t.Line("sum", sum);
                System.Collections.IEnumerable untyped = new[] { "p", "q" };
                foreach (object o in untyped) t.Line("untyped", (string)o);
            });
            list.Add("binary.primitives", t =>
            {
                Span<byte> b = stackalloc byte[8];
                BinaryPrimitives.WriteUInt32BigEndian(b, 0x11223344);
                BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(4), 0xAABB);
                b[6] = 0xFF; b[7] = 0xFE;
                t.Line("bytes", BitConverter.ToString(b.ToArray()));
                t.Line("u32 BE", BinaryPrimitives.ReadUInt32BigEndian(b).ToString("X8"));
                t.Line("u32 LE", BinaryPrimitives.ReadUInt32LittleEndian(b).ToString("X8"));
                t.Line("i16 BE at 6", BinaryPrimitives.ReadInt16BigEndian(b.Slice(6)));
                t.Line("u64 BE", BinaryPrimitives.ReadUInt64BigEndian(b).ToString("X16"));
                t.Line("i64 LE", BinaryPrimitives.ReadInt64LittleEndian(b).ToString());
                t.Line("reverse", BinaryPrimitives.ReverseEndianness(0x12345678u).ToString("X"));
                t.Line("TryWrite short", BinaryPrimitives.TryWriteUInt32BigEndian(b.Slice(6), 1));
                t.Line("TryRead short", BinaryPrimitives.TryReadUInt32BigEndian(b.Slice(5), out uint v));
                try { BinaryPrimitives.ReadInt32BigEndian(b.Slice(6)); } catch (ArgumentOutOfRangeException e) { t.Caught("read past end", e); }
            });
            list.Add("random.seeded", t =>
            {
                var r = new Random(42);
                var ints = new List<int>();
                for (int i = 0; i < 5; i++) ints.Add(r.Next());
                t.Line("Next", S(ints));
                ints.Clear();
                for (int i = 0; i < 8; i++) ints.Add(r.Next(100));
                t.Line("Next(100)", S(ints));
                ints.Clear();
                for (int i = 0; i < 8; i++) ints.Add(r.Next(-50, 50));
                t.Line("Next(-50, 50)", S(ints));
                t.Line("Next(min, max) wide", r.Next(int.MinValue, int.MaxValue));
                t.Line("NextDouble", r.NextDouble().ToString());
                var bytes = new byte[6];
                r.NextBytes(bytes);
                t.Line("NextBytes", BitConverter.ToString(bytes));
                var other = new Random(-7);
                t.Line("seed -7", other.Next(1000));
                try { r.Next(5, 1); } catch (ArgumentOutOfRangeException e) { t.Caught("min > max", e); }
                var unseeded = new Random();
                int n = unseeded.Next(10);
                t.Line("unseeded in range", n >= 0 && n < 10);
            });
        }
    }
}
