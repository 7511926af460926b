namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// Why a connection's record was given back, for the socket layer's errors (ECONNREFUSED, ECONNRESET, ETIMEDOUT):
    /// read by the owner of the record through <see cref="TcpConnection.Generation"/> before the record is reused.
    /// </summary>
    public enum TcpEnding : byte
    {
        /// <summary>Still open, or closed the ordinary way (FIN handshake, TIME-WAIT).</summary>
        None,
        /// <summary>The peer answered the SYN with a reset (RFC 9293 §3.10.7.3): nothing listens there.</summary>
        Refused,
        /// <summary>The peer reset an open connection (RFC 9293 §3.10.7.4).</summary>
        Reset,
        /// <summary>Retransmissions ran out (RFC 9293 §3.8.3, R2): the peer or the path is gone.</summary>
        TimedOut,
        /// <summary>This side aborted it (a reset sent).</summary>
        Aborted,
    }
}
