using Internal.Runtime;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Collections;
using System.Collections.Generic;

namespace System
{
    /// <summary>
    /// UTF-16 string in the layout ilc emits for literals: MethodTable, length, characters, NUL.
    /// Strings built at run time come from <see cref="FastAllocateString"/> and belong to whoever made
    /// them; the kernel frees them explicitly (see README: memory ownership).
    /// </summary>
    public sealed unsafe partial class String : IComparable, IComparable<string>, IEquatable<string>, IEnumerable<char>
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

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(char c, int count);

        private static string Ctor(char c, int count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, "count");
            if (count == 0) return Empty;
            string s = FastAllocateString(count);
            for (int i = 0; i < count; i++) Unsafe.Add(ref s._firstChar, i) = c;
            return s;
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(char[] value);

        private static string Ctor(char[] value) => value == null || value.Length == 0 ? Empty : Create(value);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(char[] value, int startIndex, int length);

        private static string Ctor(char[] value, int startIndex, int length)
        {
            ArgumentNullException.ThrowIfNull(value, "value");
            return Create(new ReadOnlySpan<char>(value, startIndex, length));
        }

        public static string Create(ReadOnlySpan<char> chars)
        {
            string s = FastAllocateString(chars.Length);
            for (int i = 0; i < chars.Length; i++) Unsafe.Add(ref s._firstChar, i) = chars[i];
            return s;
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

        public override string ToString() => this;
    }
}
