using System;
using Cosmos.Drivers.Virtio.Queues;
using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Drivers.VirtioNet.Spec;
using Cosmos.Hal.Memory;
using Cosmos.Hal.Network;

namespace Cosmos.Drivers.VirtioNet
{
    /// <summary>
    /// The control virtqueue (virtio 1.2 §5.1.6.5), present with VIRTIO_NET_F_CTRL_VQ: the driver puts a command
    /// (class and command byte, then its data, both device-readable) and a one-byte ack (device-writable) in one
    /// chain and waits for the device to use it. Used here for VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET
    /// (§5.1.6.5.6.1), which changes at run time which negotiated receive offloads the device may apply.
    /// </summary>
    public sealed unsafe partial class VirtioNetDevice
    {
        private IVirtqueue _control;
        private DmaRegion _controlMemory;
        // Offsets inside the control page: the command header, its data, the ack.
        private const int ControlHeader = 0, ControlData = 16, ControlAck = 32;
        /// <summary>How many times to look for the device's answer (QEMU answers during the notification itself).</summary>
        private const int ControlPolls = 5_000_000;

        /// <summary>The receive offloads (GUEST_* feature bits) the device may apply now.</summary>
        public ulong GuestOffloads { get; private set; }
        public long ControlCommands { get; private set; }
        public long ControlFailures { get; private set; }
        /// <summary>Why the last control command failed (null when none has).</summary>
        public string ControlError { get; private set; }

        private bool SetUpControlQueue(bool eventIndex)
        {
            if (!Has(NetFeatures.ControlQueue)) return true;
            _control = Has(VirtioFeatures.RingPacked)
                ? PackedVirtqueue.Create(_transport, _dma, NetQueues.Control, 16, eventIndex, false, CommonConfig.NoVector, out string error)
                : SplitVirtqueue.Create(_transport, _dma, NetQueues.Control, 16, eventIndex, false, CommonConfig.NoVector, out error);
            if (_control == null) return false;
            _control.DisableInterrupts(); // answers are polled for
            _controlMemory = _dma.Allocate(64, 64);
            return _controlMemory.IsValid;
        }

        /// <summary>
        /// VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET: allow the device only <paramref name="offloads"/> of the negotiated
        /// GUEST_* offloads. False (and <see cref="ControlError"/>) when the device refuses or does not answer.
        /// </summary>
        public bool SetGuestOffloads(ulong offloads)
        {
            if (!Has(NetFeatures.ControlGuestOffloads) || _control == null) return ControlFailed("CTRL_GUEST_OFFLOADS not negotiated");
            offloads &= NegotiatedFeatures & NetControl.GuestOffloadBits; // §5.1.6.5.6.2: only negotiated offloads
            byte* page = _controlMemory.Virtual;
            page[ControlHeader] = NetControl.ClassGuestOffloads;
            page[ControlHeader + 1] = NetControl.GuestOffloadsSet;
            *(ulong*)(page + ControlData) = offloads; // le64 (x86 is little-endian)
            page[ControlAck] = 0xFF;                  // anything but OK until the device writes it
            ulong physical = _controlMemory.Physical;
            Span<BufferSegment> chain = stackalloc BufferSegment[3];
            chain[0] = new BufferSegment(physical + ControlHeader, 2, deviceWritable: false);
            chain[1] = new BufferSegment(physical + ControlData, 8, deviceWritable: false);
            chain[2] = new BufferSegment(physical + ControlAck, 1, deviceWritable: true);
            if (!_control.TryAdd(chain, 0)) return ControlFailed("the control queue is full");
            ControlCommands++;
            if (_control.Kick()) _counters.Notifications++;
            for (int poll = 0; poll < ControlPolls; poll++)
            {
                if (_control.IsBroken) { StopOnDeviceError(_control); return ControlFailed(_control.Error); }
                if (!_control.TryGetUsed(out int token, out _)) continue;
                DmaBarriers.Read(); // the ack was written before the used entry that we just read
                byte ack = page[ControlAck];
                if (ack != NetControl.Ok) return ControlFailed(ack == NetControl.Error ? "the device answered VIRTIO_NET_ERR" : "the device wrote no ack");
                GuestOffloads = offloads;
                return true;
            }
            return ControlFailed("the device did not answer the command");
        }

        private bool ControlFailed(string why)
        {
            ControlFailures++;
            ControlError = why;
            return false;
        }
    }
}
