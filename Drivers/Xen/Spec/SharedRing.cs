namespace Cosmos.Drivers.Xen.Spec
{
    /// <summary>
    /// A shared ring page (io/ring.h, DEFINE_RING_TYPES): four free-running indices, 48 bytes of padding, then
    /// the entries. The number of entries is the largest power of two that fits in the rest of the page.
    /// </summary>
    public static class SharedRingLayout
    {
        public const int RequestProducer = 0;  // req_prod
        public const int RequestEvent = 4;     // req_event
        public const int ResponseProducer = 8; // rsp_prod
        public const int ResponseEvent = 12;   // rsp_event
        public const int Entries = 64;         // offsetof(ring)

        /// <summary>__CONST_RING_SIZE: entries of <paramref name="entrySize"/> bytes in a 4 KiB page.</summary>
        public static int Size(int entrySize)
        {
            int fit = (4096 - Entries) / entrySize;
            int size = 1;
            while (size * 2 <= fit) size *= 2;
            return size;
        }
    }
}
