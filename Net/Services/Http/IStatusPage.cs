namespace Cosmos.Net.Services.Http
{
    /// <summary>Fills the status page's body (the kernel's own: who it is on the network and what its NIC and stack did).</summary>
    public interface IStatusPage
    {
        void Write(ref AsciiWriter writer);
    }
}
