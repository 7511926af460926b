namespace Internal.Runtime.GarbageCollection
{
    /// <summary>
    /// The heap's 16 block sizes (header included): steps of 16 bytes up to 96 for the small objects the kernel makes
    /// most, then two sizes per power of two (waste under a third) up to 2 KiB. Bigger objects take whole pages.
    /// Both directions are table lookups: every allocation asks for its class, and the class's size.
    /// </summary>
    public static class SizeClasses
    {
        public const int Count = 16;
        public const int Largest = 2048;

        // Each class's size in 16-byte units.
        private static System.ReadOnlySpan<byte> Sixteenths => new byte[] { 1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32, 48, 64, 96, 128 };

        // The class of a size, by its size in 16-byte units rounded up (0 to Largest / 16).
        private static System.ReadOnlySpan<byte> ClassBySixteenths => new byte[]
        {
            0, 0, 1, 2, 3, 4, 5, 6, 6, 7, 7, 8, 8, 9, 9, 9, 9, 10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 11, 11, 11, 11, 11,
            11, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13,
            13, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
            14, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
            15,
        };

        public static int SizeOf(int sizeClass) => Sixteenths[sizeClass] * 16;

        /// <summary>The smallest class that holds <paramref name="size"/> bytes, or -1 when only whole pages will do.</summary>
        public static int For(nuint size) => size > Largest ? -1 : ClassBySixteenths[(int)((size + 15) >> 4)];
    }
}
