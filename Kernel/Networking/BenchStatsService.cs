using System;
using Cosmos.Net.Interface;
using Cosmos.Net.Sockets;
using Cosmos.Net.Wire;

namespace Cosmos.Kernel.Networking
{
    /// <summary>
    /// The benchmark's statistics port (UDP 7007; Bench/LinuxGuest/echo-init.c answers the same question):
    /// any datagram is answered with the TSC cycles spent outside the idle halt, the TSC rate, and the
    /// datagrams echoed, and the objects allocated and collections run since boot. Under QEMU's -icount the TSC counts guest instructions, so the benchmark gets
    /// instructions per echoed datagram for both guests from the same kind of number.
    /// </summary>
    public sealed class BenchStatsService
    {
        public const ushort Port = 7007;
        private readonly UdpSocket _socket;
        private readonly byte[] _reply = new byte[192];

        public BenchStatsService(NetworkInterface networkInterface) => _socket = networkInterface.Udp.Bind(Port);

        public bool Poll(ulong busyCycles, ulong tscPerSecond, long echoed)
        {
            if (_socket == null || !_socket.TryPeek(out _, out Ipv4Address from, out ushort fromPort)) return false;
            _socket.Consume();
            int n = 0;
            n = Append("busy-cycles=", _reply, n);
            n = AppendNumber((long)busyCycles, _reply, n);
            n = Append(" tsc-hz=", _reply, n);
            n = AppendNumber((long)tscPerSecond, _reply, n);
            n = Append(" echoed=", _reply, n);
            n = AppendNumber(echoed, _reply, n);
            // Objects allocated since boot and collections run, for the runner's check that serving allocates nothing.
            n = Append(" allocations=", _reply, n);
            n = AppendNumber(System.Runtime.Allocator.TotalAllocations, _reply, n);
            n = Append(" collections=", _reply, n);
            n = AppendNumber(System.Runtime.GarbageCollector.Collections, _reply, n);
            _socket.TrySend(from, fromPort, new ReadOnlySpan<byte>(_reply, 0, n));
            return true;
        }

        private static int Append(string text, byte[] to, int at)
        {
            for (int i = 0; i < text.Length; i++) to[at++] = (byte)text[i];
            return at;
        }

        private static int AppendNumber(long value, byte[] to, int at)
        {
            Span<char> digits = stackalloc char[24];
            value.TryFormat(digits, out int written);
            for (int i = 0; i < written; i++) to[at++] = (byte)digits[i];
            return at;
        }
    }
}
