using System;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    /// <summary>
    /// The type descriptor ilc emits for every type (NativeAOT's MethodTable, .NET 8+ layout).
    /// Only what the kernel's runtime reads is described here: allocation sizes, the base-type chain,
    /// the vtable, the interface map, and the optional fields that interface dispatch needs.
    /// Layout: flags(4) baseSize(4) relatedType(8) numVtableSlots(2) numInterfaces(2) hashCode(4), then
    /// the vtable (8 bytes a slot), the interface map (8 bytes an entry), then optional fields that are
    /// 32-bit relative pointers on x64 (TypeManager, WritableData, DispatchMap, Finalizer, SealedVTable, ...).
    /// </summary>
    public unsafe struct MethodTable
    {
        internal uint Flags;
        internal uint BaseSize;
        internal MethodTable* RelatedType;
        internal ushort NumVtableSlots;
        internal ushort NumInterfaces;
        internal uint HashCode;

        // Flag bits (upper half of Flags; the lower half is the component size for arrays and strings).
        private const uint KindMask = 0x00030000;
        private const uint HasDispatchMapFlag = 0x00040000;
        private const uint IsDynamicTypeFlag = 0x00080000;
        private const uint HasFinalizerFlag = 0x00100000;
        private const uint HasSealedVTableEntriesFlag = 0x00400000;
        private const uint GenericVarianceFlag = 0x00800000;
        private const uint HasPointersFlag = 0x01000000;
        private const uint IsGenericFlag = 0x02000000;
        private const uint HasComponentSizeFlag = 0x80000000;

        internal const int ElementTypeClass = 0x14;
        internal const int ElementTypeInterface = 0x15;
        internal const int ElementTypeArray = 0x17;
        internal const int ElementTypeSzArray = 0x18;

        internal bool HasComponentSize => (Flags & HasComponentSizeFlag) != 0;
        internal ushort ComponentSize => HasComponentSize ? (ushort)Flags : (ushort)0;
        internal int ElementType => (int)((Flags >> 26) & 0x1F);
        internal bool IsInterface => ElementType == ElementTypeInterface;
        internal bool IsArray => ElementType == ElementTypeArray || ElementType == ElementTypeSzArray;
        internal bool IsValueType => ElementType < ElementTypeClass;
        internal bool IsCanonical => (Flags & KindMask) == 0;
        internal bool IsParameterized => (Flags & KindMask) == 0x20000;
        internal bool HasDispatchMap => (Flags & HasDispatchMapFlag) != 0;
        internal bool HasFinalizer => (Flags & HasFinalizerFlag) != 0;
        internal bool HasSealedVTableEntries => (Flags & HasSealedVTableEntriesFlag) != 0;
        internal bool IsGeneric => (Flags & IsGenericFlag) != 0;
        internal bool HasGenericVariance => (Flags & GenericVarianceFlag) != 0;
        internal bool ContainsGCPointers => (Flags & HasPointersFlag) != 0;

        /// <summary>Base type for classes; element type for arrays (kind "parameterized").</summary>
        internal MethodTable* BaseType => IsCanonical ? RelatedType : null;

        internal MethodTable* ElementTypeHandle => RelatedType;

        /// <summary>Size of a value type's fields: the boxed size less header, MethodTable and the padding in the flags.</summary>
        internal uint ValueTypeSize => BaseSize - 16 - ((Flags & 0xE0) >> 5);

        /// <summary>Whether this is an enum: a value type whose base type is System.Enum, whose MethodTable the caller
        /// passes (typeof(Enum).TypeHandle is the kernel's own RuntimeTypeHandle; the host tests compile this file too).</summary>
        internal bool IsEnumGiven(MethodTable* systemEnum) => IsValueType && BaseType != null && BaseType == systemEnum;

        internal nint* VTable
        {
            get { fixed (MethodTable* self = &this) return (nint*)((byte*)self + sizeof(MethodTable)); }
        }

        internal MethodTable** InterfaceMap => (MethodTable**)(VTable + NumVtableSlots);

        /// <summary>Offset of the first optional field (the TypeManager indirection).</summary>
        private byte* OptionalFieldsStart => (byte*)(InterfaceMap + NumInterfaces);

        private static byte* FollowRelative(byte* where) => where + *(int*)where;

        internal DispatchMap* DispatchMapPointer
        {
            get
            {
                if (!HasDispatchMap) return null;
                // TypeManager (4) and WritableData (4) precede the dispatch map pointer.
                return (DispatchMap*)FollowRelative(OptionalFieldsStart + 8);
            }
        }

        internal nint GetSealedVirtualSlot(int slot)
        {
            byte* p = OptionalFieldsStart + 8;
            if (HasDispatchMap) p += 4;
            if (HasFinalizer) p += 4;
            byte* table = FollowRelative(p);
            return (nint)FollowRelative(table + 4 * slot);
        }

        internal bool IsSubclassOf(MethodTable* other)
        {
            fixed (MethodTable* self = &this)
            {
                for (MethodTable* t = self; t != null; t = t->BaseType)
                    if (t == other) return true;
            }
            return false;
        }

        internal bool ImplementsInterface(MethodTable* itf)
        {
            MethodTable** map = InterfaceMap;
            for (int i = 0; i < NumInterfaces; i++)
                if (map[i] == itf) return true;
            return false;
        }
    }

    /// <summary>Maps (interface index, interface slot) to an implementation slot; see DispatchResolve in NativeAOT.</summary>
    public unsafe struct DispatchMap
    {
        internal ushort StandardEntryCount;
        internal ushort DefaultEntryCount;
        internal ushort StandardStaticEntryCount;
        internal ushort DefaultStaticEntryCount;

        // Never assigned in C#: the fields are read through pointers into the dispatch map ilc wrote.
#pragma warning disable CS0649
        internal struct Entry
        {
            internal ushort InterfaceIndex;
            internal ushort InterfaceMethodSlot;
            internal ushort ImplMethodSlot;
        }
#pragma warning restore CS0649

        internal Entry* Entries
        {
            get { fixed (DispatchMap* self = &this) return (Entry*)((byte*)self + 8); }
        }
    }
}
