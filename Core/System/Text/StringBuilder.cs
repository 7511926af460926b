using System.Collections.Generic;

namespace System.Text
{
    /// <summary>.NET's StringBuilder over one growing char array (.NET chains chunks; the results are the same).</summary>
    public sealed class StringBuilder
    {
        private char[] _chars;
        private int _length;

        public StringBuilder() : this(16) { }

        public StringBuilder(int capacity)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(capacity, "capacity");
            _chars = new char[capacity == 0 ? 16 : capacity];
        }

        public StringBuilder(string value) : this(value == null || value.Length < 16 ? 16 : value.Length) { Append(value); }

        public int Length
        {
            get => _length;
            set
            {
                ArgumentOutOfRangeException.ThrowIfNegative(value, "value");
                EnsureCapacity(value);
                for (int i = _length; i < value; i++) _chars[i] = '\0';
                _length = value;
            }
        }

        public int Capacity => _chars.Length;

        public char this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_length) throw new IndexOutOfRangeException();
                return _chars[index];
            }
            set
            {
                if ((uint)index >= (uint)_length) throw new ArgumentOutOfRangeException("index", "Index was out of range. Must be non-negative and less than the size of the collection.");
                _chars[index] = value;
            }
        }

        public int EnsureCapacity(int capacity)
        {
            if (capacity > _chars.Length)
            {
                int grown = _chars.Length * 2;
                var chars = new char[grown > capacity ? grown : capacity];
                new ReadOnlySpan<char>(_chars, 0, _length).CopyTo(chars);
                _chars = chars;
            }
            return _chars.Length;
        }

        public StringBuilder Append(char value)
        {
            if (_length == _chars.Length) EnsureCapacity(_length + 1);
            _chars[_length++] = value;
            return this;
        }

        public StringBuilder Append(char value, int repeatCount)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(repeatCount, "repeatCount");
            EnsureCapacity(_length + repeatCount);
            for (int i = 0; i < repeatCount; i++) _chars[_length++] = value;
            return this;
        }

        public StringBuilder Append(ReadOnlySpan<char> value)
        {
            EnsureCapacity(_length + value.Length);
            value.CopyTo(new Span<char>(_chars, _length, value.Length));
            _length += value.Length;
            return this;
        }

        public StringBuilder Append(string value) => value == null ? this : Append(value.AsSpan());

        public StringBuilder Append(string value, int startIndex, int count)
        {
            if (value == null)
            {
                if (startIndex == 0 && count == 0) return this;
                throw new ArgumentNullException("value");
            }
            return Append(value.AsSpan().Slice(startIndex, count));
        }

        public StringBuilder Append(char[] value) => value == null ? this : Append(new ReadOnlySpan<char>(value));
        public StringBuilder Append(char[] value, int startIndex, int charCount) => Append(new ReadOnlySpan<char>(value, startIndex, charCount));
        public StringBuilder Append(StringBuilder value) => value == null ? this : Append(new ReadOnlySpan<char>(value._chars, 0, value._length));
        public StringBuilder Append(object value) => value == null ? this : Append(value.ToString());
        public StringBuilder Append(bool value) => Append(value ? "True" : "False");
        public StringBuilder Append(int value) => AppendFormatted(value, default);
        public StringBuilder Append(long value) => AppendFormatted(value, default);
        public StringBuilder Append(uint value) => AppendFormatted(value, default);
        public StringBuilder Append(ulong value) => AppendFormatted(value, default);
        public StringBuilder Append(short value) => AppendFormatted(value, default);
        public StringBuilder Append(ushort value) => AppendFormatted(value, default);
        public StringBuilder Append(byte value) => AppendFormatted(value, default);
        public StringBuilder Append(sbyte value) => AppendFormatted(value, default);
        public StringBuilder Append(double value) => Append(value.ToString());

        private StringBuilder AppendFormatted<T>(T value, ReadOnlySpan<char> format) where T : ISpanFormattable
        {
            Span<char> digits = stackalloc char[32];
            value.TryFormat(digits, out int n, format, null);
            return Append(digits.Slice(0, n));
        }

        public StringBuilder AppendLine() => Append('\n');
        public StringBuilder AppendLine(string value) => Append(value).Append('\n');

        public StringBuilder AppendJoin(string separator, params object[] values) => Append(string.Join(separator, values));
        public StringBuilder AppendJoin(string separator, params string[] values) => Append(string.Join(separator, values));
        public StringBuilder AppendJoin<T>(string separator, IEnumerable<T> values) => Append(string.Join(separator, values));
        public StringBuilder AppendJoin(char separator, params string[] values) => Append(string.Join(separator, values));

        public StringBuilder AppendFormat(string format, params object[] args) => Append(string.Format(format, args));
        public StringBuilder AppendFormat(string format, object arg0) => Append(string.Format(format, arg0));
        public StringBuilder AppendFormat(string format, object arg0, object arg1) => Append(string.Format(format, arg0, arg1));

        public StringBuilder Insert(int index, string value)
        {
            if ((uint)index > (uint)_length) throw new ArgumentOutOfRangeException("index", "Index was out of range. Must be non-negative and less than or equal to the size of the collection.");
            if (value == null || value.Length == 0) return this;
            EnsureCapacity(_length + value.Length);
            for (int i = _length - 1; i >= index; i--) _chars[i + value.Length] = _chars[i];
            for (int i = 0; i < value.Length; i++) _chars[index + i] = value[i];
            _length += value.Length;
            return this;
        }

        public StringBuilder Insert(int index, char value) => Insert(index, value.ToString());
        public StringBuilder Insert(int index, int value) => Insert(index, value.ToString());
        public StringBuilder Insert(int index, object value) => Insert(index, value?.ToString());

        public StringBuilder Remove(int startIndex, int length)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(length, "length");
            ArgumentOutOfRangeException.ThrowIfNegative(startIndex, "startIndex");
            if (length > _length - startIndex) throw new ArgumentOutOfRangeException("length", "Index was out of range. Must be non-negative and less than the size of the collection.");
            for (int i = startIndex + length; i < _length; i++) _chars[i - length] = _chars[i];
            _length -= length;
            return this;
        }

        public StringBuilder Replace(char oldChar, char newChar)
        {
            for (int i = 0; i < _length; i++) if (_chars[i] == oldChar) _chars[i] = newChar;
            return this;
        }

        public StringBuilder Replace(string oldValue, string newValue)
        {
            string replaced = ToString().Replace(oldValue, newValue);
            Clear();
            return Append(replaced);
        }

        public StringBuilder Clear()
        {
            _length = 0;
            return this;
        }

        public override string ToString() => new string(new ReadOnlySpan<char>(_chars, 0, _length));

        public string ToString(int startIndex, int length)
        {
            if ((ulong)(uint)startIndex + (uint)length > (uint)_length)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(startIndex, "startIndex");
                ArgumentOutOfRangeException.ThrowIfNegative(length, "length");
                throw new ArgumentOutOfRangeException("length", "Index and length must refer to a location within the string.");
            }
            return new string(new ReadOnlySpan<char>(_chars, startIndex, length));
        }
    }
}
