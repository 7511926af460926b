namespace System
{
    /// <summary>.NET's common span helpers: searching, comparing, trimming, reversing (ordinal for text).</summary>
    public static class MemoryExtensions
    {
        public static Span<T> AsSpan<T>(this T[] array) => new Span<T>(array);
        public static Span<T> AsSpan<T>(this T[] array, int start, int length) => new Span<T>(array, start, length);
        public static Span<T> AsSpan<T>(this T[] array, int start) => new Span<T>(array, start, array.Length - start);
        public static ReadOnlySpan<char> AsSpan(this string text) => text == null ? default : text.AsSpan();
        public static ReadOnlySpan<char> AsSpan(this string text, int start) => text.AsSpan().Slice(start);
        public static ReadOnlySpan<char> AsSpan(this string text, int start, int length) => text.AsSpan().Slice(start, length);
        public static Memory<T> AsMemory<T>(this T[] array) => new Memory<T>(array);
        public static Memory<T> AsMemory<T>(this T[] array, int start, int length) => new Memory<T>(array, start, length);
        public static Memory<T> AsMemory<T>(this T[] array, int start)
        {
            if (array == null) throw new ArgumentNullException(nameof(array));
            if ((uint)start > (uint)array.Length) throw new ArgumentOutOfRangeException(nameof(start));
            return new Memory<T>(array, start, array.Length - start);
        }
        public static ReadOnlyMemory<char> AsMemory(this string text) => new ReadOnlyMemory<char>(text);

        public static bool SequenceEqual<T>(this ReadOnlySpan<T> span, ReadOnlySpan<T> other) where T : IEquatable<T>
        {
            if (span.Length != other.Length) return false;
            for (int i = 0; i < span.Length; i++) if (!span[i].Equals(other[i])) return false;
            return true;
        }

        public static bool SequenceEqual<T>(this Span<T> span, ReadOnlySpan<T> other) where T : IEquatable<T> => SequenceEqual((ReadOnlySpan<T>)span, other);

        public static int SequenceCompareTo<T>(this ReadOnlySpan<T> span, ReadOnlySpan<T> other) where T : IComparable<T>
        {
            int n = Math.Min(span.Length, other.Length);
            for (int i = 0; i < n; i++)
            {
                int c = span[i].CompareTo(other[i]);
                if (c != 0) return c;
            }
            return span.Length.CompareTo(other.Length);
        }

        public static int IndexOf<T>(this ReadOnlySpan<T> span, T value) where T : IEquatable<T>
        {
            for (int i = 0; i < span.Length; i++) if (span[i].Equals(value)) return i;
            return -1;
        }

        public static int IndexOf<T>(this Span<T> span, T value) where T : IEquatable<T> => IndexOf((ReadOnlySpan<T>)span, value);

        public static int IndexOf<T>(this ReadOnlySpan<T> span, ReadOnlySpan<T> value) where T : IEquatable<T>
        {
            for (int i = 0; i + value.Length <= span.Length; i++)
                if (span.Slice(i, value.Length).SequenceEqual(value)) return i;
            return -1;
        }

        public static int LastIndexOf<T>(this ReadOnlySpan<T> span, T value) where T : IEquatable<T>
        {
            for (int i = span.Length - 1; i >= 0; i--) if (span[i].Equals(value)) return i;
            return -1;
        }

        public static int IndexOfAny<T>(this ReadOnlySpan<T> span, T value0, T value1) where T : IEquatable<T>
        {
            for (int i = 0; i < span.Length; i++) if (span[i].Equals(value0) || span[i].Equals(value1)) return i;
            return -1;
        }

        public static int IndexOfAny<T>(this ReadOnlySpan<T> span, ReadOnlySpan<T> values) where T : IEquatable<T>
        {
            for (int i = 0; i < span.Length; i++) if (values.IndexOf(span[i]) >= 0) return i;
            return -1;
        }

        public static bool Contains<T>(this ReadOnlySpan<T> span, T value) where T : IEquatable<T> => span.IndexOf(value) >= 0;
        public static bool Contains<T>(this Span<T> span, T value) where T : IEquatable<T> => ((ReadOnlySpan<T>)span).IndexOf(value) >= 0;

        public static bool StartsWith<T>(this ReadOnlySpan<T> span, ReadOnlySpan<T> value) where T : IEquatable<T> =>
            value.Length <= span.Length && span.Slice(0, value.Length).SequenceEqual(value);

        public static bool EndsWith<T>(this ReadOnlySpan<T> span, ReadOnlySpan<T> value) where T : IEquatable<T> =>
            value.Length <= span.Length && span.Slice(span.Length - value.Length).SequenceEqual(value);

        public static int Count<T>(this ReadOnlySpan<T> span, T value) where T : IEquatable<T>
        {
            int n = 0;
            for (int i = 0; i < span.Length; i++) if (span[i].Equals(value)) n++;
            return n;
        }

        public static void Reverse<T>(this Span<T> span)
        {
            for (int i = 0, j = span.Length - 1; i < j; i++, j--)
            {
                T t = span[i];
                span[i] = span[j];
                span[j] = t;
            }
        }

        public static void Sort<T>(this Span<T> span) => Array.SortSpan(span, Collections.Generic.Comparer<T>.Default);
        public static void Sort<T>(this Span<T> span, Comparison<T> comparison) => Array.SortSpan(span, Collections.Generic.Comparer<T>.Create(comparison));

        public static int BinarySearch<T>(this ReadOnlySpan<T> span, T value) where T : IComparable<T>
        {
            int lo = 0, hi = span.Length - 1;
            while (lo <= hi)
            {
                int mid = lo + ((hi - lo) >> 1);
                int c = span[mid].CompareTo(value);
                if (c == 0) return mid;
                if (c < 0) lo = mid + 1; else hi = mid - 1;
            }
            return ~lo;
        }

        public static ReadOnlySpan<char> Trim(this ReadOnlySpan<char> span) => span.TrimStart().TrimEnd();

        public static ReadOnlySpan<char> TrimStart(this ReadOnlySpan<char> span)
        {
            int i = 0;
            while (i < span.Length && char.IsWhiteSpace(span[i])) i++;
            return span.Slice(i);
        }

        public static ReadOnlySpan<char> TrimEnd(this ReadOnlySpan<char> span)
        {
            int end = span.Length;
            while (end > 0 && char.IsWhiteSpace(span[end - 1])) end--;
            return span.Slice(0, end);
        }

        public static ReadOnlySpan<char> Trim(this ReadOnlySpan<char> span, char trimChar)
        {
            int i = 0, end = span.Length;
            while (i < end && span[i] == trimChar) i++;
            while (end > i && span[end - 1] == trimChar) end--;
            return span.Slice(i, end - i);
        }

        public static bool IsWhiteSpace(this ReadOnlySpan<char> span)
        {
            for (int i = 0; i < span.Length; i++) if (!char.IsWhiteSpace(span[i])) return false;
            return true;
        }

        public static bool Equals(this ReadOnlySpan<char> span, ReadOnlySpan<char> other, StringComparison comparisonType)
        {
            if (span.Length != other.Length) return false;
            bool ignoreCase = string.IgnoresCase(comparisonType);
            for (int i = 0; i < span.Length; i++)
            {
                char a = span[i], b = other[i];
                if (a != b && (!ignoreCase || char.ToUpperInvariant(a) != char.ToUpperInvariant(b))) return false;
            }
            return true;
        }

        public static bool StartsWith(this ReadOnlySpan<char> span, ReadOnlySpan<char> value, StringComparison comparisonType) =>
            value.Length <= span.Length && span.Slice(0, value.Length).Equals(value, comparisonType);

        public static bool EndsWith(this ReadOnlySpan<char> span, ReadOnlySpan<char> value, StringComparison comparisonType) =>
            value.Length <= span.Length && span.Slice(span.Length - value.Length).Equals(value, comparisonType);

        public static int CompareTo(this ReadOnlySpan<char> span, ReadOnlySpan<char> other, StringComparison comparisonType)
        {
            bool ignoreCase = string.IgnoresCase(comparisonType);
            int n = Math.Min(span.Length, other.Length);
            for (int i = 0; i < n; i++)
            {
                char a = span[i], b = other[i];
                if (ignoreCase) { a = char.ToUpperInvariant(a); b = char.ToUpperInvariant(b); }
                if (a != b) return a - b;
            }
            return span.Length - other.Length;
        }

        public static void CopyTo<T>(this T[] source, Span<T> destination) => new ReadOnlySpan<T>(source).CopyTo(destination);
    }
}
