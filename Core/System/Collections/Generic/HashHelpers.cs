namespace System.Collections.Generic
{
    /// <summary>Table sizes for the hashed collections: primes, roughly doubling, so bucket = hash mod size spreads well.</summary>
    internal static class HashHelpers
    {
        public static int GetPrime(int min)
        {
            for (int candidate = min | 1; candidate < int.MaxValue; candidate += 2)
                if (IsPrime(candidate)) return candidate;
            return min;
        }

        public static int ExpandPrime(int oldSize) => GetPrime(oldSize < 3 ? 3 : 2 * oldSize);

        private static bool IsPrime(int candidate)
        {
            if (candidate < 3) return candidate == 2;
            if ((candidate & 1) == 0) return false;
            for (int divisor = 3; divisor * divisor <= candidate; divisor += 2)
                if (candidate % divisor == 0) return false;
            return true;
        }
    }
}
