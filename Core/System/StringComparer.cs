using System.Collections;
using System.Collections.Generic;

namespace System
{
    /// <summary>.NET's StringComparer; culture comparers are ordinal here, as in .NET's invariant-globalization mode.</summary>
    public abstract class StringComparer : IComparer<string>, IEqualityComparer<string>, IComparer, IEqualityComparer
    {
        public static StringComparer Ordinal { get; } = new OrdinalComparer(false);
        public static StringComparer OrdinalIgnoreCase { get; } = new OrdinalComparer(true);
        public static StringComparer InvariantCulture => Ordinal;
        public static StringComparer InvariantCultureIgnoreCase => OrdinalIgnoreCase;
        public static StringComparer CurrentCulture => Ordinal;
        public static StringComparer CurrentCultureIgnoreCase => OrdinalIgnoreCase;

        public abstract int Compare(string x, string y);
        public abstract bool Equals(string x, string y);
        public abstract int GetHashCode(string obj);

        int IComparer.Compare(object x, object y) => Compare((string)x, (string)y);
        bool IEqualityComparer.Equals(object x, object y) => Equals((string)x, (string)y);
        int IEqualityComparer.GetHashCode(object obj) => GetHashCode((string)obj);

        private sealed class OrdinalComparer : StringComparer
        {
            private readonly StringComparison _comparison;
            public OrdinalComparer(bool ignoreCase) { _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal; }
            public override int Compare(string x, string y) => string.Compare(x, y, _comparison);
            public override bool Equals(string x, string y) => string.Equals(x, y, _comparison);

            public override int GetHashCode(string obj)
            {
                ArgumentNullException.ThrowIfNull(obj, "obj");
                return obj.GetHashCode(_comparison);
            }
        }
    }
}
