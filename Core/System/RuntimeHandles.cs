using Internal.Runtime;
using System.Runtime;

namespace System
{
    public unsafe struct RuntimeTypeHandle
    {
        internal MethodTable* _value;
        internal RuntimeTypeHandle(MethodTable* value) { _value = value; }
    }

    public struct RuntimeMethodHandle { private nint _value; }
    public struct RuntimeFieldHandle { private nint _value; }

    /// <summary>
    /// Types, as far as a kernel without reflection metadata can tell: identity (one object per type, so
    /// <c>==</c> works as on .NET) and names, which come from the symbol map (<see cref="TypeNames"/>).
    /// </summary>
    public abstract class Type
    {
        public abstract string Name { get; }
        public abstract string FullName { get; }
        public abstract string Namespace { get; }
        public abstract RuntimeTypeHandle TypeHandle { get; }
        public override string ToString() => FullName;

        public static unsafe Type GetTypeFromHandle(RuntimeTypeHandle handle) => RuntimeType.For(handle._value);

        public static bool operator ==(Type left, Type right) => (object)left == right;
        public static bool operator !=(Type left, Type right) => (object)left != right;
        public override bool Equals(object o) => (object)this == o;
        public override int GetHashCode() => base.GetHashCode();
    }

    /// <summary>ilc requires this type by name. One instance per MethodTable, made on first request and kept.</summary>
    internal sealed unsafe class RuntimeType : Type
    {
        private readonly MethodTable* _type;
        private RuntimeType(MethodTable* type) { _type = type; }

        private const int CacheSize = 256; // power of two; a full cache still answers, only without identity for the overflow
        private static RuntimeType[] s_cache;

        internal static RuntimeType For(MethodTable* type)
        {
            if (type == null) return null;
            s_cache ??= new RuntimeType[CacheSize];
            uint start = (uint)((ulong)type >> 4) & (CacheSize - 1);
            for (uint probe = 0; probe < CacheSize; probe++)
            {
                uint i = (start + probe) & (CacheSize - 1);
                RuntimeType cached = s_cache[i];
                if (cached == null)
                {
                    cached = new RuntimeType(type);
                    s_cache[i] = cached;
                    return cached;
                }
                if (cached._type == type) return cached;
            }
            return new RuntimeType(type);
        }

        public override string Name => TypeNames.Name(_type);
        public override string FullName => TypeNames.FullName(_type);
        public override string Namespace => TypeNames.Namespace(_type);
        public override RuntimeTypeHandle TypeHandle => new RuntimeTypeHandle(_type);
    }
}
