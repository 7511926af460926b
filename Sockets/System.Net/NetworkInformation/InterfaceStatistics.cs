using Cosmos.Hal.Network;

namespace System.Net.NetworkInformation
{
    /// <summary>.NET's IPInterfaceStatistics: an interface's traffic counters.</summary>
    public abstract class IPInterfaceStatistics
    {
        public abstract long BytesReceived { get; }
        public abstract long BytesSent { get; }
        public abstract long IncomingPacketsDiscarded { get; }
        public abstract long IncomingPacketsWithErrors { get; }
        public abstract long IncomingUnknownProtocolPackets { get; }
        public abstract long NonUnicastPacketsReceived { get; }
        public abstract long NonUnicastPacketsSent { get; }
        public abstract long OutgoingPacketsDiscarded { get; }
        public abstract long OutgoingPacketsWithErrors { get; }
        public abstract long OutputQueueLength { get; }
        public abstract long UnicastPacketsReceived { get; }
        public abstract long UnicastPacketsSent { get; }
    }

    /// <summary>.NET's IPv4InterfaceStatistics (the same counters, kept for older programs).</summary>
    public abstract class IPv4InterfaceStatistics
    {
        public abstract long BytesReceived { get; }
        public abstract long BytesSent { get; }
        public abstract long IncomingPacketsDiscarded { get; }
        public abstract long IncomingPacketsWithErrors { get; }
        public abstract long IncomingUnknownProtocolPackets { get; }
        public abstract long NonUnicastPacketsReceived { get; }
        public abstract long NonUnicastPacketsSent { get; }
        public abstract long OutgoingPacketsDiscarded { get; }
        public abstract long OutgoingPacketsWithErrors { get; }
        public abstract long OutputQueueLength { get; }
        public abstract long UnicastPacketsReceived { get; }
        public abstract long UnicastPacketsSent { get; }
    }

    /// <summary>
    /// The NIC driver's counters at the moment of the call. As .NET on Linux reports /proc/net/dev's packet columns as
    /// unicast, every frame counts as unicast here (the drivers do not tell multicast apart); frames the device or the
    /// driver dropped on receive are "discarded", and transmissions refused because every buffer was in flight are the
    /// outgoing discards. The two counters .NET on Linux cannot give (IncomingUnknownProtocolPackets, NonUnicastPacketsSent)
    /// throw its PlatformNotSupportedException here too, so a program that runs on both meets the same behaviour.
    /// </summary>
    internal sealed class KernelInterfaceStatistics : IPv4InterfaceStatistics
    {
        private readonly NetworkDeviceCounters _counters;
        private readonly long _inFlight;

        public KernelInterfaceStatistics(INetworkDevice device)
        {
            _counters = device.Counters;
            _inFlight = device.TransmitBuffersOutstanding;
        }

        public override long BytesReceived => _counters.RxBytes;
        public override long BytesSent => _counters.TxBytes;
        public override long IncomingPacketsDiscarded => _counters.RxDropped;
        public override long IncomingPacketsWithErrors => _counters.RxErrors;
        public override long IncomingUnknownProtocolPackets => throw Unavailable();
        public override long NonUnicastPacketsReceived => 0;
        public override long NonUnicastPacketsSent => throw Unavailable();
        public override long OutgoingPacketsDiscarded => _counters.TxBusy;
        public override long OutgoingPacketsWithErrors => _counters.TxErrors;
        /// <summary>Transmit buffers the device has not yet completed.</summary>
        public override long OutputQueueLength => _inFlight;
        public override long UnicastPacketsReceived => _counters.RxFrames;
        public override long UnicastPacketsSent => _counters.TxFrames;

        internal static PlatformNotSupportedException Unavailable() =>
            new PlatformNotSupportedException("The information requested is unavailable on the current platform.");

        /// <summary>The same numbers as the other shape .NET has for them.</summary>
        public IPInterfaceStatistics AsInterfaceStatistics() => new Both(this);

        private sealed class Both : IPInterfaceStatistics
        {
            private readonly KernelInterfaceStatistics _s;
            public Both(KernelInterfaceStatistics s) => _s = s;
            public override long BytesReceived => _s.BytesReceived;
            public override long BytesSent => _s.BytesSent;
            public override long IncomingPacketsDiscarded => _s.IncomingPacketsDiscarded;
            public override long IncomingPacketsWithErrors => _s.IncomingPacketsWithErrors;
            public override long IncomingUnknownProtocolPackets => _s.IncomingUnknownProtocolPackets;
            public override long NonUnicastPacketsReceived => _s.NonUnicastPacketsReceived;
            public override long NonUnicastPacketsSent => _s.NonUnicastPacketsSent;
            public override long OutgoingPacketsDiscarded => _s.OutgoingPacketsDiscarded;
            public override long OutgoingPacketsWithErrors => _s.OutgoingPacketsWithErrors;
            public override long OutputQueueLength => _s.OutputQueueLength;
            public override long UnicastPacketsReceived => _s.UnicastPacketsReceived;
            public override long UnicastPacketsSent => _s.UnicastPacketsSent;
        }
    }
}
