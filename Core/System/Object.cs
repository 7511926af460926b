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
        // ilc reads this field by name (instantiating unboxing stubs load the MethodTable through it).
        internal MethodTable* m_pEEType;

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
        public Type GetType() => RuntimeType.For(m_pEEType);

        internal MethodTable* GetMethodTable() => m_pEEType;

        /// <summary>Start of the object's fields (just after the MethodTable pointer).</summary>
        internal ref byte GetRawData() => ref Unsafe.As<RawData>(this).Data;
    }

    /// <summary>
    /// Base of structs. .NET compares the fields one by one; without reflection metadata the kernel compares the
    /// bytes, which agrees with .NET for structs of plain data. Structs holding references (or floating-point
    /// fields where -0.0 and 0.0 must be equal) should implement IEquatable&lt;T&gt; and override Equals, as
    /// .NET's guidance says anyway; records and tuples do.
    /// </summary>
    public abstract unsafe class ValueType
    {
        public override bool Equals(object obj)
        {
            if (obj == null || obj.GetMethodTable() != GetMethodTable()) return false;
            int size = (int)GetMethodTable()->ValueTypeSize;
            ref byte a = ref GetRawData();
            ref byte b = ref obj.GetRawData();
            for (int i = 0; i < size; i++) if (Unsafe.Add(ref a, i) != Unsafe.Add(ref b, i)) return false;
            return true;
        }

        public override int GetHashCode()
        {
            int size = (int)GetMethodTable()->ValueTypeSize;
            ref byte a = ref GetRawData();
            int h = size;
            for (int i = 0; i < size; i++) h = h * 31 + Unsafe.Add(ref a, i);
            return h;
        }

        public override string ToString() => GetType().FullName;
    }

    public abstract class Enum : ValueType
    {
    }

    public struct Void { }


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
        public T GetValueOrDefault(T defaultValue) => hasValue ? value : defaultValue;
        public override bool Equals(object other) => hasValue ? value.Equals(other) : other == null;
        public override int GetHashCode() => hasValue ? value.GetHashCode() : 0;
        public override string ToString() => hasValue ? value.ToString() : "";
        public static implicit operator T?(T value) => new T?(value);
        public static explicit operator T(T? value) => value.Value;
    }

}

namespace System.Runtime.CompilerServices
{
    // ilc looks these up by name (RawData.Data is where an instantiating unboxing stub finds a boxed value's fields).
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
}
