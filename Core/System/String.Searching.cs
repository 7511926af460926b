namespace System
{
    /// <summary>Finding characters and substrings (ordinal unless a comparison says to ignore case).</summary>
    public sealed partial class String
    {
        public int IndexOf(char value) => AsSpan().IndexOf(value);

        public int IndexOf(char value, int startIndex)
        {
            CheckStart(startIndex);
            int i = AsSpan().Slice(startIndex).IndexOf(value);
            return i < 0 ? -1 : i + startIndex;
        }

        public int IndexOf(char value, StringComparison comparisonType)
        {
            if (!IgnoresCase(comparisonType)) return IndexOf(value);
            char up = char.ToUpperInvariant(value);
            for (int i = 0; i < Length; i++) if (char.ToUpperInvariant(this[i]) == up) return i;
            return -1;
        }

        public int IndexOf(string value) => IndexOf(value, 0, StringComparison.Ordinal);
        public int IndexOf(string value, int startIndex) => IndexOf(value, startIndex, StringComparison.Ordinal);
        public int IndexOf(string value, StringComparison comparisonType) => IndexOf(value, 0, comparisonType);

        public int IndexOf(string value, int startIndex, StringComparison comparisonType)
        {
            ArgumentNullException.ThrowIfNull(value, "value");
            CheckStart(startIndex);
            bool ignoreCase = IgnoresCase(comparisonType);
            for (int i = startIndex; i + value.Length <= Length; i++)
                if (MatchesAt(i, value, ignoreCase)) return i;
            return -1;
        }

        public int IndexOfAny(char[] anyOf)
        {
            ArgumentNullException.ThrowIfNull(anyOf, "anyOf");
            for (int i = 0; i < Length; i++)
                for (int k = 0; k < anyOf.Length; k++)
                    if (this[i] == anyOf[k]) return i;
            return -1;
        }

        public int LastIndexOf(char value)
        {
            for (int i = Length - 1; i >= 0; i--) if (this[i] == value) return i;
            return -1;
        }

        public int LastIndexOf(string value) => LastIndexOf(value, StringComparison.Ordinal);

        public int LastIndexOf(string value, StringComparison comparisonType)
        {
            ArgumentNullException.ThrowIfNull(value, "value");
            bool ignoreCase = IgnoresCase(comparisonType);
            for (int i = Length - value.Length; i >= 0; i--)
                if (MatchesAt(i, value, ignoreCase)) return i;
            return -1;
        }

        public bool Contains(char value) => IndexOf(value) >= 0;
        public bool Contains(string value) => IndexOf(value) >= 0;
        public bool Contains(string value, StringComparison comparisonType) => IndexOf(value, comparisonType) >= 0;

        public bool StartsWith(char value) => Length != 0 && this[0] == value;
        public bool EndsWith(char value) => Length != 0 && this[Length - 1] == value;
        public bool StartsWith(string value) => StartsWith(value, StringComparison.CurrentCulture);
        public bool EndsWith(string value) => EndsWith(value, StringComparison.CurrentCulture);

        public bool StartsWith(string value, StringComparison comparisonType)
        {
            ArgumentNullException.ThrowIfNull(value, "value");
            return value.Length <= Length && MatchesAt(0, value, IgnoresCase(comparisonType));
        }

        public bool EndsWith(string value, StringComparison comparisonType)
        {
            ArgumentNullException.ThrowIfNull(value, "value");
            return value.Length <= Length && MatchesAt(Length - value.Length, value, IgnoresCase(comparisonType));
        }

        private bool MatchesAt(int at, string value, bool ignoreCase)
        {
            for (int k = 0; k < value.Length; k++)
            {
                char a = this[at + k], b = value[k];
                if (a != b && (!ignoreCase || char.ToUpperInvariant(a) != char.ToUpperInvariant(b))) return false;
            }
            return true;
        }

        private void CheckStart(int startIndex)
        {
            if ((uint)startIndex > (uint)Length)
                throw new ArgumentOutOfRangeException("startIndex", "Index was out of range. Must be non-negative and less than or equal to the size of the collection.");
        }
    }
}
