using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime.ExceptionHandling
{
    /// <summary>
    /// Finds the unwind and EH data of a code address in the linked image, and knows the few assembly
    /// routines (Kernel/Boot/eh.asm, cpu.asm) a walk can meet. Nothing here runs until something throws.
    /// </summary>
    public static unsafe class CodeLookup
    {
        /// <summary>Filled by eh_known_addresses, in this order.</summary>
        public struct KnownAddresses
        {
            public ulong CatchFuncletReturn;
            public ulong FinallyFuncletReturn;
            public ulong FilterFuncletReturn;
            public ulong LeafHelpersStart;
            public ulong LeafHelpersEnd;
            public ulong ThrowHardwareFault;
            public ulong InterfaceDispatchNullProbe;
        }

        private static KnownAddresses s_known;
        private static EhFrameSearchTable s_table;
        private static bool s_initialized;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "eh_known_addresses")]
        private static extern void ReadKnownAddresses(KnownAddresses* into);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "eh_frame_hdr_start")]
        private static extern byte* EhFrameHeaderStart();

        public static ref KnownAddresses Known
        {
            get
            {
                EnsureInitialized();
                return ref s_known;
            }
        }

        private static void EnsureInitialized()
        {
            if (s_initialized) return;
            fixed (KnownAddresses* k = &s_known) ReadKnownAddresses(k);
            s_table = new EhFrameSearchTable(EhFrameHeaderStart());
            s_initialized = true;
        }

        /// <summary>The FDE (and its method's EH data) covering a code address; false outside managed code.</summary>
        public static bool TryFind(ulong pc, out FrameDescription fde, out MethodEhInfo method)
        {
            EnsureInitialized();
            method = default;
            if (!FrameDescription.TryParse(s_table.FindCandidate(pc), out fde) || !fde.Contains(pc)) return false;
            return MethodEhInfo.TryCreate(in fde, out method);
        }

        public static bool IsManagedCode(ulong pc) => TryFind(pc, out _, out _);

        /// <summary>Leaf assembly helpers: [rsp] is their managed caller's return address at every instruction.</summary>
        public static bool IsInLeafHelper(ulong pc)
        {
            EnsureInitialized();
            return (pc >= s_known.LeafHelpersStart && pc < s_known.LeafHelpersEnd) || pc == s_known.InterfaceDispatchNullProbe;
        }
    }
}
