using Internal.Runtime;
using System.Runtime.CompilerServices;

namespace System.Collections.Generic
{
    /// <summary>
    /// .NET's Comparer&lt;T&gt;; <see cref="Default"/> is chosen as EqualityComparer&lt;T&gt;.Default is (ilc's comparer
    /// intrinsic for exact types: GenericComparer`1, NullableComparer`1, EnumComparer`1, ObjectComparer`1; the same
    /// choice at run time for shared code).
    /// </summary>
    public abstract class Comparer<T> : IComparer<T>, IComparer
    {
        public static Comparer<T> Default { [Intrinsic] get; } = Create();

        [Intrinsic]
        private static unsafe Comparer<T> Create()
        {
            MethodTable* type = typeof(T).TypeHandle._value;
            if (type->ImplementsInterface(typeof(IComparable<T>).TypeHandle._value)) return new GenericComparer<T>();
            if (type->IsEnumGiven(typeof(Enum).TypeHandle._value)) return new EnumComparer<T>();
            return new ObjectComparer<T>();
        }

        public static Comparer<T> Create(Comparison<T> comparison)
        {
            ArgumentNullException.ThrowIfNull(comparison, "comparison");
            return new ComparisonComparer<T>(comparison);
        }

        protected Comparer() { }

        public abstract int Compare(T x, T y);

        int IComparer.Compare(object x, object y)
        {
            if (x == null) return y == null ? 0 : -1;
            if (y == null) return 1;
            if (x is T tx && y is T ty) return Compare(tx, ty);
            throw new ArgumentException("At least one object must implement IComparable.");
        }
    }

    /// <summary>For T implementing IComparable&lt;T&gt;; null sorts first.</summary>
    internal sealed class GenericComparer<T> : Comparer<T>
    {
        public override int Compare(T x, T y)
        {
            if (x != null)
            {
                if (y != null) return ((IComparable<T>)x).CompareTo(y);
                return 1;
            }
            return y != null ? -1 : 0;
        }

        public override bool Equals(object obj) => obj is GenericComparer<T>;
        public override int GetHashCode() => 0x3C1A2B3C;
    }

    /// <summary>For T without IComparable&lt;T&gt;: the non-generic IComparable, as Comparer.Default does.</summary>
    internal sealed class ObjectComparer<T> : Comparer<T>
    {
        public override int Compare(T x, T y) => System.Collections.Comparer.Default.Compare(x, y);
        public override bool Equals(object obj) => obj is ObjectComparer<T>;
        public override int GetHashCode() => 0x3C1A2B3D;
    }

    internal sealed class NullableComparer<T> : Comparer<T?> where T : struct
    {
        public override int Compare(T? x, T? y)
        {
            if (x.HasValue)
            {
                if (y.HasValue) return Comparer<T>.Default.Compare(x.GetValueOrDefault(), y.GetValueOrDefault());
                return 1;
            }
            return y.HasValue ? -1 : 0;
        }

        public override bool Equals(object obj) => obj is NullableComparer<T>;
        public override int GetHashCode() => 0x3C1A2B3E;
    }

    /// <summary>
    /// Enums compare their underlying integers, signed or not as the enum's type is (no boxing). Unconstrained so the
    /// run-time choice in <see cref="Comparer{T}.Default"/> can make one.
    /// </summary>
    internal sealed unsafe class EnumComparer<T> : Comparer<T>
    {
        public override int Compare(T x, T y)
        {
            bool signed = (typeof(T).TypeHandle._value->ElementType & 1) == 0; // I1, I2, I4, I8 are even in CorElementType
            if (Unsafe.SizeOf<T>() == 1)
                return signed ? Unsafe.As<T, sbyte>(ref x).CompareTo(Unsafe.As<T, sbyte>(ref y)) : Unsafe.As<T, byte>(ref x).CompareTo(Unsafe.As<T, byte>(ref y));
            if (Unsafe.SizeOf<T>() == 2)
                return signed ? Unsafe.As<T, short>(ref x).CompareTo(Unsafe.As<T, short>(ref y)) : Unsafe.As<T, ushort>(ref x).CompareTo(Unsafe.As<T, ushort>(ref y));
            if (Unsafe.SizeOf<T>() == 4)
                return signed ? Unsafe.As<T, int>(ref x).CompareTo(Unsafe.As<T, int>(ref y)) : Unsafe.As<T, uint>(ref x).CompareTo(Unsafe.As<T, uint>(ref y));
            return signed ? Unsafe.As<T, long>(ref x).CompareTo(Unsafe.As<T, long>(ref y)) : Unsafe.As<T, ulong>(ref x).CompareTo(Unsafe.As<T, ulong>(ref y));
        }

        public override bool Equals(object obj) => obj is EnumComparer<T>;
        public override int GetHashCode() => 0x3C1A2B3F;
    }

    internal sealed class ComparisonComparer<T> : Comparer<T>
    {
        private readonly Comparison<T> _comparison;
        public ComparisonComparer(Comparison<T> comparison) { _comparison = comparison; }
        public override int Compare(T x, T y) => _comparison(x, y);
    }
}

namespace System.Collections
{
    /// <summary>The non-generic default comparer: nulls first, then IComparable (strings ordinally: invariant mode).</summary>
    public sealed class Comparer : IComparer
    {
        public static readonly Comparer Default = new Comparer();
        public static readonly Comparer DefaultInvariant = Default;

        public int Compare(object a, object b)
        {
            if (a == b) return 0;
            if (a == null) return -1;
            if (b == null) return 1;
            if (a is string sa && b is string sb) return string.CompareOrdinal(sa, sb);
            if (a is IComparable ia) return ia.CompareTo(b);
            if (b is IComparable ib) return -ib.CompareTo(a);
            throw new ArgumentException("At least one object must implement IComparable.");
        }
    }
}
