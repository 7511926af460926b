using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Hal.Io;
using Cosmos.Hal.Pci;

namespace Cosmos.Drivers.Virtio.Transport
{
    /// <summary>
    /// The virtio 1.x PCI interface (virtio 1.2 §4.1.4): vendor capabilities locate the common
    /// configuration, notification, ISR and device configuration structures inside memory (or I/O) BARs.
    /// A queue is notified by writing its index at cap.offset + queue_notify_off * notify_off_multiplier.
    /// </summary>
    public sealed class ModernPciTransport : IVirtioTransport
    {
        private readonly IDeviceRegisters _common, _notify, _isr, _device;
        private readonly uint _notifyMultiplier;
        private readonly ushort[] _notifyOffsets = new ushort[16];
        private readonly ulong _notifyLength;

        /// <summary>Why the last TryCreate failed, for the log.</summary>
        public static string LastError;

        private ModernPciTransport(IDeviceRegisters common, IDeviceRegisters notify, uint multiplier, IDeviceRegisters isr, IDeviceRegisters device)
        {
            _common = common;
            _notify = notify;
            _notifyMultiplier = multiplier;
            _notifyLength = notify.Length;
            _isr = isr;
            _device = device;
        }

        /// <summary>Finds the four structures (§4.1.4: the first capability of each type that the driver can use wins).</summary>
        public static ModernPciTransport TryCreate(IPciFunction pci)
        {
            IDeviceRegisters common = null, notify = null, isr = null, device = null;
            uint multiplier = 0;
            for (int i = 0; i < pci.CapabilityCountValue; i++)
            {
                PciCapability cap = pci.GetCapability(i);
                if (cap.Id != PciCapabilityIds.Vendor) continue;
                int at = cap.Offset;
                byte type = pci.Read8(at + VirtioPciCapability.ConfigTypeOffset);
                byte bar = pci.Read8(at + VirtioPciCapability.BarOffset);
                uint offset = pci.Read32(at + VirtioPciCapability.OffsetOffset);
                uint length = pci.Read32(at + VirtioPciCapability.LengthOffset);
                if (bar > 5 || length == 0) continue; // reserved BAR numbers are ignored (§4.1.4)
                switch (type)
                {
                    case VirtioPciCapabilityType.CommonConfig when common == null:
                        if (length >= CommonConfig.MinimumLength) common = pci.MapBar(bar, offset, length);
                        break;
                    case VirtioPciCapabilityType.NotifyConfig when notify == null:
                        notify = pci.MapBar(bar, offset, length);
                        multiplier = pci.Read32(at + VirtioPciCapability.NotifyMultiplierOffset);
                        break;
                    case VirtioPciCapabilityType.IsrConfig when isr == null:
                        isr = pci.MapBar(bar, offset, length);
                        break;
                    case VirtioPciCapabilityType.DeviceConfig when device == null:
                        device = pci.MapBar(bar, offset, length);
                        break;
                }
            }
            LastError = common == null ? "no usable common configuration capability"
                : notify == null ? "no usable notification capability"
                : isr == null ? "no usable ISR capability"
                : null;
            if (LastError != null) return null;
            return new ModernPciTransport(common, notify, multiplier, isr, device);
        }

        public string Name => "modern";
        public bool IsModern => true;
        public bool QueueSizeIsFixed => false;
        public bool RequiresLegacyRingLayout => false;

        public ulong ReadDeviceFeatures()
        {
            _common.Write32(CommonConfig.DeviceFeatureSelect, 0);
            ulong low = _common.Read32(CommonConfig.DeviceFeature);
            _common.Write32(CommonConfig.DeviceFeatureSelect, 1);
            ulong high = _common.Read32(CommonConfig.DeviceFeature);
            return low | (high << 32);
        }

        public void WriteDriverFeatures(ulong features)
        {
            _common.Write32(CommonConfig.DriverFeatureSelect, 0);
            _common.Write32(CommonConfig.DriverFeature, (uint)features);
            _common.Write32(CommonConfig.DriverFeatureSelect, 1);
            _common.Write32(CommonConfig.DriverFeature, (uint)(features >> 32));
        }

        public byte ReadStatus() => _common.Read8(CommonConfig.DeviceStatus);
        public void WriteStatus(byte status) => _common.Write8(CommonConfig.DeviceStatus, status);

        public bool Reset()
        {
            // §4.1.4.3.2: after writing 0 the driver must wait until device_status reads 0.
            _common.Write8(CommonConfig.DeviceStatus, 0);
            for (int i = 0; i < 100000; i++)
                if (_common.Read8(CommonConfig.DeviceStatus) == 0) return true;
            return false;
        }

        public ushort QueueMaxSize(ushort queue)
        {
            if (queue >= _common.Read16(CommonConfig.NumQueues)) return 0;
            _common.Write16(CommonConfig.QueueSelect, queue);
            return _common.Read16(CommonConfig.QueueSize);
        }

        public bool ActivateQueue(ushort queue, ushort size, ulong descriptorTable, ulong driverArea, ulong deviceArea, ushort msixVector)
        {
            if (queue >= _notifyOffsets.Length) return false;
            _common.Write16(CommonConfig.QueueSelect, queue);
            if (_common.Read16(CommonConfig.QueueEnable) != 0) return false; // §4.1.4.3.2: set up only a disabled queue
            _common.Write16(CommonConfig.QueueSize, size);
            WriteAddress(CommonConfig.QueueDescriptor, descriptorTable);
            WriteAddress(CommonConfig.QueueDriver, driverArea);
            WriteAddress(CommonConfig.QueueDevice, deviceArea);
            _common.Write16(CommonConfig.QueueMsixVector, msixVector);
            if (msixVector != CommonConfig.NoVector && _common.Read16(CommonConfig.QueueMsixVector) != msixVector) return false;
            _notifyOffsets[queue] = _common.Read16(CommonConfig.QueueNotifyOffset);
            if ((ulong)_notifyOffsets[queue] * _notifyMultiplier + 2 > _notifyLength) return false;
            _common.Write16(CommonConfig.QueueEnable, 1);
            return true;
        }

        private void WriteAddress(int offset, ulong address)
        {
            // 64-bit fields are written as two 32-bit halves (§4.1.3.1: the driver may access them that way).
            _common.Write32(offset, (uint)address);
            _common.Write32(offset + 4, (uint)(address >> 32));
        }

        public bool SetConfigVector(ushort msixEntry)
        {
            _common.Write16(CommonConfig.ConfigMsixVector, msixEntry);
            // The device answers NO_VECTOR when it could not map the entry (§4.1.5.1.2.1).
            return _common.Read16(CommonConfig.ConfigMsixVector) == msixEntry;
        }

        public void Notify(ushort queue) =>
            _notify.Write16((int)(_notifyOffsets[queue & 15] * _notifyMultiplier), queue);

        public byte ReadIsr() => _isr.Read8(0);

        public byte ReadConfig8(int offset) => _device == null ? (byte)0 : _device.Read8(offset);
        public ushort ReadConfig16(int offset) => _device == null ? (ushort)0 : _device.Read16(offset);
        public uint ReadConfig32(int offset) => _device == null ? 0 : _device.Read32(offset);
        public byte ConfigGeneration() => _common.Read8(CommonConfig.ConfigGeneration);
        public bool HasDeviceConfig => _device != null;
    }
}
