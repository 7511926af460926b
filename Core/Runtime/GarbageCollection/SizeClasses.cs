namespace Internal.Runtime.GarbageCollection
{
    /// <summary>
    /// The heap's 16 block sizes (header included): steps of 16 bytes up to 96 for the small objects the kernel makes
    /// most, then two sizes per power of two (waste under a third) up to 2 KiB. Bigger objects take whole pages.
    /// </summary>
    public static class SizeClasses
    {
        public const int Count = 16;
        public const int Largest = 2048;

        public static int SizeOf(int sizeClass) => sizeClass switch
        {
            < 6 => (sizeClass + 1) * 16,    // 16, 32, 48, 64, 80, 96
            6 => 128,
            7 => 160,
            8 => 192,
            9 => 256,
            10 => 384,
            11 => 512,
            12 => 768,
            13 => 1024,
            14 => 1536,
            _ => 2048,
        };

        /// <summary>The smallest class that holds <paramref name="size"/> bytes, or -1 when only whole pages will do.</summary>
        public static int For(nuint size)
        {
            if (size <= 96) return size <= 16 ? 0 : (int)((size + 15) / 16) - 1;
            if (size > Largest) return -1;
            int c = 6;
            while (SizeOf(c) < (int)size) c++;
            return c;
        }
    }
}
