using System.Net.Sockets;

namespace System.Net
{
    /// <summary>.NET's EndPoint: the base of socket addresses.</summary>
    public abstract class EndPoint
    {
        public virtual AddressFamily AddressFamily => throw new NotImplementedException("EndPoint.AddressFamily");
    }
}
