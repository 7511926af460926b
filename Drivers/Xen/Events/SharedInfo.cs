using Cosmos.Drivers.Xen.Spec;
using Cosmos.Hal.Memory;

namespace Cosmos.Drivers.Xen.Events
{
    /// <summary>
    /// The shared_info page (xen.h) as the event channel code sees it: vcpu 0's upcall flags and selector, and
    /// the 2-level pending and mask bitmaps. Xen sets pending bits from another CPU, so every update of a word
    /// the hypervisor also writes is an atomic operation.
    /// </summary>
    public sealed unsafe class SharedInfo
    {
        private readonly byte* _page;

        public SharedInfo(byte* page) => _page = page;

        public byte* Page => _page;
        private ulong* PendingWords => (ulong*)(_page + SharedInfoLayout.EventPending);
        private ulong* MaskWords => (ulong*)(_page + SharedInfoLayout.EventMask);

        /// <summary>vcpu_info[0].evtchn_upcall_pending: Xen sets it when it marks a port pending for vcpu 0.</summary>
        public bool UpcallPending => Atomic.Read8(_page + SharedInfoLayout.UpcallPending) != 0;
        public void ClearUpcallPending() => Atomic.Write8(_page + SharedInfoLayout.UpcallPending, 0);

        /// <summary>Takes the whole selector word (which pending words have news) atomically.</summary>
        public ulong TakePendingSelector() => Atomic.Exchange64((ulong*)(_page + SharedInfoLayout.PendingSelector), 0);

        public ulong PendingWord(int word) => Atomic.Read64(PendingWords + word);
        public ulong MaskWord(int word) => Atomic.Read64(MaskWords + word);

        /// <summary>Clears a pending bit; true if it was set.</summary>
        public bool TestAndClearPending(uint port) => Atomic.TestAndClearBit(PendingWords + (port >> 6), (int)(port & 63));
        public bool IsPending(uint port) => (PendingWord((int)(port >> 6)) & (1UL << (int)(port & 63))) != 0;
        public void Mask(uint port) => Atomic.SetBit(MaskWords + (port >> 6), (int)(port & 63));
        public void ClearMask(uint port) => Atomic.TestAndClearBit(MaskWords + (port >> 6), (int)(port & 63));
        public bool IsMasked(uint port) => (MaskWord((int)(port >> 6)) & (1UL << (int)(port & 63))) != 0;
    }
}
