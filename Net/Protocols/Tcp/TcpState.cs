namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>Connection states (RFC 793 §3.2, RFC 9293 §3.3.2).</summary>
    public enum TcpState : byte
    {
        Closed, Listen, SynSent, SynReceived, Established, FinWait1, FinWait2, CloseWait, Closing, LastAck, TimeWait,
    }
}
