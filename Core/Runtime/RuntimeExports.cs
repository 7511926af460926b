using Internal.Runtime;
using System.Runtime.CompilerServices;

namespace System.Runtime
{
    /// <summary>Entry points the assembly stubs in Kernel/Boot/cpu.asm call into managed code.</summary>
    internal static unsafe class RuntimeExports
    {
        private const int ElementTypeNullable = 0x12;

        private static uint ValueSize(MethodTable* type)
        {
            // Boxed layout: header (8), MethodTable (8), fields, padding recorded in the flags.
            uint padding = (type->Flags & 0xE0) >> 5;
            return type->BaseSize - 16 - padding;
        }

        // ---- boxing helpers ilc calls by name on this class ----

        public static object RhBox(MethodTable* type, ref byte data)
        {
            if (type->ElementType == ElementTypeNullable) Panic.Fail("boxing Nullable<T> is not supported by this runtime");
            object box = Allocator.NewObject(type);
            fixed (byte* src = &data) Native.MemMove(Unsafe.AsPointer(ref box.GetRawData()), src, ValueSize(type));
            return box;
        }

        public static object RhBoxAny(ref byte data, MethodTable* type)
        {
            if (type->IsValueType) return RhBox(type, ref data);
            return Unsafe.As<byte, object>(ref data);
        }

        public static ref byte RhUnbox2(MethodTable* expectedType, object obj)
        {
            if (obj == null) ThrowHelpers.ThrowNullReference();
            if (obj.GetMethodTable() != expectedType) TypeCast.FailCast(obj, expectedType);
            return ref obj.GetRawData();
        }

        public static void RhUnboxAny(object obj, ref byte data, MethodTable* type)
        {
            if (!type->IsValueType)
            {
                Unsafe.As<byte, object>(ref data) = TypeCast.CheckCastAny(type, obj);
                return;
            }
            if (type->ElementType == ElementTypeNullable) Panic.Fail("unboxing to Nullable<T> is not supported by this runtime");
            if (obj == null) ThrowHelpers.ThrowNullReference();
            if (obj.GetMethodTable() != type) TypeCast.FailCast(obj, type);
            fixed (byte* dst = &data) Native.MemMove(dst, Unsafe.AsPointer(ref obj.GetRawData()), ValueSize(type));
        }

        public static void RhUnboxNullable(ref byte data, MethodTable* type, object obj) =>
            Panic.Fail("unboxing to Nullable<T> is not supported by this runtime");

        [RuntimeExport("ManagedFailFast")]
        private static void ManagedFailFast(nuint site)
        {
            Panic.Begin();
            Panic.Write("runtime fail-fast (stack cookie or corrupted state) at ");
            Panic.WriteHex(site);
            Panic.Write(" ");
            Panic.WriteSymbol(site);
            Panic.End();
        }
    }
}

namespace System
{
    public static class Environment
    {
        public static void FailFast(string message) => Runtime.Panic.Fail(message);
    }

    public static class GC
    {
        public static void KeepAlive(object obj) { }
        public static void SuppressFinalize(object obj) { }
    }
}
