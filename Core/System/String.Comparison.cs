using System.Collections;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>Equality, ordering and hashing of strings (ordinal; see <see cref="StringComparison"/>).</summary>
    public sealed partial class String
    {
        public static bool IsNullOrEmpty(string value) => value is null || value.Length == 0;

        public static bool IsNullOrWhiteSpace(string value)
        {
            if (value is null) return true;
            for (int i = 0; i < value.Length; i++) if (!char.IsWhiteSpace(value[i])) return false;
            return true;
        }

        public static bool Equals(string a, string b)
        {
            if ((object)a == b) return true;
            if (a is null || b is null || a._stringLength != b._stringLength) return false;
            for (int i = 0; i < a._stringLength; i++) if (a[i] != b[i]) return false;
            return true;
        }

        public static bool Equals(string a, string b, StringComparison comparisonType)
        {
            if (!IgnoresCase(comparisonType)) return Equals(a, b);
            if ((object)a == b) return true;
            if (a is null || b is null || a.Length != b.Length) return false;
            return CompareOrdinalIgnoreCase(a, b) == 0;
        }

        public bool Equals(string value) => Equals(this, value);
        public bool Equals(string value, StringComparison comparisonType) => Equals(this, value, comparisonType);
        public override bool Equals(object obj) => obj is string s && Equals(this, s);

        public static bool operator ==(string a, string b) => Equals(a, b);
        public static bool operator !=(string a, string b) => !Equals(a, b);

        /// <summary>FNV-1a over the characters (.NET randomises per process, so no caller may depend on the value).</summary>
        public override int GetHashCode()
        {
            uint h = 2166136261;
            for (int i = 0; i < _stringLength; i++) h = (h ^ this[i]) * 16777619;
            return (int)h;
        }

        public int GetHashCode(StringComparison comparisonType)
        {
            if (!IgnoresCase(comparisonType)) return GetHashCode();
            uint h = 2166136261;
            for (int i = 0; i < _stringLength; i++) h = (h ^ char.ToUpperInvariant(this[i])) * 16777619;
            return (int)h;
        }

        /// <summary>Difference of the first differing characters, else of the lengths (as .NET's ordinal compare).</summary>
        public static int CompareOrdinal(string strA, string strB)
        {
            if ((object)strA == strB) return 0;
            if (strA is null) return -1;
            if (strB is null) return 1;
            int n = Math.Min(strA.Length, strB.Length);
            for (int i = 0; i < n; i++)
            {
                int d = strA[i] - strB[i];
                if (d != 0) return d;
            }
            return strA.Length - strB.Length;
        }

        private static int CompareOrdinalIgnoreCase(string strA, string strB)
        {
            if ((object)strA == strB) return 0;
            if (strA is null) return -1;
            if (strB is null) return 1;
            int n = Math.Min(strA.Length, strB.Length);
            for (int i = 0; i < n; i++)
            {
                int d = char.ToUpperInvariant(strA[i]) - char.ToUpperInvariant(strB[i]);
                if (d != 0) return d;
            }
            return strA.Length - strB.Length;
        }

        /// <summary>Culture comparisons are ordinal here, so only the sign is meaningful (as on .NET).</summary>
        public static int Compare(string strA, string strB) => Math.Sign(CompareOrdinal(strA, strB));
        public static int Compare(string strA, string strB, bool ignoreCase) => Math.Sign(ignoreCase ? CompareOrdinalIgnoreCase(strA, strB) : CompareOrdinal(strA, strB));

        public static int Compare(string strA, string strB, StringComparison comparisonType)
        {
            int d = IgnoresCase(comparisonType) ? CompareOrdinalIgnoreCase(strA, strB) : CompareOrdinal(strA, strB);
            return comparisonType >= StringComparison.Ordinal ? d : Math.Sign(d);
        }

        public int CompareTo(string strB) => Compare(this, strB);

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is string s) return CompareTo(s);
            throw new ArgumentException("Object must be of type String.");
        }

        internal static bool IgnoresCase(StringComparison comparisonType) => ((int)comparisonType & 1) != 0;

        public CharEnumerator GetEnumerator() => new CharEnumerator(this);
        IEnumerator<char> IEnumerable<char>.GetEnumerator() => new CharEnumerator(this);
        IEnumerator IEnumerable.GetEnumerator() => new CharEnumerator(this);
    }

    public sealed class CharEnumerator : IEnumerator<char>
    {
        private readonly string _s;
        private int _index = -1;
        internal CharEnumerator(string s) { _s = s; }
        public bool MoveNext() => ++_index < _s.Length;
        public char Current => _s[_index];
        object IEnumerator.Current => Current;
        public void Reset() => _index = -1;
        public void Dispose() { }
    }
}
