namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>Connection states (RFC 793 §3.2, RFC 9293 §3.3.2).</summary>
    public enum TcpState : byte
    {
        Closed, Listen, SynSent, SynReceived, Established, FinWait1, FinWait2, CloseWait, Closing, LastAck, TimeWait,
    }

    /// <summary>Sequence-number comparisons modulo 2^32 (RFC 793 §3.3).</summary>
    public static class Seq
    {
        public static bool Lt(uint a, uint b) => (int)(a - b) < 0;
        public static bool Le(uint a, uint b) => (int)(a - b) <= 0;
        public static bool Gt(uint a, uint b) => (int)(a - b) > 0;
        public static bool Ge(uint a, uint b) => (int)(a - b) >= 0;
    }
}
