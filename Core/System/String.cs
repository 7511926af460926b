using Internal.Runtime;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>
    /// UTF-16 string in the layout ilc emits for literals: MethodTable, length, characters, NUL.
    /// Strings built at run time come from <see cref="FastAllocateString"/> and belong to whoever made
    /// them; the kernel frees them explicitly (see README: memory ownership).
    /// </summary>
    public sealed unsafe class String
    {
        [Intrinsic] public static readonly string Empty = "";

        private int _stringLength;
        private char _firstChar;

        public int Length => _stringLength;

        [IndexerName("Chars")]
        public char this[int index]
        {
            [Intrinsic]
            get
            {
                if ((uint)index >= (uint)_stringLength) ThrowHelpers.ThrowIndexOutOfRange();
                return Unsafe.Add(ref _firstChar, index);
            }
        }

        internal ref char GetRawStringData() => ref _firstChar;

        public ReadOnlySpan<char> AsSpan() => new ReadOnlySpan<char>(ref _firstChar, _stringLength);

        public static implicit operator ReadOnlySpan<char>(string value) =>
            value == null ? default : new ReadOnlySpan<char>(ref value._firstChar, value._stringLength);

        internal static string FastAllocateString(int length)
        {
            string s = Unsafe.As<string>(Allocator.NewArray("".GetMethodTable(), length));
            return s;
        }

        // ilc turns "new string(span)" into a call to the static Ctor with the same parameters (as NativeAOT's
        // own CoreLib does), so shared code can build strings the same way on the host and in the kernel.
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(ReadOnlySpan<char> value);

        private static string Ctor(ReadOnlySpan<char> value) => Create(value);

        public static string Create(ReadOnlySpan<char> chars)
        {
            string s = FastAllocateString(chars.Length);
            for (int i = 0; i < chars.Length; i++) Unsafe.Add(ref s._firstChar, i) = chars[i];
            return s;
        }

        public static string Concat(string a, string b)
        {
            a ??= Empty; b ??= Empty;
            string s = FastAllocateString(a.Length + b.Length);
            for (int i = 0; i < a.Length; i++) Unsafe.Add(ref s._firstChar, i) = a[i];
            for (int i = 0; i < b.Length; i++) Unsafe.Add(ref s._firstChar, a.Length + i) = b[i];
            return s;
        }

        public static string Concat(string a, string b, string c)
        {
            string ab = Concat(a, b);
            string result = Concat(ab, c);
            Allocator.Free(ab);
            return result;
        }

        public static string Concat(string a, string b, string c, string d)
        {
            string abc = Concat(a, b, c);
            string result = Concat(abc, d);
            Allocator.Free(abc);
            return result;
        }

        public static bool Equals(string a, string b)
        {
            if ((object)a == b) return true;
            if (a is null || b is null || a._stringLength != b._stringLength) return false;
            for (int i = 0; i < a._stringLength; i++) if (a[i] != b[i]) return false;
            return true;
        }

        public bool StartsWith(string value)
        {
            if (value is null) throw new ArgumentNullException("value");
            string prefix = value;
            if (prefix.Length > Length) return false;
            for (int i = 0; i < prefix.Length; i++) if (this[i] != prefix[i]) return false;
            return true;
        }

        public string Substring(int startIndex) => Substring(startIndex, Length - startIndex);

        /// <summary>As .NET, with its argument checks and messages.</summary>
        public string Substring(int startIndex, int length)
        {
            if ((ulong)(uint)startIndex + (ulong)(uint)length > (ulong)(uint)Length)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(startIndex, "startIndex");
                if (startIndex > Length) throw new ArgumentOutOfRangeException("startIndex", "startIndex cannot be larger than length of string.");
                ArgumentOutOfRangeException.ThrowIfNegative(length, "length");
                throw new ArgumentOutOfRangeException("length", "Index and length must refer to a location within the string.");
            }
            if (length == 0) return Empty;
            if (startIndex == 0 && length == Length) return this;
            return Create(AsSpan().Slice(startIndex, length));
        }

        public static bool IsNullOrEmpty(string value) => value is null || value.Length == 0;

        public static bool operator ==(string a, string b) => Equals(a, b);
        public static bool operator !=(string a, string b) => !Equals(a, b);
        public override bool Equals(object obj) => obj is string s && Equals(this, s);
        public override int GetHashCode()
        {
            int h = 5381;
            for (int i = 0; i < _stringLength; i++) h = h * 33 + this[i];
            return h;
        }
        public override string ToString() => this;
    }
}
