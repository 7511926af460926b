using Internal.Runtime;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>
    /// Brings the compiled image's runtime data to life before any managed code touches a static:
    /// walks the ReadyToRun headers ilc places in the <c>__modules</c> section, allocates the GC static
    /// bases, and runs eager class constructors.
    /// </summary>
    public static unsafe partial class StartupCodeHelpers
    {
        // ReadyToRun header (ilc 10: version 16.0, 24-byte section rows).
        private struct ReadyToRunHeader
        {
            public uint Signature;      // 'RTR\0'
            public ushort MajorVersion;
            public ushort MinorVersion;
            public uint Flags;
            public ushort NumberOfSections;
            public byte EntrySize;
            public byte EntryType;
        }

        private struct ModuleSection
        {
            public int SectionId;
            public int Flags;
            public byte* Start;
            public byte* End;
        }

        private const uint ReadyToRunSignature = 0x00525452;
        private const int GCStaticRegion = 201;
        private const int EagerCctor = 205;
        private const int FrozenObjectRegion = 206;
        public const int MaxRegions = 4;

        // GC static block flags (low bits of the relative MethodTable pointer in each block).
        private const int Uninitialized = 0x1;
        private const int HasPreInitializedData = 0x2;
        private const int FlagMask = 0x3;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "modules_start")]
        private static extern void** ModulesStart();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "modules_end")]
        private static extern void** ModulesEnd();

        /// <summary>The regions the collector's roots come from, as the modules' headers give them (non-GC statics: read during collections).</summary>
        public struct RootRegions
        {
            public fixed ulong GCStaticStart[MaxRegions];
            public fixed ulong GCStaticEnd[MaxRegions];
            public int GCStaticCount;
            public fixed ulong FrozenStart[MaxRegions];
            public fixed ulong FrozenEnd[MaxRegions];
            public int FrozenCount;
        }

        public static RootRegions Roots;

        public static int InitializedStaticBases;
        public static int ModuleCount;
        public static int EagerConstructorsRun;

        /// <summary>Returns false (and says why on the console) if the image is not what this runtime understands.</summary>
        public static bool InitializeModules()
        {
            for (void** module = ModulesStart(); module < ModulesEnd(); module++)
            {
                ReadyToRunHeader* header = (ReadyToRunHeader*)*module;
                if (header == null) continue;
                if (header->Signature != ReadyToRunSignature || header->MajorVersion != 16 || header->EntrySize != sizeof(ModuleSection))
                {
                    Panic.Write("runtime: unsupported ReadyToRun header (version ");
                    Panic.WriteDecimal(header->MajorVersion);
                    Panic.Write(", entry size ");
                    Panic.WriteDecimal(header->EntrySize);
                    Panic.Write(")\n");
                    return false;
                }
                ModuleCount++;
                ModuleSection* sections = (ModuleSection*)(header + 1);
                for (int i = 0; i < header->NumberOfSections; i++)
                {
                    if (sections[i].SectionId == GCStaticRegion)
                    {
                        InitializeGCStatics(sections[i].Start, sections[i].End);
                        if (Roots.GCStaticCount < MaxRegions)
                        {
                            Roots.GCStaticStart[Roots.GCStaticCount] = (ulong)sections[i].Start;
                            Roots.GCStaticEnd[Roots.GCStaticCount++] = (ulong)sections[i].End;
                        }
                    }
                    else if (sections[i].SectionId == FrozenObjectRegion && Roots.FrozenCount < MaxRegions)
                    {
                        Roots.FrozenStart[Roots.FrozenCount] = (ulong)sections[i].Start;
                        Roots.FrozenEnd[Roots.FrozenCount++] = (ulong)sections[i].End;
                    }
                }
                for (int i = 0; i < header->NumberOfSections; i++)
                    if (sections[i].SectionId == EagerCctor)
                        for (void** cctor = (void**)sections[i].Start; cctor < (void**)sections[i].End; cctor++)
                        {
                            ((delegate*<void>)*cctor)();
                            EagerConstructorsRun++;
                        }
            }
            return true;
        }

        private static byte* FollowRelative(byte* where) => where + *(int*)where;

        /// <summary>The statics object of a GC static region entry, or null while it is not initialised.</summary>
        public static nuint StaticsObjectOf(byte* entry)
        {
            nint value = *(nint*)FollowRelative(entry);
            return (value & Uninitialized) != 0 ? 0 : (nuint)value;
        }

        /// <summary>
        /// Each region entry is a 32-bit relative pointer to an 8-byte block. Until initialised, the
        /// block holds a relative pointer to the statics' MethodTable (flag bit 0 set) and, when the
        /// compiler preinitialised them, a relative pointer to the initial field data. We allocate the
        /// statics object and overwrite the block with its address, which is what generated code reads.
        /// </summary>
        private static void InitializeGCStatics(byte* start, byte* end)
        {
            for (byte* entry = start; entry < end; entry += sizeof(int))
            {
                byte* block = FollowRelative(entry);
                nint tagged = (nint)FollowRelative(block);
                if ((tagged & Uninitialized) == 0) continue;
                MethodTable* mt = (MethodTable*)(tagged & ~(nint)FlagMask);
                object statics = Allocator.NewObject(mt);
                if ((tagged & HasPreInitializedData) != 0)
                {
                    byte* data = FollowRelative(block + 4);
                    Native.MemMove(Unsafe.AsPointer(ref statics.GetRawData()), data, mt->BaseSize - 16);
                }
                *(nint*)block = Unsafe.As<object, nint>(ref statics);
                InitializedStaticBases++;
            }
        }
    }
}
