#nullable disable
using System;
using System.Collections.Generic;

namespace Cosmos.Conformance
{
    /// <summary>EqualityComparer&lt;T&gt;.Default, Comparer&lt;T&gt;.Default and KeyValuePair against .NET's.</summary>
    public static class ComparerCases
    {
        private struct Point : IEquatable<Point>
        {
            public int X, Y;
            public Point(int x, int y) { X = x; Y = y; }
            public bool Equals(Point other) => X == other.X && Y == other.Y;
            public override bool Equals(object obj) => obj is Point p && Equals(p);
            public override int GetHashCode() => X * 31 + Y;
        }

        private struct Plain
        {
            public int A;
            public long B;
        }

        private sealed class Version : IComparable<Version>
        {
            public int Major, Minor;
            public Version(int major, int minor) { Major = major; Minor = minor; }
            public int CompareTo(Version other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);
            public override string ToString() => Major + "." + Minor;
        }

        private enum Color { Red = 1, Green = 2, Blue = -3 }

        public static void Register(CaseList list)
        {
            list.Add("comparer.equality-default", t =>
            {
                t.Line("int", EqualityComparer<int>.Default.Equals(3, 3));
                t.Line("string", EqualityComparer<string>.Default.Equals("ab", "a" + "b"));
                t.Line("string null", EqualityComparer<string>.Default.Equals(null, "x"));
                t.Line("both null", EqualityComparer<string>.Default.Equals(null, null));
                t.Line("IEquatable struct", EqualityComparer<Point>.Default.Equals(new Point(1, 2), new Point(1, 2)));
                t.Line("plain struct", EqualityComparer<Plain>.Default.Equals(new Plain { A = 1, B = 2 }, new Plain { A = 1, B = 2 }));
                t.Line("plain struct differs", EqualityComparer<Plain>.Default.Equals(new Plain { A = 1, B = 2 }, new Plain { A = 1, B = 3 }));
                t.Line("enum", EqualityComparer<Color>.Default.Equals(Color.Red, Color.Red));
                t.Line("nullable", EqualityComparer<int?>.Default.Equals(5, 5));
                t.Line("nullable null", EqualityComparer<int?>.Default.Equals(null, 5));
                object o = new object();
                t.Line("object identity", EqualityComparer<object>.Default.Equals(o, o));
                t.Line("hash of null", EqualityComparer<string>.Default.GetHashCode(null));
                t.Line("hash int", EqualityComparer<int>.Default.GetHashCode(42));
            });
            list.Add("comparer.default", t =>
            {
                t.Line("int", Comparer<int>.Default.Compare(1, 2));
                t.Line("long", Comparer<long>.Default.Compare(5, -5));
                t.Line("string sign", Math.Sign(Comparer<string>.Default.Compare("b", "a")));
                t.Line("string null first", Comparer<string>.Default.Compare(null, "a"));
                t.Line("IComparable class", Comparer<Version>.Default.Compare(new Version(1, 2), new Version(1, 10)));
                t.Line("enum", Comparer<Color>.Default.Compare(Color.Blue, Color.Red));
                t.Line("nullable", Comparer<int?>.Default.Compare(null, 1));
                t.Line("double", Comparer<double>.Default.Compare(1.5, 1.25));
                t.Line("char", Math.Sign(Comparer<char>.Default.Compare('a', 'b')));
                t.Line("bool", Comparer<bool>.Default.Compare(true, false));
            });
            list.Add("comparer.create", t =>
            {
                var byLength = Comparer<string>.Create((a, b) => a.Length.CompareTo(b.Length));
                var words = new List<string> { "ccc", "a", "bb" };
                words.Sort(byLength);
                t.Line(string.Join(",", words));
                var versions = new List<Version> { new Version(2, 0), new Version(1, 5), new Version(1, 10) };
                versions.Sort();
                t.Line(string.Join(",", versions));
            });
            list.Add("comparer.string-comparer", t =>
            {
                t.Line("ordinal", StringComparer.Ordinal.Equals("a", "A"));
                t.Line("ignore case", StringComparer.OrdinalIgnoreCase.Equals("a", "A"));
                t.Line("ignore case hash", StringComparer.OrdinalIgnoreCase.GetHashCode("abc") == StringComparer.OrdinalIgnoreCase.GetHashCode("ABC"));
                t.Line("compare sign", Math.Sign(StringComparer.Ordinal.Compare("a", "B")));
                t.Line("compare ignore case", StringComparer.OrdinalIgnoreCase.Compare("a", "A"));
            });
            list.Add("comparer.key-value-pair", t =>
            {
                var kv = new KeyValuePair<string, int>("answer", 42);
                t.Line(kv.ToString());
                t.Line(new KeyValuePair<string, string>(null, null).ToString());
                t.Line(KeyValuePair.Create(1, 'x').ToString());
            });
            list.Add("comparer.array-sort-keys-items", t =>
            {
                int[] keys = { 5, 2, 8, 1 };
                string[] items = { "five", "two", "eight", "one" };
                Array.Sort(keys, items);
                t.Line(string.Join(",", keys));
                t.Line(string.Join(",", items));
            });
        }
    }
}
