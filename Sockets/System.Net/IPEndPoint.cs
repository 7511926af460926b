using System.Net.Sockets;

namespace System.Net
{
    /// <summary>.NET's IPEndPoint: an address and a port; text "a.b.c.d:port".</summary>
    public class IPEndPoint : EndPoint
    {
        public const int MinPort = 0;
        public const int MaxPort = 0xFFFF;

        private IPAddress _address;
        private int _port;

        public IPEndPoint(long address, int port) : this(new IPAddress(address), port) { }

        public IPEndPoint(IPAddress address, int port)
        {
            if (address == null) throw new ArgumentNullException(nameof(address));
            if (port < MinPort || port > MaxPort) throw new ArgumentOutOfRangeException(nameof(port));
            _address = address;
            _port = port;
        }

        public IPAddress Address
        {
            get => _address;
            set => _address = value ?? throw new ArgumentNullException(nameof(value));
        }

        public int Port
        {
            get => _port;
            set
            {
                if (value < MinPort || value > MaxPort) throw new ArgumentOutOfRangeException(nameof(value));
                _port = value;
            }
        }

        public override AddressFamily AddressFamily => _address.AddressFamily;

        public static IPEndPoint Parse(string s)
        {
            if (s == null) throw new ArgumentNullException(nameof(s));
            if (TryParse(s.AsSpan(), out IPEndPoint result)) return result;
            throw new FormatException("An invalid IPEndPoint was specified.");
        }

        public static bool TryParse(string s, out IPEndPoint result)
        {
            if (s == null) { result = null; return false; }
            return TryParse(s.AsSpan(), out result);
        }

        public static bool TryParse(ReadOnlySpan<char> s, out IPEndPoint result)
        {
            result = null;
            int colon = s.LastIndexOf(':');
            int port = 0;
            ReadOnlySpan<char> host = s;
            if (colon >= 0)
            {
                if (!int.TryParse(s.Slice(colon + 1), out port) || port < MinPort || port > MaxPort) return false;
                host = s.Slice(0, colon);
            }
            if (!IPAddress.TryParse(host, out IPAddress address)) return false;
            result = new IPEndPoint(address, port);
            return true;
        }

        public override string ToString() => string.Concat(_address.ToString(), ":", _port.ToString());

        public override bool Equals(object comparand) => comparand is IPEndPoint other && other._address.Equals(_address) && other._port == _port;

        public override int GetHashCode() => _address.GetHashCode() ^ _port;
    }
}
