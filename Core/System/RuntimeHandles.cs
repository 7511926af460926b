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

    public abstract class Type
    {
        public static unsafe Type GetTypeFromHandle(RuntimeTypeHandle handle) => null;
    }

    /// <summary>ilc requires the type to exist; the kernel has no reflection.</summary>
    internal sealed class RuntimeType : Type { }
}
