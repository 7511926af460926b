using Cosmos.Drivers.Virtio.Spec;
using Cosmos.Hal.Io;
using Cosmos.Hal.Pci;

namespace Cosmos.HostTests.VirtioModel;

/// <summary>
/// A fake PCI function in front of a <see cref="VirtioNetModel"/>: the legacy I/O BAR0 register block
/// (virtio 1.2 §4.1.4.8) and/or the modern vendor capabilities pointing into a memory BAR4 (§4.1.4).
/// Register semantics follow the spec; accesses are journalled for tests that check the init sequence.
/// </summary>
public sealed class FakeVirtioPci : IPciFunction
{
    private readonly VirtioNetModel _model;
    private readonly byte[] _config = new byte[256];
    private readonly bool _legacy, _modern;
    private readonly List<PciCapability> _capabilities = [];
    public ushort QueueSelect;
    public uint DeviceFeatureSelect, DriverFeatureSelect;
    public readonly List<string> Journal = [];

    // Modern BAR4 layout (like QEMU: one page per structure).
    public const int CommonAt = 0x0000, IsrAt = 0x1000, DeviceAt = 0x2000, NotifyAt = 0x3000, NotifyMultiplier = 4;

    public FakeVirtioPci(VirtioNetModel model, bool legacy, bool modern)
    {
        _model = model;
        _legacy = legacy;
        _modern = modern;
        DeviceId = modern && !legacy ? (ushort)0x1041 : (ushort)0x1000;
        if (modern)
        {
            int at = 0x40;
            AddCapability(ref at, VirtioPciCapabilityType.CommonConfig, CommonAt, 0x1000);
            AddCapability(ref at, VirtioPciCapabilityType.IsrConfig, IsrAt, 0x1000);
            AddCapability(ref at, VirtioPciCapabilityType.DeviceConfig, DeviceAt, 0x1000);
            AddCapability(ref at, VirtioPciCapabilityType.NotifyConfig, NotifyAt, 0x1000, NotifyMultiplier);
        }
    }

    private void AddCapability(ref int at, byte type, uint offset, uint length, uint? multiplier = null)
    {
        int size = multiplier == null ? 16 : 20;
        _config[at] = PciCapabilityIds.Vendor;
        _config[at + 2] = (byte)size;
        _config[at + 3] = type;
        _config[at + 4] = 4; // BAR4
        BitConverter.TryWriteBytes(_config.AsSpan(at + 8), offset);
        BitConverter.TryWriteBytes(_config.AsSpan(at + 12), length);
        if (multiplier != null) BitConverter.TryWriteBytes(_config.AsSpan(at + 16), multiplier.Value);
        _capabilities.Add(new PciCapability { Id = PciCapabilityIds.Vendor, Offset = (byte)at });
        at += size;
    }

    public ushort VendorId => 0x1AF4;
    public ushort DeviceId { get; }
    public byte Read8(int offset) => _config[offset];
    public ushort Read16(int offset) => BitConverter.ToUInt16(_config, offset);
    public uint Read32(int offset) => BitConverter.ToUInt32(_config, offset);
    public void Write8(int offset, byte value) => _config[offset] = value;
    public void Write16(int offset, ushort value) => BitConverter.TryWriteBytes(_config.AsSpan(offset), value);
    public void Write32(int offset, uint value) => BitConverter.TryWriteBytes(_config.AsSpan(offset), value);
    public int CapabilityCountValue => _capabilities.Count;
    public PciCapability GetCapability(int index) => _capabilities[index];
    public void EnableBusMastering() { }

    public PciBar GetBar(int index) => index switch
    {
        0 when _legacy => new PciBar { Kind = PciBarKind.Io, Address = 0xC000, Size = 32 },
        4 when _modern => new PciBar { Kind = PciBarKind.Memory64, Address = 0xFE000000, Size = 0x4000 },
        _ => default,
    };

    public IDeviceRegisters MapBar(int index, ulong offset, ulong length)
    {
        PciBar bar = GetBar(index);
        if (bar.Kind == PciBarKind.None || offset + length > bar.Size) return null;
        return index == 0 ? new LegacyRegisters(this, _model, length) : new ModernWindow(this, _model, (int)offset, length);
    }

    // ---- legacy register block (§4.1.4.8) ----
    private sealed class LegacyRegisters(FakeVirtioPci pci, VirtioNetModel model, ulong length) : IDeviceRegisters
    {
        public ulong Length => length;
        // A selector past the last queue names none: its size reads 0 (the driver's sign that it does not exist).
        private VirtioNetModel.VirtQueue Selected => model.QueueAt(pci.QueueSelect) ?? Absent;
        private static readonly VirtioNetModel.VirtQueue Absent = new() { MaxSize = 0 };

        public byte Read8(int offset) => offset switch
        {
            LegacyPciRegisters.Status => model.Status,
            LegacyPciRegisters.Isr => ReadIsr(),
            >= LegacyPciRegisters.DeviceConfigNoMsix => model.ReadConfig(offset - LegacyPciRegisters.DeviceConfigNoMsix),
            _ => 0xFF,
        };

        private byte ReadIsr() { byte isr = model.Isr; model.Isr = 0; return isr; }

        public ushort Read16(int offset) => offset switch
        {
            LegacyPciRegisters.QueueNum => Selected.MaxSize,
            LegacyPciRegisters.QueueSelect => pci.QueueSelect,
            >= LegacyPciRegisters.DeviceConfigNoMsix => (ushort)(Read8(offset) | Read8(offset + 1) << 8),
            _ => 0xFFFF,
        };

        public uint Read32(int offset) => offset switch
        {
            LegacyPciRegisters.HostFeatures => (uint)model.DeviceFeatures,
            LegacyPciRegisters.GuestFeatures => (uint)model.DriverFeatures,
            LegacyPciRegisters.QueuePfn => (uint)(Selected.Descriptors >> 12),
            _ => 0xFFFFFFFF,
        };

        public void Write8(int offset, byte value)
        {
            if (offset == LegacyPciRegisters.Status) { pci.Journal.Add($"status={value}"); model.WriteStatus(value); }
        }

        public void Write16(int offset, ushort value)
        {
            if (offset == LegacyPciRegisters.QueueSelect) pci.QueueSelect = value;
            else if (offset == LegacyPciRegisters.QueueNotify) model.Notify(value);
        }

        public void Write32(int offset, uint value)
        {
            if (offset == LegacyPciRegisters.GuestFeatures) { pci.Journal.Add($"features={value:x}"); model.DriverFeatures = value; }
            else if (offset == LegacyPciRegisters.QueuePfn && pci.QueueSelect < model.QueueCount)
            {
                // The legacy layout (§2.7.2 legacy interfaces): the device derives the rings from the page number.
                var q = Selected;
                q.Size = q.MaxSize;
                q.Descriptors = (ulong)value << 12;
                var layout = new SplitRingLayout(q.Size, legacy: true);
                q.Driver = q.Descriptors + (ulong)layout.AvailableRingOffset;
                q.Device = q.Descriptors + (ulong)layout.UsedRingOffset;
                q.Enabled = value != 0;
                pci.Journal.Add($"queue{pci.QueueSelect}.pfn");
            }
        }
    }

    // ---- modern structures in BAR4 (§4.1.4.3 common, §4.1.4.4 notify, §4.1.4.5 ISR, §4.1.4.6 device) ----
    private sealed class ModernWindow(FakeVirtioPci pci, VirtioNetModel model, int start, ulong length) : IDeviceRegisters
    {
        public ulong Length => length;
        // A selector past the last queue names none: its size reads 0 (the driver's sign that it does not exist).
        private VirtioNetModel.VirtQueue Selected => model.QueueAt(pci.QueueSelect) ?? Absent;
        private static readonly VirtioNetModel.VirtQueue Absent = new() { MaxSize = 0 };

        public byte Read8(int offset) => Read(start + offset, 1) is var v ? (byte)v : (byte)0;
        public ushort Read16(int offset) => (ushort)Read(start + offset, 2);
        public uint Read32(int offset) => (uint)Read(start + offset, 4);
        public void Write8(int offset, byte value) => Write(start + offset, value, 1);
        public void Write16(int offset, ushort value) => Write(start + offset, value, 2);
        public void Write32(int offset, uint value) => Write(start + offset, value, 4);

        private ulong Read(int at, int width)
        {
            if (at >= IsrAt && at < DeviceAt) { byte isr = model.Isr; model.Isr = 0; return isr; }
            if (at >= DeviceAt && at < NotifyAt)
            {
                ulong v = 0;
                for (int i = 0; i < width; i++) v |= (ulong)model.ReadConfig(at - DeviceAt + i) << (8 * i);
                return v;
            }
            var q = Selected;
            return at switch
            {
                CommonConfig.DeviceFeatureSelect => pci.DeviceFeatureSelect,
                CommonConfig.DeviceFeature => pci.DeviceFeatureSelect == 0 ? (uint)model.DeviceFeatures : pci.DeviceFeatureSelect == 1 ? (uint)(model.DeviceFeatures >> 32) : 0u,
                CommonConfig.NumQueues => (ulong)model.QueueCount,
                CommonConfig.DeviceStatus => model.Status,
                CommonConfig.ConfigGeneration => model.Generation,
                CommonConfig.QueueSelect => pci.QueueSelect,
                CommonConfig.QueueSize => q.MaxSize == 0 ? 0u : q.Size == 0 ? q.MaxSize : q.Size,
                CommonConfig.QueueMsixVector => q.MsixVector,
                CommonConfig.QueueEnable => q.Enabled ? 1u : 0u,
                CommonConfig.QueueNotifyOffset => pci.QueueSelect,
                _ => 0,
            };
        }

        private void Write(int at, uint value, int width)
        {
            if (at >= NotifyAt)
            {
                int queueOffset = (at - NotifyAt) / NotifyMultiplier;
                if (width != 2 || value != queueOffset) throw new GuestMemoryFault($"notify write {value} at the offset of queue {queueOffset}");
                model.Notify((ushort)value);
                return;
            }
            var q = Selected;
            switch (at)
            {
                case CommonConfig.DeviceFeatureSelect: pci.DeviceFeatureSelect = value; break;
                case CommonConfig.DriverFeatureSelect: pci.DriverFeatureSelect = value; break;
                case CommonConfig.DriverFeature:
                    if (pci.DriverFeatureSelect == 0) model.DriverFeatures = (model.DriverFeatures & ~0xFFFFFFFFUL) | value;
                    else if (pci.DriverFeatureSelect == 1) model.DriverFeatures = (model.DriverFeatures & 0xFFFFFFFFUL) | ((ulong)value << 32);
                    pci.Journal.Add($"features[{pci.DriverFeatureSelect}]={value:x}");
                    break;
                case CommonConfig.DeviceStatus: pci.Journal.Add($"status={value}"); model.WriteStatus((byte)value); break;
                case CommonConfig.QueueSelect: pci.QueueSelect = (ushort)value; break;
                case CommonConfig.QueueSize:
                    if (value == 0 || value > q.MaxSize || (value & (value - 1)) != 0) throw new GuestMemoryFault($"bad queue size {value}");
                    q.Size = (ushort)value;
                    break;
                case CommonConfig.QueueMsixVector: q.MsixVector = (ushort)value; break;
                case CommonConfig.QueueEnable:
                    if (q.Size == 0) q.Size = q.MaxSize;
                    q.Enabled = value == 1;
                    pci.Journal.Add($"queue{pci.QueueSelect}.enable");
                    break;
                case CommonConfig.QueueDescriptor: q.Descriptors = (q.Descriptors & ~0xFFFFFFFFUL) | value; break;
                case CommonConfig.QueueDescriptor + 4: q.Descriptors = (q.Descriptors & 0xFFFFFFFFUL) | ((ulong)value << 32); break;
                case CommonConfig.QueueDriver: q.Driver = (q.Driver & ~0xFFFFFFFFUL) | value; break;
                case CommonConfig.QueueDriver + 4: q.Driver = (q.Driver & 0xFFFFFFFFUL) | ((ulong)value << 32); break;
                case CommonConfig.QueueDevice: q.Device = (q.Device & ~0xFFFFFFFFUL) | value; break;
                case CommonConfig.QueueDevice + 4: q.Device = (q.Device & 0xFFFFFFFFUL) | ((ulong)value << 32); break;
            }
        }
    }
}
