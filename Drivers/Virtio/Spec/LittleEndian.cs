using System.Runtime.InteropServices;
using System.Threading;

namespace Cosmos.Drivers.Virtio.Spec
{
    // Device byte order. Every multi-byte field a virtio 1.x device reads or writes is little-endian (virtio 1.2
    // §1.4: le16, le32, le64); the legacy interface uses the guest's order, which on x86-64, the only machine this
    // kernel runs on, is the same. These wrappers give such fields a type of their own, so a device field cannot be
    // used as a number by mistake: code converts at the boundary with Value. On a little-endian CPU the stored
    // bits are the value (a host test checks the byte layout); a big-endian port would swap in Value.

    /// <summary>le16: a 16-bit field in device (little-endian) byte order.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 2)]
    public struct Le16
    {
        private ushort _stored;
        public ushort Value { get => _stored; set => _stored = value; }
        public static Le16 Of(ushort value) => new() { _stored = value };
        /// <summary>A read the compiler may not cache or move (a field the device writes).</summary>
        public ushort ReadVolatile() => Volatile.Read(ref _stored);
        /// <summary>A write the compiler may not drop or move (a field the device reads).</summary>
        public void WriteVolatile(ushort value) => Volatile.Write(ref _stored, value);
    }

    /// <summary>le32: a 32-bit field in device (little-endian) byte order.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 4)]
    public struct Le32
    {
        private uint _stored;
        public uint Value { get => _stored; set => _stored = value; }
        public static Le32 Of(uint value) => new() { _stored = value };
    }

    /// <summary>le64: a 64-bit field in device (little-endian) byte order.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 8)]
    public struct Le64
    {
        private ulong _stored;
        public ulong Value { get => _stored; set => _stored = value; }
        public static Le64 Of(ulong value) => new() { _stored = value };
    }
}
