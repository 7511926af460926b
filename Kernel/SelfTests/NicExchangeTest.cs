using System;
using Cosmos.Hal.Console;
using Cosmos.Hal.Cpu;
using Cosmos.Hal.Network;
using Cosmos.Hal.Timers;
using Cosmos.Kernel.Devices;
using Cosmos.Kernel.SelfTests.Shared;
using static Cosmos.Kernel.SelfTests.SelfTestRunner;

namespace Cosmos.Kernel.SelfTests
{
    /// <summary>
    /// <c>test=nic.exchange</c>: raw Ethernet frames both ways with the runner's peer on QEMU's datagram
    /// backend (ExchangeProtocol). Every frame must arrive intact and in order, and the driver's counters must
    /// equal what the test sent and received. Only runs when named: it needs the peer.
    /// </summary>
    internal static unsafe class NicExchangeTest
    {
        private static readonly byte[] Broadcast = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

        private struct State
        {
            public uint Count;
            public uint NextToSend, PeerAcknowledged, NextExpected, SinceAck;
            public long FramesSent, FramesReceived, Corrupt, OutOfOrder, Duplicates, Foreign, Retransmits;
            public bool PeerKnown;
            public long LastProgressMs, LastControlMs;
        }

        public static void Register() => RunExplicit("nic.exchange", Exchange);

        private static void Exchange()
        {
            INetworkDevice nic = NetworkDevices.Primary;
            Expect(nic != null && nic.IsOperational, "no operational NIC");
            if (nic == null || !nic.IsOperational) return;

            var s = new State { Count = (uint)Options.GetInteger("test.frames", 10000) };
            Span<byte> peer = stackalloc byte[6];
            Span<byte> self = stackalloc byte[6];
            Broadcast.AsSpan().CopyTo(peer);
            nic.Mac.CopyTo(self);
            long start = Clock.Milliseconds;
            long timeoutMs = Options.GetInteger("test.timeout-ms", 120_000);
            s.LastProgressMs = start;

            while (Clock.Milliseconds - start < timeoutMs)
            {
                bool busy = false;
                nic.Poll();
                while (nic.TryReceive(out ReceivedFrame frame))
                {
                    busy = true;
                    s.FramesReceived++;
                    OnFrame(ref s, nic, frame.Span, peer, self);
                    nic.Release(frame);
                }
                if (!nic.IsOperational)
                {
                    NetworkDevices.ReportStoppedDevices();
                    break;
                }
                if (s.PeerKnown)
                {
                    while (s.NextToSend < s.Count && s.NextToSend - s.PeerAcknowledged < ExchangeProtocol.Window)
                    {
                        if (!Send(ref s, nic, peer, self, ExchangeProtocol.DataFromKernel, s.NextToSend)) break;
                        s.NextToSend++;
                        busy = true;
                    }
                }
                if (s.PeerAcknowledged == s.Count && s.NextExpected == s.Count && s.SinceAck == 0) break;

                long now = Clock.Milliseconds;
                if (now - s.LastControlMs >= 100)
                {
                    // Say hello until the peer answers; afterwards repeat our acknowledgement (it may be lost).
                    s.LastControlMs = now;
                    if (!s.PeerKnown) Send(ref s, nic, peer, self, ExchangeProtocol.Hello, 0);
                    else { Send(ref s, nic, peer, self, ExchangeProtocol.Ack, s.NextExpected); s.SinceAck = 0; }
                }
                if (s.PeerKnown && now - s.LastProgressMs > 500 && s.NextToSend > s.PeerAcknowledged)
                {
                    // No acknowledgement for half a second: go back to the first unacknowledged frame.
                    s.Retransmits += s.NextToSend - s.PeerAcknowledged;
                    s.NextToSend = s.PeerAcknowledged;
                    s.LastProgressMs = now;
                }
                if (!busy) NetworkDevices.WaitForWork();
            }
            // Let the device finish the last transmissions so the counters are final.
            long drainUntil = Clock.Milliseconds + 1000;
            while (Clock.Milliseconds < drainUntil && nic.TransmitBuffersOutstanding > 0)
            {
                nic.Poll();
                CpuNative.Pause();
            }

            ref readonly NetworkDeviceCounters c = ref nic.Counters;
            SerialConsole.Write("EXCHANGE kernel-sent=");
            SerialConsole.WriteDecimal(s.FramesSent);
            SerialConsole.Write(" kernel-received=");
            SerialConsole.WriteDecimal(s.FramesReceived);
            SerialConsole.Write(" driver-tx=");
            SerialConsole.WriteDecimal(c.TxFrames);
            SerialConsole.Write(" driver-rx=");
            SerialConsole.WriteDecimal(c.RxFrames);
            SerialConsole.Write(" data-in=");
            SerialConsole.WriteDecimal(s.NextExpected);
            SerialConsole.Write(" data-out-acked=");
            SerialConsole.WriteDecimal(s.PeerAcknowledged);
            SerialConsole.Write(" retransmits=");
            SerialConsole.WriteDecimal(s.Retransmits);
            SerialConsole.Write(" duplicates=");
            SerialConsole.WriteDecimal(s.Duplicates);
            SerialConsole.Write(" busy=");
            SerialConsole.WriteDecimal(c.TxBusy);
            SerialConsole.Write(" interrupts=");
            SerialConsole.WriteDecimal(c.Interrupts);
            SerialConsole.Write(" notifications=");
            SerialConsole.WriteDecimal(c.Notifications);
            SerialConsole.Write(" suppressed=");
            SerialConsole.WriteDecimal(c.NotificationsSuppressed);
            SerialConsole.Write(" merged=");
            SerialConsole.WriteDecimal(NetworkDevices.VirtioNet != null ? NetworkDevices.VirtioNet.MergedFrames : 0);
            SerialConsole.Write(" ms=");
            SerialConsole.WriteDecimal(Clock.Milliseconds - start);
            SerialConsole.WriteLine();

            Expect(nic.IsOperational, "the driver stopped the device");
            ExpectEqual(s.Count, s.NextExpected, "data frames received intact and in order");
            ExpectEqual(s.Count, s.PeerAcknowledged, "data frames the peer acknowledged");
            ExpectEqual(0, s.Corrupt, "corrupt data frames");
            ExpectEqual(0, s.OutOfOrder, "data frames out of order");
            ExpectEqual(0, s.Foreign, "frames that are not the test's");
            ExpectEqual(s.FramesReceived, c.RxFrames, "driver rx counter against frames the test received");
            ExpectEqual(s.FramesSent, c.TxFrames, "driver tx counter against frames the test sent");
            ExpectEqual(0, c.RxErrors + c.RxDropped + c.TxErrors + c.DeviceErrors, "driver error counters");
        }

        private static void OnFrame(ref State s, INetworkDevice nic, Span<byte> frame, Span<byte> peer, Span<byte> self)
        {
            if (!ExchangeProtocol.TryParse(frame, out byte kind, out uint sequence, out _)) { s.Foreign++; return; }
            if (!s.PeerKnown)
            {
                frame.Slice(6, 6).CopyTo(peer);
                s.PeerKnown = true;
                s.LastProgressMs = Clock.Milliseconds;
            }
            switch (kind)
            {
                case ExchangeProtocol.DataFromPeer:
                    if (sequence == s.NextExpected)
                    {
                        if (!ExchangeProtocol.IsIntact(frame, sequence)) { s.Corrupt++; return; }
                        s.NextExpected++;
                        if (++s.SinceAck >= ExchangeProtocol.AckEvery || s.NextExpected == s.Count)
                        {
                            Send(ref s, nic, peer, self, ExchangeProtocol.Ack, s.NextExpected);
                            s.SinceAck = 0;
                        }
                    }
                    else if (sequence < s.NextExpected) s.Duplicates++;
                    else s.OutOfOrder++;
                    break;
                case ExchangeProtocol.Ack:
                    if (sequence > s.PeerAcknowledged && sequence <= s.NextToSend)
                    {
                        s.PeerAcknowledged = sequence;
                        s.LastProgressMs = Clock.Milliseconds;
                    }
                    break;
                case ExchangeProtocol.Hello:
                    break;
                default:
                    s.Foreign++;
                    break;
            }
        }

        private static bool Send(ref State s, INetworkDevice nic, Span<byte> peer, Span<byte> self, byte kind, uint sequence)
        {
            if (!nic.TryReserveTransmit(out TransmitBuffer buffer)) return false;
            int length = ExchangeProtocol.Write(buffer.Span, peer, self, kind, sequence, s.Count);
            nic.Transmit(buffer, length, ChecksumOffload.None);
            s.FramesSent++;
            return true;
        }
    }
}
