using System;
using Internal.Runtime;

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>Materialises ldtoken results; ilc calls these by name. The kernel has no reflection data behind handles.</summary>
    internal static unsafe class LdTokenHelpers
    {
        private static RuntimeTypeHandle GetRuntimeTypeHandle(IntPtr type) => new RuntimeTypeHandle((MethodTable*)type);
        private static RuntimeMethodHandle GetRuntimeMethodHandle(IntPtr signature) => default;
        private static RuntimeFieldHandle GetRuntimeFieldHandle(IntPtr signature) => default;
        private static Type GetRuntimeType(IntPtr type) => null;
    }
}
