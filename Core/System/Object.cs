using Internal.Runtime;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>
    /// The root of every reference type. Its only field is the MethodTable pointer the compiler
    /// lays out at offset 0 of every object; the 8-byte object header sits just before it.
    /// </summary>
    public unsafe class Object
    {
        internal MethodTable* m_pMethodTable;

        public Object() { }

        ~Object() { }

        public virtual bool Equals(object obj) => ReferenceEquals(this, obj);

        public virtual int GetHashCode()
        {
            object self = this;
            return (int)(Unsafe.As<object, nint>(ref self) >> 3);
        }

        public virtual string ToString() => "object";

        public static bool ReferenceEquals(object a, object b) => a == b;

        /// <summary>The object's exact type (one <see cref="Type"/> object per type, so == compares types as on .NET).</summary>
        public Type GetType() => RuntimeType.For(m_pMethodTable);

        internal MethodTable* GetMethodTable() => m_pMethodTable;

        /// <summary>Start of the object's fields (just after the MethodTable pointer).</summary>
        internal ref byte GetRawData() => ref Unsafe.As<RawData>(this).Data;
    }

    internal sealed class RawData
    {
        public byte Data;
    }

    internal sealed class RawArrayData
    {
        public uint Length;
        public uint Padding;
        public byte Data;
    }

    public abstract class ValueType
    {
    }

    public abstract class Enum : ValueType
    {
    }

    public struct Void { }

    public struct Boolean
    {
        private bool m_value;
        public override string ToString() => m_value ? "True" : "False";
    }

    public struct Char
    {
        private char m_value;
        public const char MaxValue = (char)0xFFFF;
        public const char MinValue = (char)0;

        /// <summary>As .NET: a string of this one character (it was the object's "object" before).</summary>
        public override string ToString()
        {
            Span<char> one = stackalloc char[1];
            one[0] = m_value;
            return string.Create(one);
        }
    }

    public struct SByte : IEquatable<sbyte>
    {
        private sbyte m_value;
        public const sbyte MaxValue = 127;
        public const sbyte MinValue = -128;
        public override string ToString() => Number.ToString((long)m_value, false, null);
        public string ToString(string format) => Number.ToString((long)m_value, false, format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default) =>
            Number.TryFormat((long)m_value, false, destination, out charsWritten, format);
        public bool Equals(sbyte other) => m_value == other;
        public override bool Equals(object obj) => obj is sbyte other && m_value == other;
        public override int GetHashCode() => (int)m_value;
    }
    public struct Byte : IEquatable<byte>
    {
        private byte m_value;
        public const byte MaxValue = 255;
        public const byte MinValue = 0;
        public override string ToString() => Number.ToString((long)m_value, true, null);
        public string ToString(string format) => Number.ToString((long)m_value, true, format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default) =>
            Number.TryFormat((long)m_value, true, destination, out charsWritten, format);
        public bool Equals(byte other) => m_value == other;
        public override bool Equals(object obj) => obj is byte other && m_value == other;
        public override int GetHashCode() => (int)m_value;
    }
    public struct Int16 : IEquatable<short>
    {
        private short m_value;
        public const short MaxValue = 32767;
        public const short MinValue = -32768;
        public override string ToString() => Number.ToString((long)m_value, false, null);
        public string ToString(string format) => Number.ToString((long)m_value, false, format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default) =>
            Number.TryFormat((long)m_value, false, destination, out charsWritten, format);
        public bool Equals(short other) => m_value == other;
        public override bool Equals(object obj) => obj is short other && m_value == other;
        public override int GetHashCode() => (int)m_value;
    }
    public struct UInt16 : IEquatable<ushort>
    {
        private ushort m_value;
        public const ushort MaxValue = 65535;
        public const ushort MinValue = 0;
        public override string ToString() => Number.ToString((long)m_value, true, null);
        public string ToString(string format) => Number.ToString((long)m_value, true, format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default) =>
            Number.TryFormat((long)m_value, true, destination, out charsWritten, format);
        public bool Equals(ushort other) => m_value == other;
        public override bool Equals(object obj) => obj is ushort other && m_value == other;
        public override int GetHashCode() => (int)m_value;
    }
    public struct Int32 : IEquatable<int>
    {
        private int m_value;
        public const int MaxValue = 0x7fffffff;
        public const int MinValue = unchecked((int)0x80000000);
        public override string ToString() => Number.ToString((long)m_value, false, null);
        public string ToString(string format) => Number.ToString((long)m_value, false, format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default) =>
            Number.TryFormat((long)m_value, false, destination, out charsWritten, format);
        public bool Equals(int other) => m_value == other;
        public override bool Equals(object obj) => obj is int other && m_value == other;

        public static int Parse(string s)
        {
            if (s == null) throw new ArgumentNullException("s");
            return Number.ParseInt32(s);
        }

        public static int Parse(ReadOnlySpan<char> s) => Number.ParseInt32(s);
        public static bool TryParse(string s, out int result)
        {
            if (s != null) return Number.TryParseInt32(s, out result, out _);
            result = 0;
            return false;
        }

        public static bool TryParse(ReadOnlySpan<char> s, out int result) => Number.TryParseInt32(s, out result, out _);
        public override int GetHashCode() => (int)m_value;
    }
    public struct UInt32 : IEquatable<uint>
    {
        private uint m_value;
        public const uint MaxValue = 0xffffffff;
        public const uint MinValue = 0;
        public override string ToString() => Number.ToString((long)m_value, true, null);
        public string ToString(string format) => Number.ToString((long)m_value, true, format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default) =>
            Number.TryFormat((long)m_value, true, destination, out charsWritten, format);
        public bool Equals(uint other) => m_value == other;
        public override bool Equals(object obj) => obj is uint other && m_value == other;
        public override int GetHashCode() => (int)m_value;
    }
    public struct Int64 : IEquatable<long>
    {
        private long m_value;
        public const long MaxValue = 0x7fffffffffffffffL;
        public const long MinValue = unchecked((long)0x8000000000000000L);
        public override string ToString() => Number.ToString((long)m_value, false, null);
        public string ToString(string format) => Number.ToString((long)m_value, false, format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default) =>
            Number.TryFormat((long)m_value, false, destination, out charsWritten, format);
        public bool Equals(long other) => m_value == other;
        public override bool Equals(object obj) => obj is long other && m_value == other;
        public override int GetHashCode() => (int)m_value;
    }
    public struct UInt64 : IEquatable<ulong>
    {
        private ulong m_value;
        public const ulong MaxValue = 0xffffffffffffffffUL;
        public const ulong MinValue = 0;
        public override string ToString() => Number.ToString((long)m_value, true, null);
        public string ToString(string format) => Number.ToString((long)m_value, true, format);
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default) =>
            Number.TryFormat((long)m_value, true, destination, out charsWritten, format);
        public bool Equals(ulong other) => m_value == other;
        public override bool Equals(object obj) => obj is ulong other && m_value == other;
        public override int GetHashCode() => (int)m_value;
    }
    public struct Single { private float m_value; }
    public struct Double { private double m_value; }

    public unsafe struct IntPtr
    {
        private void* _value;
        public static readonly IntPtr Zero;
        public IntPtr(void* value) { _value = value; }
        public IntPtr(long value) { _value = (void*)value; }
        public static int Size => sizeof(nint);
        public void* ToPointer() => _value;
        public static explicit operator IntPtr(void* value) => new IntPtr(value);
        public static explicit operator void*(IntPtr value) => value._value;
        public static explicit operator long(IntPtr value) => (long)value._value;
        public static explicit operator IntPtr(long value) => new IntPtr(value);
        public static explicit operator IntPtr(int value) => new IntPtr(value);
        public static bool operator ==(IntPtr a, IntPtr b) => a._value == b._value;
        public static bool operator !=(IntPtr a, IntPtr b) => a._value != b._value;
        public override bool Equals(object o) => false;
        public override int GetHashCode() => (int)(long)_value;
    }

    public unsafe struct UIntPtr
    {
        private void* _value;
        public static readonly UIntPtr Zero;
        public UIntPtr(void* value) { _value = value; }
        public UIntPtr(ulong value) { _value = (void*)value; }
        public static explicit operator UIntPtr(void* value) => new UIntPtr(value);
        public static explicit operator void*(UIntPtr value) => value._value;
        public static explicit operator ulong(UIntPtr value) => (ulong)value._value;
        public override bool Equals(object o) => false;
        public override int GetHashCode() => (int)(ulong)_value;
    }

    public struct TypedReference { }
    public struct ArgIterator { }
    public struct RuntimeArgumentHandle { }

    public struct Nullable<T> where T : struct
    {
        private readonly bool hasValue;
        internal T value;
        public Nullable(T value) { this.value = value; hasValue = true; }
        public bool HasValue => hasValue;
        public T Value
        {
            get
            {
                if (!hasValue) ThrowHelpers.ThrowInvalidOperation("Nullable object must have a value.");
                return value;
            }
        }
        public T GetValueOrDefault() => value;
        public static implicit operator T?(T value) => new T?(value);
        public static explicit operator T(T? value) => value.Value;
    }

    public interface IDisposable
    {
        void Dispose();
    }

    public interface IEquatable<T>
    {
        bool Equals(T other);
    }

    public interface IComparable<T>
    {
        int CompareTo(T other);
    }
}
