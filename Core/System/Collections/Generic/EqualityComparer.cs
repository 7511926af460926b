using Internal.Runtime;
using System.Runtime.CompilerServices;

namespace System.Collections.Generic
{
    /// <summary>
    /// .NET's EqualityComparer&lt;T&gt;. <see cref="Default"/> is what ilc's comparer intrinsic makes it: for a type
    /// the compiler knows exactly, <c>Create</c> is replaced by <c>new</c> of the comparer its ComparerIntrinsics
    /// picks by name (StringEqualityComparer, GenericEqualityComparer`1 for IEquatable&lt;T&gt;, NullableEqualityComparer`1,
    /// EnumEqualityComparer`1, else ObjectEqualityComparer`1), and the JIT devirtualizes calls on Default to it; for
    /// shared (canonical) code the body below makes the same choice at run time, so both agree.
    /// </summary>
    public abstract class EqualityComparer<T> : IEqualityComparer<T>, IEqualityComparer
    {
        public static EqualityComparer<T> Default { [Intrinsic] get; } = Create();

        [Intrinsic]
        private static unsafe EqualityComparer<T> Create()
        {
            // Only reached for canonical instantiations (reference types and generic structs over them).
            if (typeof(T) == typeof(string)) return (EqualityComparer<T>)(object)new StringEqualityComparer();
            MethodTable* type = typeof(T).TypeHandle._value;
            if (type->ImplementsInterface(typeof(IEquatable<T>).TypeHandle._value)) return new GenericEqualityComparer<T>();
            if (type->IsEnumGiven(typeof(Enum).TypeHandle._value)) return new EnumEqualityComparer<T>();
            return new ObjectEqualityComparer<T>();
        }

        /// <summary>A comparer from two delegates (.NET 8).</summary>
        public static EqualityComparer<T> Create(Func<T, T, bool> equals, Func<T, int> getHashCode = null)
        {
            ArgumentNullException.ThrowIfNull(equals, "equals");
            return new DelegateEqualityComparer<T>(equals, getHashCode);
        }

        protected EqualityComparer() { }

        public abstract bool Equals(T x, T y);
        public abstract int GetHashCode(T obj);

        bool IEqualityComparer.Equals(object x, object y)
        {
            if (x == y) return true;
            if (x == null || y == null) return false;
            if (x is T tx && y is T ty) return Equals(tx, ty);
            throw new ArgumentException("Type of argument is not compatible with the generic comparer.");
        }

        int IEqualityComparer.GetHashCode(object obj)
        {
            if (obj == null) return 0;
            if (obj is T t) return GetHashCode(t);
            throw new ArgumentException("Type of argument is not compatible with the generic comparer.");
        }
    }

    /// <summary>For T implementing IEquatable&lt;T&gt;: calls it (no constraint, so shared code can make one).</summary>
    internal sealed class GenericEqualityComparer<T> : EqualityComparer<T>
    {
        public override bool Equals(T x, T y)
        {
            if (x != null)
            {
                if (y != null) return ((IEquatable<T>)x).Equals(y);
                return false;
            }
            return y == null;
        }

        public override int GetHashCode(T obj) => obj == null ? 0 : obj.GetHashCode();
        public override bool Equals(object obj) => obj is GenericEqualityComparer<T>;
        public override int GetHashCode() => 0x4F1A2B3C;
    }

    /// <summary>For T without IEquatable&lt;T&gt;: object.Equals.</summary>
    internal sealed class ObjectEqualityComparer<T> : EqualityComparer<T>
    {
        public override bool Equals(T x, T y)
        {
            if (x != null)
            {
                if (y != null) return x.Equals(y);
                return false;
            }
            return y == null;
        }

        public override int GetHashCode(T obj) => obj == null ? 0 : obj.GetHashCode();
        public override bool Equals(object obj) => obj is ObjectEqualityComparer<T>;
        public override int GetHashCode() => 0x4F1A2B3D;
    }

    internal sealed class StringEqualityComparer : EqualityComparer<string>
    {
        public override bool Equals(string x, string y) => string.Equals(x, y);
        public override int GetHashCode(string obj) => obj == null ? 0 : obj.GetHashCode();
        public override bool Equals(object obj) => obj is StringEqualityComparer;
        public override int GetHashCode() => 0x4F1A2B3E;
    }

    internal sealed class NullableEqualityComparer<T> : EqualityComparer<T?> where T : struct
    {
        public override bool Equals(T? x, T? y)
        {
            if (x.HasValue) return y.HasValue && EqualityComparer<T>.Default.Equals(x.GetValueOrDefault(), y.GetValueOrDefault());
            return !y.HasValue;
        }

        public override int GetHashCode(T? obj) => obj.HasValue ? EqualityComparer<T>.Default.GetHashCode(obj.GetValueOrDefault()) : 0;
        public override bool Equals(object obj) => obj is NullableEqualityComparer<T>;
        public override int GetHashCode() => 0x4F1A2B3F;
    }

    /// <summary>Enums compare their underlying integers (no boxing); unconstrained so the run-time choice can make one.</summary>
    internal sealed class EnumEqualityComparer<T> : EqualityComparer<T>
    {
        public override bool Equals(T x, T y)
        {
            if (Unsafe.SizeOf<T>() == 1) return Unsafe.As<T, byte>(ref x) == Unsafe.As<T, byte>(ref y);
            if (Unsafe.SizeOf<T>() == 2) return Unsafe.As<T, ushort>(ref x) == Unsafe.As<T, ushort>(ref y);
            if (Unsafe.SizeOf<T>() == 4) return Unsafe.As<T, uint>(ref x) == Unsafe.As<T, uint>(ref y);
            return Unsafe.As<T, ulong>(ref x) == Unsafe.As<T, ulong>(ref y);
        }

        public override int GetHashCode(T obj)
        {
            if (Unsafe.SizeOf<T>() == 1) return Unsafe.As<T, byte>(ref obj);
            if (Unsafe.SizeOf<T>() == 2) return Unsafe.As<T, ushort>(ref obj);
            if (Unsafe.SizeOf<T>() == 4) return Unsafe.As<T, int>(ref obj);
            return Unsafe.As<T, long>(ref obj).GetHashCode();
        }

        public override bool Equals(object obj) => obj is EnumEqualityComparer<T>;
        public override int GetHashCode() => 0x4F1A2B40;
    }

    internal sealed class DelegateEqualityComparer<T> : EqualityComparer<T>
    {
        private readonly Func<T, T, bool> _equals;
        private readonly Func<T, int> _getHashCode;

        public DelegateEqualityComparer(Func<T, T, bool> equals, Func<T, int> getHashCode)
        {
            _equals = equals;
            _getHashCode = getHashCode;
        }

        public override bool Equals(T x, T y) => _equals(x, y);

        public override int GetHashCode(T obj)
        {
            if (_getHashCode == null) throw new NotSupportedException();
            return _getHashCode(obj);
        }
    }
}
