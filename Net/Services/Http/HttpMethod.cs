namespace Cosmos.Net.Services.Http
{
    /// <summary>The request methods the server tells apart (RFC 9110 §9); any other valid token is <see cref="Other"/>.</summary>
    public enum HttpMethod : byte
    {
        None,
        Get,
        Head,
        /// <summary>The only method that may use the asterisk-form target (RFC 9112 §3.2.4).</summary>
        Options,
        /// <summary>The only method that uses the authority-form target (RFC 9112 §3.2.3).</summary>
        Connect,
        Other,
    }
}
