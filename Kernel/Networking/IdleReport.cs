using System;
using System.Runtime;
using Cosmos.Hal.Diagnostics;
using Cosmos.Hal.Timers;
using Cosmos.Kernel.Devices;
using Cosmos.Net.Interface;

namespace Cosmos.Kernel.Networking
{
    /// <summary>
    /// The idle report: after 1.5 s without traffic, one log line ("net: idle: ...") with every resource that must be
    /// back at its idle value (the tests and the soak compare it before and after a load), and the guest-side cost of the
    /// busy period just ended (cycles per frame, halts, interrupts and kicks per 100 frames). Owned by the
    /// <see cref="NetworkHost"/>, which tells it each turn whether the turn did work.
    /// </summary>
    internal sealed class IdleReport
    {
        private readonly InterfaceService[] _interfaces;
        private readonly bool _showConnections;
        private long _lastActivityMs;
        private bool _reported;
        private long _allocationsAtIdleCollection;

        // Profile: TSC cycles spent in service turns that did work, and the frames those turns received.
        private ulong _busyCycles;
        private long _framesAtProfileStart, _busyCyclesReported;
        private long _haltsAtProfileStart, _interruptsAtProfileStart, _kicksAtProfileStart;
        // The whole guest's busy time over the same period: TSC cycles not spent halted in the idle loop. Unlike the
        // service turns above it includes an application's own code (its continuations run outside those turns) and
        // the socket layer.
        private ulong _tscAtProfileStart, _haltedAtProfileStart;

        /// <param name="showConnections">debug.tcp: the first open connections' state in each report.</param>
        public IdleReport(InterfaceService[] interfaces, bool showConnections)
        {
            _interfaces = interfaces;
            _showConnections = showConnections;
            _tscAtProfileStart = Cosmos.Hal.Cpu.CpuNative.ReadTimeStampCounter();
            _haltedAtProfileStart = NetworkDevices.IdleCycles;
        }

        /// <summary>Adds a busy turn's cycles to the profile.</summary>
        public void AddBusyCycles(ulong cycles) => _busyCycles += cycles;

        /// <summary>The idle report's counters, summed over every interface in one pass (nothing allocated).</summary>
        private struct Totals
        {
            public long UdpQueued, ArpPending, Tcp, RxFrames, Echoed, TxBusy, RxDropped, Interrupts, Kicks;
            public long TimeWait, PoolFree, PoolTotal, SynNoRecord, SynNoMemory, RxNoMemory;

            public static Totals Now(InterfaceService[] interfaces)
            {
                var t = new Totals();
                for (int i = 0; i < interfaces.Length; i++)
                {
                    InterfaceService s = interfaces[i];
                    NetworkInterface nif = s.Interface;
                    ref readonly Cosmos.Hal.Network.NetworkDeviceCounters d = ref nif.Device.Counters;
                    t.UdpQueued += nif.Udp.QueuedDatagrams;
                    t.ArpPending += nif.PendingPackets;
                    t.Tcp += nif.Tcp.ActiveConnections;
                    t.TimeWait += nif.Tcp.TimeWaitConnections;
                    t.PoolFree += nif.Tcp.Buffers.FreeBlocks;
                    t.PoolTotal += nif.Tcp.Buffers.TotalBlocks;
                    t.SynNoRecord += nif.Tcp.NoConnectionSlot;
                    t.SynNoMemory += nif.Tcp.NoBufferMemory;
                    t.RxNoMemory += nif.Tcp.DroppedNoMemory;
                    t.RxFrames += d.RxFrames;
                    t.Echoed += s.UdpEchoed;
                    t.TxBusy += d.TxBusy;
                    t.RxDropped += d.RxDropped;
                    t.Interrupts += d.Interrupts;
                    t.Kicks += d.Notifications;
                }
                return t;
            }
        }

        /// <summary>
        /// After 1.5 s without traffic, logs the resources that must be back at their idle values (no leak):
        /// receive buffers lent to the stack, transmit buffers in flight, queued datagrams, packets waiting for
        /// ARP, TCP connections and the heap's live bytes. Once per idle period.
        /// </summary>
        public void Observe(long now, bool busy, bool announced)
        {
            if (busy) { _lastActivityMs = now; _reported = false; return; }
            if (_reported || !announced || now - _lastActivityMs < 1500) return;
            _reported = true;
            // Idle is a good time to collect: if anything was allocated since the last idle collection, reclaim it now,
            // so heap= below is the live heap (serving packets allocates nothing, so under steady load this never runs).
            if (Allocator.TotalAllocations != _allocationsAtIdleCollection)
            {
                GC.Collect();
                _allocationsAtIdleCollection = Allocator.TotalAllocations;
            }
            Totals t = Totals.Now(_interfaces);
            Log.Begin("net");
            Log.Write("idle: rx-lent=");
            Log.Decimal(NetworkDevices.ReceiveBuffersLent);
            Log.Write(" tx-outstanding=");
            Log.Decimal(NetworkDevices.TransmitBuffersOutstanding);
            Log.Write(" udp-queued=");
            Log.Decimal(t.UdpQueued);
            Log.Write(" arp-pending=");
            Log.Decimal(t.ArpPending);
            Log.Write(" tcp=");
            Log.Decimal(t.Tcp);
            Log.Write(" tcp-time-wait=");
            Log.Decimal(t.TimeWait);
            Log.Write(" tcp-pool-free=");
            Log.Decimal(t.PoolFree);
            Log.Write('/');
            Log.Decimal(t.PoolTotal);
            // SYNs dropped for want of a record or a buffer guarantee, and received data dropped for want of a block.
            Log.Write(" tcp-syn-no-record=");
            Log.Decimal(t.SynNoRecord);
            Log.Write(" tcp-syn-no-memory=");
            Log.Decimal(t.SynNoMemory);
            Log.Write(" tcp-rx-no-memory=");
            Log.Decimal(t.RxNoMemory);
            if (Cosmos.Sockets.SocketHost.IsInstalled)
            {
                // An application's side: socket operations waiting on the network, and the event loop's queues.
                Log.Write(" socket-ops-waiting=");
                Log.Decimal(Cosmos.Sockets.SocketHost.WaitingOperations);
                Log.Write(" loop-ready=");
                Log.Decimal(System.Runtime.EventLoop.ReadyCount);
                Log.Write(" loop-timers=");
                Log.Decimal(System.Runtime.EventLoop.TimerCount);
            }
            Log.Write(" heap=");
            Log.Decimal(Allocator.LiveBytes);
            // Objects allocated since boot and collections run: the packet path allocates nothing, so neither
            // moves while the kernel only serves packets.
            Log.Write(" allocs=");
            Log.Decimal(Allocator.TotalAllocations);
            Log.Write(" gcs=");
            Log.Decimal(GarbageCollector.Collections);
            if (_showConnections) WriteConnections();
            long rxFrames = t.RxFrames;
            Log.Write(" rx-frames=");
            Log.Decimal(rxFrames);
            Log.Write(" echoed=");
            Log.Decimal(t.Echoed);
            // Frames the stack could not send because every transmit buffer was in flight (an ACK lost this way
            // can cost the peer a fast retransmit), and frames the device dropped on receive.
            Log.Write(" tx-busy=");
            Log.Decimal(t.TxBusy);
            Log.Write(" rx-dropped=");
            Log.Decimal(t.RxDropped);
            LinkWatch.WriteIdleCounters(); // empty-interrupts= link-changes= tx-link-down= (LinkWatch.cs)
            // Guest-side cost per received frame since the last idle report: cycles of busy service turns
            // (driver receive and transmit, stack, services) over frames received, and the same in ns.
            long frames = rxFrames - _framesAtProfileStart;
            long cycles = (long)_busyCycles - _busyCyclesReported;
            if (frames > 0)
            {
                Log.Write(" cycles-per-frame=");
                Log.Decimal(cycles / frames);
                Log.Write(" ns-per-frame=");
                Log.Decimal((long)((ulong)cycles * 1000 / (Clock.TscFrequency / 1_000_000) / (ulong)frames));
            }
            ulong tscNow = Cosmos.Hal.Cpu.CpuNative.ReadTimeStampCounter(), haltedNow = NetworkDevices.IdleCycles;
            if (frames > 0)
            {
                ulong guestBusy = (tscNow - _tscAtProfileStart) - (haltedNow - _haltedAtProfileStart);
                Log.Write(" guest-cycles-per-frame=");
                Log.Decimal((long)(guestBusy / (ulong)frames));
            }
            _tscAtProfileStart = tscNow;
            _haltedAtProfileStart = haltedNow;
            // The notification path over the same period, per 100 frames: halts of the idle loop, device
            // interrupts taken, and doorbell writes (kicks) the device asked for.
            long interrupts = t.Interrupts, kicks = t.Kicks;
            if (frames > 0)
            {
                Log.Write(" per-100-frames: halts=");
                Log.Decimal((NetworkDevices.Halts - _haltsAtProfileStart) * 100 / frames);
                Log.Write(" interrupts=");
                Log.Decimal((interrupts - _interruptsAtProfileStart) * 100 / frames);
                Log.Write(" kicks=");
                Log.Decimal((kicks - _kicksAtProfileStart) * 100 / frames);
                // The count itself too: when the kernel takes many frames per interrupt (a busy guest polls), the
                // ratio rounds to 0 although interrupts did wake it.
                Log.Write(" interrupts-taken=");
                Log.Decimal(interrupts - _interruptsAtProfileStart);
            }
            _haltsAtProfileStart = NetworkDevices.Halts;
            _interruptsAtProfileStart = interrupts;
            _kicksAtProfileStart = kicks;
            _framesAtProfileStart = rxFrames;
            _busyCyclesReported = (long)_busyCycles;
            Log.End();
        }

        /// <summary>debug.tcp: the first open connections' state and receive-side counters in the idle report.</summary>
        private void WriteConnections()
        {
            var tcp = _interfaces[0].Interface.Tcp;
            for (int i = 0; i < tcp.ActiveConnections && i < 3; i++)
            {
                var c = tcp.ActiveConnection(i);
                Log.Write(" [conn ");
                Log.Decimal(c.RemotePort);
                Log.Write(' ');
                Log.Decimal((long)c.State);
                Log.Write(" avail=");
                Log.Decimal(c.Available);
                Log.Write(" rx=");
                Log.Decimal(c.BytesReceived);
                Log.Write(" tx=");
                Log.Decimal(c.BytesSent);
                Log.Write(" paws=");
                Log.Decimal(c.PawsRejected);
                Log.Write(" dup=");
                Log.Decimal(c.DuplicateSegments);
                Log.Write(" nots=");
                Log.Decimal(c.MissingTimestamps);
                Log.Write(" ooo=");
                Log.Decimal(c.OutOfOrderSegments);
                Log.Write(" gen=");
                Log.Decimal(c.Generation);
                Log.Write(']');
            }
        }

    }
}
