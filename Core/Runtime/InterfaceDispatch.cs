using Internal.Runtime;
using System.Runtime.CompilerServices;

namespace System.Runtime
{
    /// <summary>
    /// Interface calls. ilc emits, per call site, a dispatch cell {stub, cache} and calls through the
    /// stub with the cell's address in r11. Our stub (RhpInitialDynamicInterfaceDispatch, cpu.asm) saves
    /// the argument registers and calls <see cref="Resolve"/>, which finds the implementation through the
    /// object's dispatch map (as NativeAOT's DispatchResolve does) and remembers it in a small cache.
    /// </summary>
    public static unsafe class InterfaceDispatch
    {
        private struct Cell
        {
            public nint Stub;
            public nint Cache;
        }

        // Low bits of Cell.Cache before first resolution (NativeAOT rhbinder.h, InterfaceDispatchCell::Flags).
        private const nint InterfacePointer = 1;
        private const nint IndirectedRelativePointer = 2;
        private const nint RelativePointer = 3;
        private const nint Mask = 3;

        private struct CacheEntry
        {
            // Volatile: the stores of an update stay in order (see Resolve).
            public volatile Cell* Cell;
            public volatile MethodTable* Type;
            public volatile nint Target;
        }

        private const int CacheSize = 1024; // entries, power of two; cpu.asm's stub hashes the same way

        // The cache lives in the image's .bss (cpu.asm), where the stub reads it on every call before it calls
        // here; hits found there are not counted, only those found here (an entry another turn rewrote meanwhile).
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "interface_dispatch_cache_start")]
        private static extern CacheEntry* CacheStart();

        public static long Resolutions;
        public static long CacheHits;

        [RuntimeExport("RhpResolveInterfaceDispatch")]
        private static nint Resolve(object thisObject, nint cellAddress)
        {
            if (thisObject == null) ThrowHelpers.ThrowNullReference();
            Cell* cell = (Cell*)cellAddress;
            MethodTable* type = thisObject.GetMethodTable();

            uint hash = (uint)(((ulong)cell ^ (ulong)type) >> 4) & (CacheSize - 1);
            CacheEntry* entry = CacheStart() + hash;
            if (entry->Cell == cell && entry->Type == type) { CacheHits++; return entry->Target; }

            MethodTable* itf;
            ushort slot;
            DecodeCell(cell, out itf, out slot);
            nint target = FindImplementation(type, itf, slot);
            if (target == 0)
            {
                Panic.Begin();
                Panic.Write("interface dispatch: no implementation of slot ");
                Panic.WriteDecimal(slot);
                Panic.Write(" of ");
                if (!Panic.WriteSymbol((nuint)itf)) Panic.WriteHex((ulong)itf);
                Panic.Write(" on ");
                if (!Panic.WriteSymbol((nuint)type)) Panic.WriteHex((ulong)type);
                Panic.End();
            }
            Resolutions++;
            // The cell last: the stub matches on it, so an entry caught half rewritten never hits.
            entry->Cell = null;
            entry->Type = type;
            entry->Target = target;
            entry->Cell = cell;
            return target;
        }

        private static void DecodeCell(Cell* cell, out MethodTable* itf, out ushort slot)
        {
            // Cells are emitted in runs; the cell after the run (stub == 0) holds the slot number.
            Cell* terminator = cell;
            while (terminator->Stub != 0) terminator++;
            slot = (ushort)terminator->Cache;

            nint value = cell->Cache;
            switch (value & Mask)
            {
                case InterfacePointer:
                    itf = (MethodTable*)(value & ~Mask);
                    break;
                case RelativePointer:
                case IndirectedRelativePointer:
                {
                    byte* p = (byte*)&cell->Cache + (int)value;
                    p = (byte*)((nint)p & ~Mask);
                    itf = (value & Mask) == RelativePointer ? (MethodTable*)p : *(MethodTable**)p;
                    break;
                }
                default:
                    itf = null;
                    Panic.Fail("interface dispatch: cell in an unknown state");
                    break;
            }
        }

        /// <summary>
        /// The next type whose dispatch map can implement an interface: the base type, except that an array's
        /// related type is its element type, and its non-generic interfaces (IEnumerable, ICollection, IList) are
        /// implemented by System.Array.
        /// </summary>
        private static MethodTable* DispatchParent(MethodTable* type) =>
            type->IsArray ? typeof(Array).TypeHandle._value : type->BaseType;

        internal static nint FindImplementation(MethodTable* type, MethodTable* itf, ushort itfSlot)
        {
            // Non-default implementations first, walking up the base types; default interface methods last.
            for (int pass = 0; pass < 2; pass++)
            {
                for (MethodTable* cur = type; cur != null; cur = DispatchParent(cur))
                {
                    DispatchMap* map = cur->DispatchMapPointer;
                    if (map == null) continue;
                    int first = pass == 0 ? 0 : map->StandardEntryCount;
                    int count = pass == 0 ? map->StandardEntryCount : map->DefaultEntryCount;
                    DispatchMap.Entry* e = map->Entries + first;
                    for (int i = 0; i < count; i++, e++)
                    {
                        if (e->InterfaceMethodSlot != itfSlot || cur->InterfaceMap[e->InterfaceIndex] != itf) continue;
                        ushort impl = e->ImplMethodSlot;
                        if (impl < cur->NumVtableSlots) return type->VTable[impl]; // may be overridden below cur
                        if (impl >= 0xFFF0) return 0; // reabstraction or diamond
                        return cur->GetSealedVirtualSlot(impl - cur->NumVtableSlots);
                    }
                }
            }
            return 0;
        }
    }
}
