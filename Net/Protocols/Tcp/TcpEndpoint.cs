using System;
using Cosmos.Net.Interface;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// TCP for one interface: a fixed pool of connection records (so memory use is bounded and returns to idle) whose
    /// buffers are lent on demand by one <see cref="TcpBufferPool"/>; listening ports with a backlog; demultiplexing
    /// by the 4-tuple through a hash index; TIME-WAIT in a table of its own; RFC 6528 initial sequence numbers; RST
    /// for segments nobody wants (RFC 9293 §3.10.7.1).
    /// A SYN that finds its listener's backlog full, no free record or no buffer memory is dropped, not refused:
    /// the client's SYN retransmission (1 s, then backing off) tries again once the application has accepted or
    /// closed something, where a RST would fail its connect at once for a moment's overload; and a flood of SYNs
    /// costs no answers. It is counted (<see cref="TcpListenerQueue.Refused"/>, <see cref="NoConnectionSlot"/>,
    /// <see cref="NoBufferMemory"/>).
    /// </summary>
    public sealed class TcpEndpoint
    {
        public const int MaxConnections = 256;
        public const int MaxListeners = 8;
        public const int TimeWaitCapacity = 1024;
        /// <summary>Blocks in the buffer pool of an endpoint built without a size: 2,048 of 2 KiB, 4 MiB.</summary>
        public const int DefaultBufferBlocks = 2048;
        private const int EphemeralFirst = 49152, EphemeralCount = 16384;

        private readonly NetworkInterface _interface;
        private readonly TcpConnection[] _connections = new TcpConnection[MaxConnections];
        private readonly TcpListenerQueue[] _listeners = new TcpListenerQueue[MaxListeners];
        private readonly FourTupleIndex _index = new FourTupleIndex(MaxConnections, 2 * MaxConnections);
        private readonly TimeWaitTable _timeWait = new TimeWaitTable(TimeWaitCapacity);
        private readonly InitialSequenceNumbers _isn;
        private readonly TcpBufferPool _pool;
        // Free records in a FIFO, so a record the application may still hold a reference to is reused last.
        private readonly int[] _free = new int[MaxConnections];
        private int _freeHead, _freeCount;
        private readonly TcpConnection[] _active = new TcpConnection[MaxConnections];
        private int _activeCount;
        private uint _portCounter;
        private long _lastTimeWaitSweep;

        /// <summary>What our SYNs offer and what we accept from a peer's (RFC 7323 window scale and timestamps, RFC 2018 SACK).</summary>
        public bool OfferWindowScale = true, OfferTimestamps = true, OfferSack = true;
        /// <summary>
        /// Whether an in-order segment's ACK may wait up to <see cref="TcpConnection.DelayedAckMs"/> for data going the
        /// other way to carry it (RFC 9293 §3.8.6.3); false acknowledges every segment at once.
        /// </summary>
        public bool DelayAcks = true;
        /// <summary>ACKs that did wait and went out on their own when the delay ran out (none carried them).</summary>
        public long DelayedAcksSent;
        /// <summary>A microsecond clock for the ISN timer (RFC 6528's M); without it the milliseconds of the stack's clock are used.</summary>
        public Func<long> MicrosecondClock;

        public long SegmentsIn, SegmentsOut, Malformed, ResetsSent, NoConnectionSlot;
        /// <summary>SYNs dropped because the pool could not guarantee a new connection its blocks.</summary>
        public long NoBufferMemory;
        /// <summary>Received segments (or parts) not kept because the pool had no block for them.</summary>
        public long DroppedNoMemory;
        /// <summary>TIME-WAIT: 4-tuples reopened by a newer SYN (RFC 6191), old SYNs dropped, RSTs ignored (RFC 1337), FINs answered.</summary>
        public long TimeWaitReused, TimeWaitSynsDropped, TimeWaitResetsIgnored, TimeWaitAcks;

        public TcpEndpoint(NetworkInterface networkInterface, uint seed) : this(networkInterface, seed, DefaultBufferBlocks) { }

        public TcpEndpoint(NetworkInterface networkInterface, uint seed, int bufferBlocks)
        {
            _interface = networkInterface;
            _pool = new TcpBufferPool(bufferBlocks);
            // Until the kernel supplies a secret (SetSecret), the key is derived from the seed: deterministic, so
            // only for tests and hosts without entropy.
            ulong k0 = seed * 0x9E3779B97F4A7C15UL ^ 0x243F6A8885A308D3UL, k1 = ~(ulong)seed * 0xC2B2AE3D27D4EB4FUL;
            _isn = new InitialSequenceNumbers(k0, k1);
            _index.SetKey((uint)(k0 >> 32));
            _timeWait.SetKey((uint)k1);
            for (int i = 0; i < MaxConnections; i++)
            {
                _connections[i] = new TcpConnection(this, i, _pool);
                _free[i] = i;
            }
            _freeCount = MaxConnections;
        }

        /// <summary>
        /// The secret of RFC 6528's F (and of the demultiplexing hashes): the kernel passes 128 bits from RDRAND, or
        /// from the TSC where the CPU has no RDRAND. Call it before connections open (it re-indexes those that exist).
        /// </summary>
        public void SetSecret(ulong k0, ulong k1)
        {
            _isn.Rekey(k0, k1);
            _index.SetKey((uint)(k0 >> 32) ^ (uint)k1);
            for (int i = 0; i < _activeCount; i++)
            {
                TcpConnection c = _active[i];
                _index.Add(c.Slot, c.RemoteAddress.Value, c.RemotePort, c.LocalPort);
            }
            _timeWait.SetKey((uint)k0 ^ (uint)(k1 >> 32));
        }

        public long NowMs { get; private set; }
        public TcpBufferPool Buffers => _pool;
        public TimeWaitTable TimeWait => _timeWait;
        public int ActiveConnections => _activeCount;
        /// <summary>An open connection, 0 &lt;= index &lt; ActiveConnections (diagnostics; the order changes as connections close).</summary>
        public TcpConnection ActiveConnection(int index) => _active[index];
        public int TimeWaitConnections => _timeWait.Count;
        public int FreeRecords => _freeCount;

        /// <summary>Listens on <paramref name="port"/> with the default backlog (<see cref="TcpListenerQueue.Backlog"/>); null if taken.</summary>
        public TcpListenerQueue Listen(ushort port) => Listen(port, TcpListenerQueue.Backlog);

        public TcpListenerQueue Listen(ushort port, int backlog)
        {
            for (int i = 0; i < MaxListeners; i++) if (_listeners[i] != null && _listeners[i].Port == port) return null;
            for (int i = 0; i < MaxListeners; i++)
                if (_listeners[i] == null) return _listeners[i] = new TcpListenerQueue(port, backlog);
            return null;
        }

        /// <summary>
        /// Closes a listening port: it takes no more SYNs, and the connections it holds that nobody accepted (queued or
        /// still half-open) are reset, so none is left without an owner.
        /// </summary>
        public void StopListening(TcpListenerQueue listener)
        {
            if (listener == null) return;
            for (int i = 0; i < MaxListeners; i++) if (_listeners[i] == listener) _listeners[i] = null;
            for (TcpConnection c; (c = listener.Accept()) != null;) c.Abort();
            for (int i = _activeCount - 1; i >= 0; i--)
            {
                if (i >= _activeCount) continue;
                if (_active[i].Listener == listener) _active[i].Abort();
            }
        }

        /// <summary>Active open (RFC 9293 §3.10.1); null when no record, no buffer guarantee or no ephemeral port is free.</summary>
        public TcpConnection Connect(Ipv4Address remote, ushort remotePort, long nowMs)
        {
            NowMs = nowMs;
            if (!TryEphemeralPort(remote, remotePort, out ushort port)) { NoConnectionSlot++; return null; }
            TcpConnection c = Open(port, remote, remotePort, nowMs, hasIsnFloor: false, default);
            if (c == null) return null;
            c.OpenActive(nowMs);
            return c;
        }

        /// <summary>Active open from a chosen local port; null when that 4-tuple is in use (or no record or guarantee is free).</summary>
        public TcpConnection Connect(Ipv4Address remote, ushort remotePort, ushort localPort, long nowMs)
        {
            NowMs = nowMs;
            if (_index.Find(remote.Value, remotePort, localPort) >= 0) return null;
            // Our own TIME-WAIT for it ends early (the caller asked for this port); the new ISN starts past the old one.
            int waiting = _timeWait.Find(remote, remotePort, localPort);
            TimeWaitTable.Entry previous = waiting >= 0 ? _timeWait[waiting] : default;
            if (waiting >= 0) _timeWait.Remove(waiting);
            TcpConnection c = Open(localPort, remote, remotePort, nowMs, waiting >= 0, in previous);
            if (c == null) return null;
            c.OpenActive(nowMs);
            return c;
        }

        /// <summary>
        /// RFC 6056 §3.3.3 (algorithm 3): the search starts at a keyed offset for the remote end plus a counter, and
        /// skips ports whose 4-tuple is in use or in TIME-WAIT.
        /// </summary>
        private bool TryEphemeralPort(Ipv4Address remote, ushort remotePort, out ushort port)
        {
            uint start = _isn.PortOffset(_interface.Address, remote, remotePort) + _portCounter++;
            for (int i = 0; i < EphemeralCount; i++)
            {
                port = (ushort)(EphemeralFirst + (int)((start + (uint)i) % EphemeralCount));
                if (_index.Find(remote.Value, remotePort, port) >= 0 || _timeWait.Find(remote, remotePort, port) >= 0) continue;
                return true;
            }
            port = 0;
            return false;
        }

        /// <summary>Takes a record and the pool's guarantee for it, and registers the 4-tuple; null (counted) when either is short.</summary>
        private TcpConnection Open(ushort localPort, Ipv4Address remote, ushort remotePort, long nowMs, bool hasIsnFloor, in TimeWaitTable.Entry previous)
        {
            if (_freeCount == 0) { NoConnectionSlot++; return null; }
            TcpConnection c = _connections[_free[_freeHead]];
            if (!_pool.Open(c.SendAccount, TcpConnection.SendGuaranteedBlocks)) { NoBufferMemory++; return null; }
            if (!_pool.Open(c.ReceiveAccount, TcpConnection.ReceiveGuaranteedBlocks)) { _pool.Close(c.SendAccount); NoBufferMemory++; return null; }
            _freeHead = (_freeHead + 1) % MaxConnections;
            _freeCount--;
            long micros = MicrosecondClock != null ? MicrosecondClock() : nowMs * 1000;
            Ipv4Address local = _interface.Address;
            uint isn = _isn.Next(local, localPort, remote, remotePort, micros);
            if (hasIsnFloor) isn = TimeWaitTable.IsnForNewIncarnation(in previous, isn);
            c.Reset(localPort, remote, remotePort, isn, _isn.TimestampOffset(local, localPort, remote, remotePort));
            _index.Add(c.Slot, remote.Value, remotePort, localPort);
            c.ActiveIndex = _activeCount;
            _active[_activeCount++] = c;
            return c;
        }

        /// <summary>A connection went to Closed: its 4-tuple leaves the index, its record the active list, its guarantee the pool.</summary>
        internal void Release(TcpConnection c)
        {
            _index.Remove(c.Slot);
            _pool.Close(c.SendAccount);
            _pool.Close(c.ReceiveAccount);
            int at = c.ActiveIndex;
            if (at >= 0)
            {
                TcpConnection last = _active[--_activeCount];
                _active[at] = last;
                last.ActiveIndex = at;
                _active[_activeCount] = null;
                c.ActiveIndex = -1;
                _free[(_freeHead + _freeCount) % MaxConnections] = c.Slot;
                _freeCount++;
            }
        }

        /// <summary>A connection reached TIME-WAIT: its 4-tuple and numbers go to the table (the record is freed after).</summary>
        internal void EnterTimeWait(in TimeWaitTable.Entry entry) => _timeWait.Add(in entry);

        internal void Input(Ipv4Address source, Ipv4Address destination, Span<byte> bytes, bool checksumVerified, long nowMs)
        {
            NowMs = nowMs;
            SegmentsIn++;
            if (!TcpSegment.TryParse(bytes, source, destination, checksumVerified, out TcpSegment view)) { Malformed++; return; }
            TcpRepr segment = TcpRepr.Parse(in view);
            ushort localPort = segment.DestinationPort, remotePort = segment.SourcePort;
            int slot = _index.Find(source.Value, remotePort, localPort);
            if (slot >= 0)
            {
                TcpConnection c = _connections[slot];
                c.Input(in segment, view.Payload, nowMs);
                if (!c.IsFree) c.Output(nowMs);
                return;
            }
            bool reopen = false;
            TimeWaitTable.Entry previous = default;
            int waiting = _timeWait.Find(source, remotePort, localPort);
            if (waiting >= 0)
            {
                if (!TimeWaitInput(waiting, in segment, nowMs, out previous)) return;
                reopen = true;
            }
            if (segment.Has(TcpFlags.Rst)) return;
            if (segment.Has(TcpFlags.Syn) && !segment.Has(TcpFlags.Ack))
            {
                for (int i = 0; i < MaxListeners; i++)
                {
                    TcpListenerQueue listener = _listeners[i];
                    if (listener == null || listener.Port != localPort) continue;
                    if (listener.IsFull) { listener.Refused++; return; }
                    TcpConnection c = Open(localPort, source, remotePort, nowMs, reopen, in previous);
                    if (c == null) return;
                    c.Listener = listener;
                    listener.HalfOpen++;
                    c.OpenPassive(segment.Sequence, in segment.Options, segment.Window, nowMs);
                    return;
                }
            }
            // Nobody here: reset (RFC 9293 §3.10.7.1).
            var reset = new TcpRepr { SourcePort = localPort, DestinationPort = remotePort };
            if (segment.Has(TcpFlags.Ack))
            {
                reset.Sequence = segment.Acknowledgment;
                reset.Flags = TcpFlags.Rst;
            }
            else
            {
                reset.Acknowledgment = segment.Sequence + segment.SequenceLength;
                reset.Flags = TcpFlags.Rst | TcpFlags.Ack;
            }
            SendRaw(destination, source, in reset);
        }

        /// <summary>
        /// A segment for a 4-tuple in TIME-WAIT (RFC 9293 §3.10.7.4): a retransmitted FIN is acknowledged again and
        /// restarts the wait; a RST is ignored (RFC 1337: it would end the wait early); a SYN opens a new incarnation
        /// when RFC 6191 says it is newer (true: the caller opens it), else it is an old duplicate and is dropped.
        /// </summary>
        private bool TimeWaitInput(int id, in TcpRepr segment, long nowMs, out TimeWaitTable.Entry entry)
        {
            ref TimeWaitTable.Entry e = ref _timeWait[id];
            entry = e;
            if (segment.Has(TcpFlags.Rst)) { TimeWaitResetsIgnored++; return false; }
            if (segment.Has(TcpFlags.Syn) && !segment.Has(TcpFlags.Ack))
            {
                if (TimeWaitTable.AcceptsNewIncarnation(in e, segment.Sequence, in segment.Options, OfferTimestamps))
                {
                    _timeWait.Remove(id);
                    TimeWaitReused++;
                    return true;
                }
                TimeWaitSynsDropped++;
                return false;
            }
            if (e.HasTimestamps && segment.Options.HasTimestamps && Seq.Gt(segment.Options.TsVal, e.TsRecent)) e.TsRecent = segment.Options.TsVal;
            if (segment.Has(TcpFlags.Fin)) e.ExpiresMs = nowMs + TcpConnection.TimeWaitMs;
            if (segment.Has(TcpFlags.Fin) || segment.PayloadLength > 0)
            {
                var ack = new TcpRepr
                {
                    SourcePort = e.LocalPort, DestinationPort = e.RemotePort,
                    Sequence = e.SndNxt, Acknowledgment = e.RcvNxt, Flags = TcpFlags.Ack, Window = e.Window,
                };
                if (e.HasTimestamps) { ack.Options.HasTimestamps = true; ack.Options.TsVal = (uint)nowMs + e.TsOffset; ack.Options.TsEcr = e.TsRecent; }
                SendRaw(_interface.Address, new Ipv4Address(e.RemoteAddress), in ack);
                TimeWaitAcks++;
            }
            return false;
        }

        public void Poll(long nowMs)
        {
            NowMs = nowMs;
            // Backwards: a connection that closes is swapped out for the last one, which has had its turn.
            for (int i = _activeCount - 1; i >= 0; i--)
            {
                if (i >= _activeCount) continue;
                _active[i].Output(nowMs);
            }
            if (nowMs - _lastTimeWaitSweep >= 100)
            {
                _lastTimeWaitSweep = nowMs;
                _timeWait.Expire(nowMs);
            }
        }

        /// <summary>Sends one segment of connection <paramref name="c"/>; its payload (<see cref="TcpRepr.PayloadLength"/> bytes) from <paramref name="data"/> at <paramref name="dataOffset"/>.</summary>
        internal bool SendSegment(TcpConnection c, in TcpRepr segment, ByteRing data, int dataOffset)
        {
            if (!_interface.TryBeginIpv4(c.RemoteAddress, IpProtocol.Tcp, out var packet)) return false;
            int header = segment.HeaderLength;
            if (segment.PayloadLength > 0) data.Peek(dataOffset, packet.Payload.Slice(header, segment.PayloadLength));
            bool offload = _interface.OffloadsTransmitChecksum;
            int total = TcpSegment.Emit(packet.Payload, in segment, packet.Source, c.RemoteAddress, offload ? ChecksumMode.Partial : ChecksumMode.Complete);
            _interface.CommitIpv4(ref packet, total, offload ? TcpSegment.Field.Checksum : -1);
            SegmentsOut++;
            if (segment.Has(TcpFlags.Rst)) ResetsSent++;
            return true;
        }

        /// <summary>Packets handed to the NIC to be cut into segments (TSO), and the segments' worth they carried.</summary>
        public long SegmentedSends, SegmentedSegments;

        /// <summary>
        /// Payload bytes one TSO packet with these options may carry, in whole segments of <paramref name="segmentSize"/>
        /// bytes; 0 when the NIC does not segment.
        /// </summary>
        internal int SegmentationCapacity(in TcpOptions options, int segmentSize)
        {
            int room = _interface.MaxSegmentationPayload - TcpSegment.HeaderLengthFor(in options);
            return room <= segmentSize || segmentSize <= 0 ? 0 : room / segmentSize * segmentSize;
        }

        /// <summary>As <see cref="SendSegment"/>, one packet the NIC cuts into segments of <paramref name="segmentSize"/> payload bytes (TSO).</summary>
        internal bool SendSegmented(TcpConnection c, in TcpRepr segment, ByteRing data, int dataOffset, int segmentSize)
        {
            if (!_interface.TryBeginSegmentedIpv4(c.RemoteAddress, out var packet)) return false;
            int header = segment.HeaderLength, length = segment.PayloadLength;
            if (header + length > packet.Payload.Length) { _interface.CancelIpv4(ref packet); return false; }
            data.Peek(dataOffset, packet.Payload.Slice(header, length));
            int total = TcpSegment.Emit(packet.Payload, in segment, packet.Source, c.RemoteAddress, ChecksumMode.Partial);
            _interface.CommitSegmentedIpv4(ref packet, total, header, segmentSize);
            SegmentsOut++;
            SegmentedSends++;
            SegmentedSegments += (length + segmentSize - 1) / segmentSize;
            return true;
        }

        internal void SendReset(TcpConnection c, uint sequence)
        {
            var reset = new TcpRepr { SourcePort = c.LocalPort, DestinationPort = c.RemotePort, Sequence = sequence, Flags = TcpFlags.Rst };
            SendRaw(_interface.Address, c.RemoteAddress, in reset);
        }

        /// <summary>A segment without payload outside any connection record (resets, TIME-WAIT's ACKs), its checksum complete.</summary>
        private void SendRaw(Ipv4Address source, Ipv4Address destination, in TcpRepr segment)
        {
            if (!_interface.TryBeginIpv4(destination, IpProtocol.Tcp, out var packet)) return;
            int length = TcpSegment.Emit(packet.Payload, in segment, source, destination);
            _interface.CommitIpv4(ref packet, length);
            SegmentsOut++;
            if (segment.Has(TcpFlags.Rst)) ResetsSent++;
        }
    }
}
