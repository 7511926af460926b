namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>Sequence-number comparisons modulo 2^32 (RFC 793 §3.3; also used for timestamps, RFC 7323 §5.2).</summary>
    public static class Seq
    {
        public static bool Lt(uint a, uint b) => (int)(a - b) < 0;
        public static bool Le(uint a, uint b) => (int)(a - b) <= 0;
        public static bool Gt(uint a, uint b) => (int)(a - b) > 0;
        public static bool Ge(uint a, uint b) => (int)(a - b) >= 0;
    }
}
