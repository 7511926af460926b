namespace Cosmos.Drivers.Virtio.Queues
{
    /// <summary>One piece of a buffer handed to the device: guest-physical address, length, direction.</summary>
    public struct BufferSegment
    {
        public ulong Physical;
        public uint Length;
        /// <summary>True when the device writes it (receive buffers); false when it reads it.</summary>
        public bool DeviceWritable;

        public BufferSegment(ulong physical, uint length, bool deviceWritable)
        {
            Physical = physical;
            Length = length;
            DeviceWritable = deviceWritable;
        }
    }
}
