namespace Cosmos.Net.Wire
{
    /// <summary>
    /// A DNS header (RFC 1035 §4.1.1) in host terms: what <see cref="DnsMessage.Emit"/> writes and <see cref="Parse"/>
    /// reads back. The Z bits are written as 0 and not kept.
    /// </summary>
    public struct DnsRepr
    {
        public ushort Id;
        /// <summary>QR: a response, not a query.</summary>
        public bool IsResponse;
        /// <summary>OPCODE, 4 bits: 0 is a standard query.</summary>
        public byte Opcode;
        public bool Authoritative;
        public bool Truncated;
        public bool RecursionDesired;
        public bool RecursionAvailable;
        /// <summary>RCODE, 4 bits: 0 no error, 3 name error (NXDOMAIN).</summary>
        public byte ResponseCode;
        public ushort QuestionCount, AnswerCount, AuthorityCount, AdditionalCount;

        public static DnsRepr Parse(in DnsMessage message)
        {
            ushort flags = message.Flags.Value;
            return new DnsRepr
            {
                Id = message.Id.Value,
                IsResponse = (flags & DnsMessage.Flag.Response) != 0,
                Opcode = (byte)(flags >> DnsMessage.Flag.OpcodeShift & DnsMessage.Flag.OpcodeMask),
                Authoritative = (flags & DnsMessage.Flag.Authoritative) != 0,
                Truncated = (flags & DnsMessage.Flag.Truncated) != 0,
                RecursionDesired = (flags & DnsMessage.Flag.RecursionDesired) != 0,
                RecursionAvailable = (flags & DnsMessage.Flag.RecursionAvailable) != 0,
                ResponseCode = (byte)(flags & DnsMessage.Flag.ResponseCodeMask),
                QuestionCount = message.QuestionCount.Value,
                AnswerCount = message.AnswerCount.Value,
                AuthorityCount = message.AuthorityCount.Value,
                AdditionalCount = message.AdditionalCount.Value,
            };
        }
    }
}
