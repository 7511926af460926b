using System;
using Cosmos.Net.Security;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// Initial sequence numbers per RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey),
    /// M a timer ticking every 4 microseconds and F SipHash-2-4 under a secret key, so an off-path attacker cannot
    /// predict one connection's ISN from another's, while a 4-tuple's successive incarnations still get increasing
    /// ISNs (old duplicates stay below the new window). The same keyed hash gives each connection its timestamp
    /// offset (RFC 7323 §5.4) and the ephemeral-port offset. The key is supplied by the kernel (RDRAND, else the
    /// TSC: Kernel/Networking/InterfaceService.cs); pure here.
    /// </summary>
    public sealed class InitialSequenceNumbers
    {
        private ulong _k0, _k1;

        public InitialSequenceNumbers(ulong k0, ulong k1) { Rekey(k0, k1); }

        public void Rekey(ulong k0, ulong k1)
        {
            _k0 = k0;
            _k1 = k1;
        }

        /// <summary>F(4-tuple, key) with a domain byte, so the ISN, the timestamp offset and port choice are independent.</summary>
        public ulong Hash(Ipv4Address local, ushort localPort, Ipv4Address remote, ushort remotePort, byte domain)
        {
            Span<byte> m = stackalloc byte[13];
            local.Write(m, 0);
            remote.Write(m, 4);
            Be16.Of(localPort).Write(m, 8);
            Be16.Of(remotePort).Write(m, 10);
            m[12] = domain;
            return SipHash.Hash(_k0, _k1, m);
        }

        /// <summary>The ISN for a connection opened at <paramref name="microseconds"/> (any monotonic microsecond clock).</summary>
        public uint Next(Ipv4Address local, ushort localPort, Ipv4Address remote, ushort remotePort, long microseconds) =>
            (uint)(microseconds / 4) + (uint)Hash(local, localPort, remote, remotePort, 0);

        /// <summary>RFC 7323 §5.4: a per-connection offset for TSval, so timestamps reveal no host-wide clock.</summary>
        public uint TimestampOffset(Ipv4Address local, ushort localPort, Ipv4Address remote, ushort remotePort) =>
            (uint)Hash(local, localPort, remote, remotePort, 1);

        /// <summary>A keyed value for one remote end (RFC 6056 §3.3.3's F), to start the ephemeral-port search.</summary>
        public uint PortOffset(Ipv4Address local, Ipv4Address remote, ushort remotePort) =>
            (uint)Hash(local, 0, remote, remotePort, 2);
    }
}
