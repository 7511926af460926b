using System.Net.Sockets;
using Cosmos.Net.Wire;

namespace System.Net
{
    /// <summary>
    /// .NET's IPAddress for IPv4 (the kernel's stack has no IPv6: an IPv6 address is refused with the exception .NET
    /// gives on a machine without IPv6). <see cref="Address"/> is, as on .NET, the four bytes in network order read as a
    /// little-endian number; text is dotted decimal.
    /// </summary>
    public class IPAddress
    {
        private readonly uint _hostOrder; // a.b.c.d as (a << 24) | ... | d

        public static readonly IPAddress Any = new IPAddress(0u, true);
        public static readonly IPAddress Loopback = new IPAddress(0x7F000001u, true);
        public static readonly IPAddress Broadcast = new IPAddress(0xFFFFFFFFu, true);
        public static readonly IPAddress None = Broadcast;

        private IPAddress(uint hostOrder, bool _) { _hostOrder = hostOrder; }

        /// <summary>From the four bytes in network order read as a little-endian number, as .NET's constructor.</summary>
        public IPAddress(long newAddress)
        {
            if ((ulong)newAddress > 0xFFFFFFFFul) throw new ArgumentOutOfRangeException(nameof(newAddress));
            uint v = (uint)newAddress;
            _hostOrder = (v & 0xFF) << 24 | (v & 0xFF00) << 8 | (v >> 8) & 0xFF00 | v >> 24;
        }

        public IPAddress(byte[] address) : this(new ReadOnlySpan<byte>(address ?? throw new ArgumentNullException(nameof(address)))) { }

        public IPAddress(ReadOnlySpan<byte> address)
        {
            if (address.Length == 16) throw new PlatformNotSupportedException("IPAddress: IPv6 addresses are not supported by the Cosmos-net kernel (its stack is IPv4 only).");
            if (address.Length != 4) throw new ArgumentException("An invalid IP address was specified.", nameof(address));
            _hostOrder = (uint)(address[0] << 24 | address[1] << 16 | address[2] << 8 | address[3]);
        }

        internal IPAddress(Ipv4Address address) { _hostOrder = address.Value; }

        internal Ipv4Address ToIpv4() => new Ipv4Address(_hostOrder);

        public AddressFamily AddressFamily => AddressFamily.InterNetwork;

        public bool IsIPv4MappedToIPv6 => false;
        public bool IsIPv6LinkLocal => false;
        public bool IsIPv6Multicast => false;

        [Obsolete("IPAddress.Address is address family dependent and has been deprecated. Use IPAddress.Equals to perform comparisons instead.")]
        public long Address
        {
            get
            {
                uint v = _hostOrder;
                return (v & 0xFF) << 24 | (v & 0xFF00) << 8 | (v >> 8) & 0xFF00 | v >> 24;
            }
        }

        public byte[] GetAddressBytes() => new[] { (byte)(_hostOrder >> 24), (byte)(_hostOrder >> 16), (byte)(_hostOrder >> 8), (byte)_hostOrder };

        public bool TryWriteBytes(Span<byte> destination, out int bytesWritten)
        {
            bytesWritten = 0;
            if (destination.Length < 4) return false;
            destination[0] = (byte)(_hostOrder >> 24);
            destination[1] = (byte)(_hostOrder >> 16);
            destination[2] = (byte)(_hostOrder >> 8);
            destination[3] = (byte)_hostOrder;
            bytesWritten = 4;
            return true;
        }

        public IPAddress MapToIPv4() => this;

        public static bool IsLoopback(IPAddress address)
        {
            if (address == null) throw new ArgumentNullException(nameof(address));
            return address._hostOrder >> 24 == 127;
        }

        public static IPAddress Parse(string ipString)
        {
            if (ipString == null) throw new ArgumentNullException(nameof(ipString));
            return Parse(ipString.AsSpan());
        }

        public static IPAddress Parse(ReadOnlySpan<char> ipSpan)
        {
            if (TryParse(ipSpan, out IPAddress address)) return address;
            if (ipSpan.IndexOf(':') >= 0) throw new PlatformNotSupportedException("IPAddress.Parse: IPv6 addresses are not supported by the Cosmos-net kernel (its stack is IPv4 only).");
            throw new FormatException("An invalid IP address was specified.");
        }

        public static bool TryParse(string ipString, out IPAddress address)
        {
            if (ipString == null) { address = null; return false; }
            return TryParse(ipString.AsSpan(), out address);
        }

        /// <summary>Dotted decimal, four parts (the form every program writes; .NET also takes the older shorter forms).</summary>
        public static bool TryParse(ReadOnlySpan<char> ipSpan, out IPAddress address)
        {
            address = null;
            if (!Ipv4Address.TryParse(ipSpan.Trim(), out Ipv4Address parsed)) return false;
            address = new IPAddress(parsed);
            return true;
        }

        public static short HostToNetworkOrder(short host) => (short)((host & 0xFF) << 8 | (host >> 8) & 0xFF);
        public static int HostToNetworkOrder(int host) => (int)System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)host);
        public static long HostToNetworkOrder(long host) => (long)System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ulong)host);
        public static short NetworkToHostOrder(short network) => HostToNetworkOrder(network);
        public static int NetworkToHostOrder(int network) => HostToNetworkOrder(network);
        public static long NetworkToHostOrder(long network) => HostToNetworkOrder(network);

        public override string ToString()
        {
            Span<char> text = stackalloc char[16];
            int n = ToIpv4().Format(text);
            return new string(text.Slice(0, n));
        }

        public bool TryFormat(Span<char> destination, out int charsWritten)
        {
            Span<char> text = stackalloc char[16];
            int n = ToIpv4().Format(text);
            charsWritten = 0;
            if (destination.Length < n) return false;
            text.Slice(0, n).CopyTo(destination);
            charsWritten = n;
            return true;
        }

        public override bool Equals(object comparand) => comparand is IPAddress other && other._hostOrder == _hostOrder;

        public override int GetHashCode() => (int)_hostOrder;
    }
}
