using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;

namespace System
{
    /// <summary>Strings made from other strings: concatenation, joining, splitting, replacing, trimming, case.</summary>
    public sealed partial class String
    {
        public static string Concat(string str0, string str1)
        {
            if (IsNullOrEmpty(str0)) return str1 ?? Empty;
            if (IsNullOrEmpty(str1)) return str0;
            string s = FastAllocateString(str0.Length + str1.Length);
            s.Fill(0, str0);
            s.Fill(str0.Length, str1);
            return s;
        }

        public static string Concat(string str0, string str1, string str2)
        {
            str0 ??= Empty; str1 ??= Empty; str2 ??= Empty;
            string s = FastAllocateString(str0.Length + str1.Length + str2.Length);
            s.Fill(0, str0);
            s.Fill(str0.Length, str1);
            s.Fill(str0.Length + str1.Length, str2);
            return s;
        }

        public static string Concat(string str0, string str1, string str2, string str3)
        {
            str0 ??= Empty; str1 ??= Empty; str2 ??= Empty; str3 ??= Empty;
            string s = FastAllocateString(str0.Length + str1.Length + str2.Length + str3.Length);
            int at = 0;
            s.Fill(at, str0); at += str0.Length;
            s.Fill(at, str1); at += str1.Length;
            s.Fill(at, str2); at += str2.Length;
            s.Fill(at, str3);
            return s;
        }

        public static string Concat(params string[] values)
        {
            ArgumentNullException.ThrowIfNull(values, "values");
            int total = 0;
            for (int i = 0; i < values.Length; i++) total += values[i]?.Length ?? 0;
            if (total == 0) return Empty;
            string s = FastAllocateString(total);
            int at = 0;
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] == null) continue;
                s.Fill(at, values[i]);
                at += values[i].Length;
            }
            return s;
        }

        public static string Concat(object arg0) => arg0?.ToString() ?? Empty;
        public static string Concat(object arg0, object arg1) => Concat(arg0?.ToString(), arg1?.ToString());
        public static string Concat(object arg0, object arg1, object arg2) => Concat(arg0?.ToString(), arg1?.ToString(), arg2?.ToString());

        public static string Concat(params object[] args)
        {
            ArgumentNullException.ThrowIfNull(args, "args");
            var parts = new string[args.Length];
            for (int i = 0; i < args.Length; i++) parts[i] = args[i]?.ToString();
            return Concat(parts);
        }

        public static string Concat(IEnumerable<string> values)
        {
            ArgumentNullException.ThrowIfNull(values, "values");
            var sb = new StringBuilder();
            foreach (string v in values) sb.Append(v);
            return sb.ToString();
        }

        public static string Concat<T>(IEnumerable<T> values)
        {
            ArgumentNullException.ThrowIfNull(values, "values");
            var sb = new StringBuilder();
            foreach (T v in values) if (v != null) sb.Append(v.ToString());
            return sb.ToString();
        }

        public static string Concat(ReadOnlySpan<char> str0, ReadOnlySpan<char> str1)
        {
            string s = FastAllocateString(str0.Length + str1.Length);
            str0.CopyTo(new Span<char>(ref s._firstChar, s.Length));
            str1.CopyTo(new Span<char>(ref s._firstChar, s.Length).Slice(str0.Length));
            return s;
        }

        private void Fill(int at, string from)
        {
            for (int i = 0; i < from.Length; i++) Unsafe.Add(ref _firstChar, at + i) = from[i];
        }

        public static string Join(string separator, params string[] value)
        {
            ArgumentNullException.ThrowIfNull(value, "value");
            return Join(separator, value, 0, value.Length);
        }

        public static string Join(string separator, string[] value, int startIndex, int count)
        {
            ArgumentNullException.ThrowIfNull(value, "value");
            var sb = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                if (i > 0) sb.Append(separator);
                sb.Append(value[startIndex + i]);
            }
            return sb.ToString();
        }

        public static string Join(char separator, params string[] value) => Join(separator.ToString(), value);
        public static string Join(string separator, params object[] values)
        {
            ArgumentNullException.ThrowIfNull(values, "values");
            var sb = new StringBuilder();
            for (int i = 0; i < values.Length; i++)
            {
                if (i > 0) sb.Append(separator);
                if (values[i] != null) sb.Append(values[i].ToString());
            }
            return sb.ToString();
        }

        public static string Join(string separator, IEnumerable<string> values)
        {
            ArgumentNullException.ThrowIfNull(values, "values");
            var sb = new StringBuilder();
            bool first = true;
            foreach (string v in values)
            {
                if (!first) sb.Append(separator);
                sb.Append(v);
                first = false;
            }
            return sb.ToString();
        }

        public static string Join<T>(string separator, IEnumerable<T> values)
        {
            ArgumentNullException.ThrowIfNull(values, "values");
            var sb = new StringBuilder();
            bool first = true;
            foreach (T v in values)
            {
                if (!first) sb.Append(separator);
                if (v != null) sb.Append(v.ToString());
                first = false;
            }
            return sb.ToString();
        }

        public static string Join<T>(char separator, IEnumerable<T> values) => Join(separator.ToString(), values);

        public string[] Split(char separator, StringSplitOptions options = StringSplitOptions.None) =>
            SplitCore(new ReadOnlySpan<char>(ref separator, 1), null, int.MaxValue, options);

        public string[] Split(char separator, int count, StringSplitOptions options = StringSplitOptions.None) =>
            SplitCore(new ReadOnlySpan<char>(ref separator, 1), null, count, options);

        /// <summary>No separators (null or empty) means white space, as on .NET.</summary>
        public string[] Split(params char[] separator) => SplitCore(separator, null, int.MaxValue, StringSplitOptions.None);
        public string[] Split(char[] separator, StringSplitOptions options) => SplitCore(separator, null, int.MaxValue, options);
        public string[] Split(char[] separator, int count) => SplitCore(separator, null, count, StringSplitOptions.None);
        public string[] Split(char[] separator, int count, StringSplitOptions options) => SplitCore(separator, null, count, options);

        public string[] Split(string separator, StringSplitOptions options = StringSplitOptions.None)
        {
            // .NET: an empty string separator does not split; the whole (possibly trimmed) string is the one part.
            if (IsNullOrEmpty(separator)) return SplitCore(default, null, int.MaxValue, options, wholeOnly: true);
            return SplitCore(default, new[] { separator }, int.MaxValue, options);
        }

        public string[] Split(string[] separator, StringSplitOptions options) => SplitCore(default, separator, int.MaxValue, options);

        private string[] SplitCore(ReadOnlySpan<char> chars, string[] strings, int count, StringSplitOptions options, bool wholeOnly = false)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, "count");
            bool removeEmpty = (options & StringSplitOptions.RemoveEmptyEntries) != 0;
            bool trim = (options & StringSplitOptions.TrimEntries) != 0;
            var parts = new List<string>();
            if (count == 0) return new string[0];
            int start = 0;
            int i = 0;
            while (i < Length && !wholeOnly && parts.Count < count - 1)
            {
                int separatorLength = SeparatorAt(i, chars, strings);
                if (separatorLength == 0) { i++; continue; }
                AddPart(parts, start, i - start, removeEmpty, trim);
                i += separatorLength;
                start = i;
            }
            // The rest is the last part (.NET trims or drops it the same way as the others).
            AddPart(parts, start, Length - start, removeEmpty, trim);
            return parts.ToArray();
        }

        private int SeparatorAt(int i, ReadOnlySpan<char> chars, string[] strings)
        {
            if (strings == null)
            {
                if (chars.Length == 0) return char.IsWhiteSpace(this[i]) ? 1 : 0;
                for (int k = 0; k < chars.Length; k++) if (this[i] == chars[k]) return 1;
                return 0;
            }
            for (int k = 0; k < strings.Length; k++)
            {
                string sep = strings[k];
                if (!IsNullOrEmpty(sep) && i + sep.Length <= Length && MatchesAt(i, sep, false)) return sep.Length;
            }
            return 0;
        }

        private void AddPart(List<string> parts, int start, int length, bool removeEmpty, bool trim)
        {
            ReadOnlySpan<char> part = AsSpan().Slice(start, length);
            if (trim) part = part.Trim();
            if (removeEmpty && part.Length == 0) return;
            parts.Add(part.Length == Length ? this : new string(part));
        }

        public string Replace(char oldChar, char newChar)
        {
            int first = IndexOf(oldChar);
            if (first < 0) return this;
            string s = FastAllocateString(Length);
            for (int i = 0; i < Length; i++)
            {
                char c = this[i];
                Unsafe.Add(ref s._firstChar, i) = c == oldChar ? newChar : c;
            }
            return s;
        }

        public string Replace(string oldValue, string newValue) => Replace(oldValue, newValue, StringComparison.Ordinal);

        public string Replace(string oldValue, string newValue, StringComparison comparisonType)
        {
            ArgumentNullException.ThrowIfNull(oldValue, "oldValue");
            if (oldValue.Length == 0) throw new ArgumentException("The value cannot be an empty string.", "oldValue");
            bool ignoreCase = IgnoresCase(comparisonType);
            StringBuilder sb = null;
            int start = 0;
            for (int i = 0; i + oldValue.Length <= Length;)
            {
                if (!MatchesAt(i, oldValue, ignoreCase)) { i++; continue; }
                sb ??= new StringBuilder(Length);
                sb.Append(AsSpan().Slice(start, i - start));
                sb.Append(newValue);
                i += oldValue.Length;
                start = i;
            }
            if (sb == null) return this;
            sb.Append(AsSpan().Slice(start));
            return sb.ToString();
        }

        public string Trim() => TrimWhere(null, true, true);
        public string TrimStart() => TrimWhere(null, true, false);
        public string TrimEnd() => TrimWhere(null, false, true);
        public string Trim(char trimChar) => TrimWhere(new[] { trimChar }, true, true);
        public string TrimStart(char trimChar) => TrimWhere(new[] { trimChar }, true, false);
        public string TrimEnd(char trimChar) => TrimWhere(new[] { trimChar }, false, true);
        public string Trim(params char[] trimChars) => TrimWhere(trimChars, true, true);
        public string TrimStart(params char[] trimChars) => TrimWhere(trimChars, true, false);
        public string TrimEnd(params char[] trimChars) => TrimWhere(trimChars, false, true);

        /// <summary>No characters (null or empty) means white space, as on .NET.</summary>
        private string TrimWhere(char[] chars, bool start, bool end)
        {
            int first = 0, last = Length - 1;
            if (start) while (first <= last && IsTrimmed(this[first], chars)) first++;
            if (end) while (last >= first && IsTrimmed(this[last], chars)) last--;
            int length = last - first + 1;
            if (length == Length) return this;
            return length == 0 ? Empty : Create(AsSpan().Slice(first, length));
        }

        private static bool IsTrimmed(char c, char[] chars)
        {
            if (chars == null || chars.Length == 0) return char.IsWhiteSpace(c);
            for (int i = 0; i < chars.Length; i++) if (chars[i] == c) return true;
            return false;
        }

        public string ToUpperInvariant()
        {
            string s = FastAllocateString(Length);
            for (int i = 0; i < Length; i++) Unsafe.Add(ref s._firstChar, i) = char.ToUpperInvariant(this[i]);
            return s;
        }

        public string ToLowerInvariant()
        {
            string s = FastAllocateString(Length);
            for (int i = 0; i < Length; i++) Unsafe.Add(ref s._firstChar, i) = char.ToLowerInvariant(this[i]);
            return s;
        }

        public string ToUpper() => ToUpperInvariant();
        public string ToLower() => ToLowerInvariant();

        public string PadLeft(int totalWidth) => PadLeft(totalWidth, ' ');
        public string PadRight(int totalWidth) => PadRight(totalWidth, ' ');

        public string PadLeft(int totalWidth, char paddingChar)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(totalWidth, "totalWidth");
            if (totalWidth <= Length) return this;
            string s = FastAllocateString(totalWidth);
            int pad = totalWidth - Length;
            for (int i = 0; i < pad; i++) Unsafe.Add(ref s._firstChar, i) = paddingChar;
            s.Fill(pad, this);
            return s;
        }

        public string PadRight(int totalWidth, char paddingChar)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(totalWidth, "totalWidth");
            if (totalWidth <= Length) return this;
            string s = FastAllocateString(totalWidth);
            s.Fill(0, this);
            for (int i = Length; i < totalWidth; i++) Unsafe.Add(ref s._firstChar, i) = paddingChar;
            return s;
        }

        public string Insert(int startIndex, string value)
        {
            ArgumentNullException.ThrowIfNull(value, "value");
            CheckStart(startIndex);
            return Concat(AsSpan().Slice(0, startIndex), Concat(value, Substring(startIndex)));
        }

        public string Remove(int startIndex) => Substring(0, startIndex);

        public string Remove(int startIndex, int count) => Concat(Substring(0, startIndex), Substring(startIndex + count));

        public char[] ToCharArray()
        {
            var chars = new char[Length];
            for (int i = 0; i < Length; i++) chars[i] = this[i];
            return chars;
        }

        public void CopyTo(int sourceIndex, char[] destination, int destinationIndex, int count) =>
            AsSpan().Slice(sourceIndex, count).CopyTo(new Span<char>(destination, destinationIndex, count));

        public void CopyTo(Span<char> destination) => AsSpan().CopyTo(destination);
    }
}
