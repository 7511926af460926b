using Cosmos.VhostUser.Interop;
using Cosmos.VhostUser.Net;
using Cosmos.VhostUser.Rings;

namespace Cosmos.VhostUser;

public sealed partial class VhostUserNetBackend
{
    // Data-plane scratch, touched only by that thread (under the gate).
    private readonly byte[] _txFrame = new byte[NetHeader.MaxFrame + NetHeader.Size];
    private readonly byte[] _rxFrame = new byte[NetHeader.MaxFrame];
    private int _rxPendingLength;
    private readonly DescriptorChain _txChain = new();
    private readonly DescriptorChain[] _rxChains = Enumerable.Range(0, 256).Select(_ => new DescriptorChain()).ToArray();
    /// <summary>True when a received frame waits for the guest to post receive buffers (we then wait for its kick).</summary>
    private bool _rxStarved;

    /// <summary>
    /// Waits on the kick eventfds, the endpoint and the wake fd; serves both queues after each wake-up. The endpoint is
    /// only watched while the receive ring can take frames, so a guest without buffers leaves them in the endpoint's
    /// socket (back-pressure, as QEMU's own backends do) instead of having them dropped here.
    /// </summary>
    private void DataPlaneLoop() => Contain("data plane", DataPlaneTurns);

    private unsafe void DataPlaneTurns()
    {
        var fds = new Libc.PollFd[4];
        while (!_stopping)
        {
            int count = 0;
            bool polled;
            lock (_gate)
            {
                fds[count++] = new Libc.PollFd { Fd = _wakeFd, Events = Libc.POLLIN };
                Vring rx = _vrings[ReceiveQueue], tx = _vrings[TransmitQueue];
                if (tx.Started && tx.KickFd >= 0) fds[count++] = new Libc.PollFd { Fd = tx.KickFd, Events = Libc.POLLIN };
                if (rx.Started && rx.KickFd >= 0) fds[count++] = new Libc.PollFd { Fd = rx.KickFd, Events = Libc.POLLIN };
                if (rx.Running && !_rxStarved) fds[count++] = new Libc.PollFd { Fd = _options.Endpoint.Fd, Events = Libc.POLLIN };
                polled = rx.PollMode || tx.PollMode;
            }
            int ready;
            int wait = polled || _canary?.HeldCount > 0 ? 1 : SpuriousPending ? Hostile.HostileScript.SpuriousIntervalMs : 200;
            fixed (Libc.PollFd* p = fds) ready = Libc.poll(p, (nuint)count, wait);
            if (_stopping) return;
            lock (_gate)
            {
                for (int i = 0; i < count; i++)
                {
                    if ((fds[i].Revents & Libc.POLLIN) == 0 || fds[i].Fd == _options.Endpoint.Fd) continue;
                    ulong kicks = Libc.DrainEventFd(fds[i].Fd);
                    if (fds[i].Fd != _wakeFd) Counters.Kicks += (long)kicks;
                }
                ServeTransmit();
                ServeReceive();
                SignalSpuriously();
            }
        }
    }

    /// <summary>Every chain the guest made available for transmission: strip the header, hand the frame to the endpoint, complete it.</summary>
    private unsafe void ServeTransmit()
    {
        Vring v = _vrings[TransmitQueue];
        if (!v.Running) return;
        DeviceSplitRing ring = v.Ring!;
        ReleaseHeldTransmits(v);
        int header = HeaderSize;
        while (true)
        {
            ring.SetNotifications(false);
            int done = 0;
            while (ring.TryPop(_txChain))
            {
                int length = Gather(_txChain, _txFrame);
                if (_txChain.WritableBytes != 0 || length < header)
                {
                    GuestError(v, $"transmit chain of head {_txChain.Head}: {length} readable bytes, {_txChain.WritableBytes} writable (a header of {header} and no writable part expected)");
                    return;
                }
                var frame = new ReadOnlySpan<byte>(_txFrame, header, length - header);
                if (_canary != null) _canary.Hold(_txChain); // completed on the next turn, after the comparison
                else Complete(v, _txChain, 0);
                Counters.TxFrames++;
                Counters.TxBytes += frame.Length;
                _options.Endpoint.Send(frame);
                done++;
            }
            if (ring.IsBroken) { GuestError(v, ring.Error!); return; }
            Publish(v);
            // Ask for a kick, then look again: a chain added before the driver could see our request raises none.
            ring.SetNotifications(true);
            if (ring.Pending == 0 || !v.Running) return;
        }
    }

    /// <summary>Copies a chain's readable bytes into <paramref name="destination"/>; returns how many.</summary>
    private static unsafe int Gather(DescriptorChain chain, byte[] destination)
    {
        int total = 0;
        for (int i = 0; i < chain.Count; i++)
        {
            ref Segment s = ref chain.Segments[i];
            if (s.Writable) break;
            int n = (int)Math.Min(s.Length, (uint)(destination.Length - total));
            new ReadOnlySpan<byte>(s.Host, n).CopyTo(destination.AsSpan(total));
            total += n;
        }
        return total;
    }

    /// <summary>Frames waiting in the endpoint go into the guest's receive buffers, as many as it has posted.</summary>
    private void ServeReceive()
    {
        Vring v = _vrings[ReceiveQueue];
        if (!v.Running)
        {
            _rxStarved = false;
            return;
        }
        DeviceSplitRing ring = v.Ring!;
        _rxCanary?.Arm(ring);
        while (true)
        {
            if (_rxPendingLength == 0)
            {
                _rxPendingLength = _options.Endpoint.TryReceive(_rxFrame);
                if (_rxPendingLength == 0) break;
            }
            RxOutcome outcome = Deliver(v, new ReadOnlySpan<byte>(_rxFrame, 0, _rxPendingLength));
            if (outcome == RxOutcome.NoRoom)
            {
                ring.SetNotifications(true);
                if (ring.Pending > 0) continue; // posted meanwhile
                _rxStarved = true;
                Publish(v);
                return;
            }
            _rxPendingLength = 0;
            if (outcome == RxOutcome.Broken) return;
        }
        _rxStarved = false;
        ring.SetNotifications(false);
        Publish(v);
        _rxCanary?.Arm(ring);
    }

    private enum RxOutcome { Delivered, Dropped, NoRoom, Broken }

    /// <summary>
    /// One frame into the receive queue (§5.1.6.3-4): with mergeable buffers as many chains as it needs, each completed
    /// with the bytes written into it, and num_buffers in the first one's header; without, one chain that must hold it all.
    /// </summary>
    private unsafe RxOutcome Deliver(Vring v, ReadOnlySpan<byte> frame)
    {
        DeviceSplitRing ring = v.Ring!;
        int header = HeaderSize;
        int needed = header + frame.Length;
        ushort start = ring.LastAvailIndex;
        int chains = 0;
        long room = 0;
        while (room < needed)
        {
            if (chains == _rxChains.Length || (chains == 1 && !MergeableNegotiated))
            {
                // More buffers than we would ever merge, or one buffer too small without MRG_RXBUF: the frame cannot fit.
                ring.Rewind(start);
                Counters.RxDroppedTooLarge++;
                return RxOutcome.Dropped;
            }
            DescriptorChain chain = _rxChains[chains];
            if (!ring.TryPop(chain))
            {
                if (ring.IsBroken) { GuestError(v, ring.Error!); return RxOutcome.Broken; }
                ring.Rewind(start);
                return RxOutcome.NoRoom;
            }
            if (chain.ReadableBytes != 0 || chain.WritableBytes < (chains == 0 ? header : 1))
            {
                GuestError(v, $"receive chain of head {chain.Head}: {chain.ReadableBytes} readable, {chain.WritableBytes} writable bytes");
                return RxOutcome.Broken;
            }
            room += chain.WritableBytes;
            chains++;
        }
        // The header: no offloads in force, num_buffers = chains (§5.1.6.4).
        Span<byte> head = stackalloc byte[NetHeader.Size];
        head.Clear();
        head[NetHeader.NumBuffers] = (byte)chains;
        head[NetHeader.NumBuffers + 1] = (byte)(chains >> 8);
        int written = 0;
        for (int c = 0; c < chains; c++)
        {
            DescriptorChain chain = _rxChains[c];
            bool armed = _rxCanary?.CheckBeforeUse(chain) == true;
            int inChain = 0;
            for (int s = 0; s < chain.Count && written < needed; s++)
            {
                ref Segment seg = ref chain.Segments[s];
                int n = (int)Math.Min(seg.Length, (uint)(needed - written));
                var destination = new Span<byte>(seg.Host, n);
                // Bytes [0, header) come from the header, the rest from the frame.
                int fromHeader = Math.Max(0, Math.Min(n, header - written));
                // Only slice the header while inside it: Span.Slice(start, 0) still throws once start passes its end,
                // which every buffer after the first (written > header) would do.
                if (fromHeader > 0) head.Slice(written, fromHeader).CopyTo(destination);
                if (n > fromHeader) frame.Slice(written + fromHeader - header, n - fromHeader).CopyTo(destination.Slice(fromHeader));
                written += n;
                inChain += n;
            }
            _rxCanary?.Completed(chain, (uint)inChain, armed);
            Complete(v, chain, (uint)inChain);
        }
        Counters.RxFrames++;
        Counters.RxBytes += frame.Length;
        if (chains > 1) Counters.RxMerged++;
        return RxOutcome.Delivered;
    }

    /// <summary>A completion into the used ring (published later by <see cref="Publish"/>).</summary>
    private void Complete(Vring v, DescriptorChain chain, uint length)
    {
        bool wasDone = _hostile?.Done == true;
        if (_hostile != null && _hostile.TryMisbehave(v.Index, v.Ring!, chain, length))
        {
            if (wasDone) return; // a lasting fault (withheld completions) goes on: counted and logged once per start
            Counters.FaultsInjected++;
            Log($"hostile: ring {v.Index}: {_hostile.Description}");
            return;
        }
        v.Ring!.AddUsed(chain.Head, length);
    }

    /// <summary>Publishes completions and signals the call eventfd when the driver asked to hear about them.</summary>
    private void Publish(Vring v)
    {
        DeviceSplitRing ring = v.Ring!;
        if (ring.UsedIndex == ring.PublishedUsedIndex) return;
        if (_rxCanary != null && ring.UsedIndexInMemory != ring.PublishedUsedIndex)
        {
            // Only the device writes used idx (§2.7.8): the driver wrote into the device's part of the ring.
            Counters.UsedIndexOverwrites++;
            FirstUsedIndexOverwrite ??= $"ring {v.Index}: used idx in guest memory is {ring.UsedIndexInMemory}, the device published {ring.PublishedUsedIndex}";
        }
        ring.PublishUsed();
        if (ring.ShouldNotify()) Call(v);
    }

    internal void Call(Vring v)
    {
        if (v.Signal()) Counters.Calls++;
    }

    private void GuestError(Vring v, string reason)
    {
        Counters.GuestErrors++;
        LastGuestError = $"ring {v.Index}: {reason}";
        Log($"guest error, ring stopped: {LastGuestError}");
        if (v.ErrFd >= 0) Libc.SignalEventFd(v.ErrFd); // QEMU logs "vhost vring error in virtqueue"
        v.Enabled = false;
    }

    private long _nextSpuriousMs;

    /// <summary>A spurious-interrupt script that has signals left to send.</summary>
    private bool SpuriousPending => _options.Hostile is { Fault: Hostile.DeviceFault.SpuriousInterrupts } && Counters.SpuriousCalls < Hostile.HostileScript.SpuriousCallLimit;

    /// <summary>
    /// Hostile: once the guest has had <see cref="Hostile.HostileScript.AfterCompletions"/> transmit completions, signals the
    /// receive queue's call eventfd every couple of milliseconds, only while every completion is already published (so the
    /// interrupt brings nothing new). QEMU (hw/virtio/virtio.c, the guest notifier's read handler) sets ISR bit 0 and raises
    /// the line for each signal it reads; signals it reads together make one.
    /// </summary>
    private void SignalSpuriously()
    {
        if (!SpuriousPending) return;
        Vring v = _vrings[ReceiveQueue];
        if (!v.Running || Counters.TxFrames < _options.Hostile!.AfterCompletions) return;
        long now = Environment.TickCount64;
        if (now < _nextSpuriousMs) return;
        _nextSpuriousMs = now + Hostile.HostileScript.SpuriousIntervalMs;
        if (v.Ring!.UsedIndex != v.Ring.PublishedUsedIndex) return; // a real completion is pending: not spurious
        if (!v.Signal()) return;
        if (Counters.SpuriousCalls++ == 0)
        {
            Counters.FaultsInjected++;
            Log($"hostile: ring {v.Index}: spurious interrupts begin (one every {Hostile.HostileScript.SpuriousIntervalMs} ms with nothing new in the used ring, {Hostile.HostileScript.SpuriousCallLimit} at most)");
        }
    }

    /// <summary>Completes the transmit chains the canary held since the last turn, each compared with its copy first.</summary>
    private void ReleaseHeldTransmits(Vring v)
    {
        if (_canary == null || _canary.HeldCount == 0 || v.Ring is not { } ring) return;
        _canary.ReleaseAll(head => ring.AddUsed(head, 0));
        Counters.CanaryViolations = _canary.Violations;
        Publish(v);
    }
}
