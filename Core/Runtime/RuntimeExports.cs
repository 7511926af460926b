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
            if (type->ElementType == ElementTypeNullable) throw new NotSupportedException("boxing Nullable<T> is not supported by this runtime");
            object box = Allocator.NewObject(type);
            fixed (byte* src = &data) Native.MemMove(Unsafe.AsPointer(ref box.GetRawData()), src, ValueSize(type));
            return box;
        }

        public static object RhBoxAny(ref byte data, MethodTable* type)
        {
            if (type->IsValueType) return RhBox(type, ref data);
            return Unsafe.As<byte, object>(ref data);
        }

        /// <summary>
        /// An unbox may take a boxed value of the same type, or of an enum or primitive with the same underlying
        /// type (int and an int-based enum), as on .NET.
        /// </summary>
        private static bool UnboxCompatible(MethodTable* expected, MethodTable* boxed)
        {
            if (expected == boxed) return true;
            int kind = expected->ElementType;
            return kind >= ElementTypeBoolean && kind <= ElementTypeDouble && kind == boxed->ElementType;
        }

        private const int ElementTypeBoolean = 0x02;
        private const int ElementTypeDouble = 0x0F;

        // ilc calls this before an unbox it expands inline.
        public static void RhUnboxTypeTest(MethodTable* type, MethodTable* boxType)
        {
            if (!UnboxCompatible(type, boxType))
                throw new InvalidCastException(string.Concat("Unable to cast object of type '", TypeNames.FullName(boxType),
                    string.Concat("' to type '", TypeNames.FullName(type), "'.")));
        }

        public static ref byte RhUnbox2(MethodTable* expectedType, object obj)
        {
            if (obj == null) ThrowHelpers.ThrowNullReference();
            if (!UnboxCompatible(expectedType, obj.GetMethodTable())) TypeCast.FailCast(obj, expectedType);
            return ref obj.GetRawData();
        }

        public static void RhUnboxAny(object obj, ref byte data, MethodTable* type)
        {
            if (!type->IsValueType)
            {
                Unsafe.As<byte, object>(ref data) = TypeCast.CheckCastAny(type, obj);
                return;
            }
            if (type->ElementType == ElementTypeNullable) throw new NotSupportedException("unboxing to Nullable<T> is not supported by this runtime");
            if (obj == null) ThrowHelpers.ThrowNullReference();
            if (!UnboxCompatible(type, obj.GetMethodTable())) TypeCast.FailCast(obj, type);
            fixed (byte* dst = &data) Native.MemMove(dst, Unsafe.AsPointer(ref obj.GetRawData()), ValueSize(type));
        }

        public static void RhUnboxNullable(ref byte data, MethodTable* type, object obj) =>
            throw new NotSupportedException("unboxing to Nullable<T> is not supported by this runtime");

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

