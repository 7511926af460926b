namespace Cosmos.Drivers.Virtio.Transport
{
    /// <summary>
    /// How a virtio driver talks to its device, whatever the bus interface (virtio 1.2 §4.1 for PCI): feature
    /// negotiation, the status byte, queue set-up, notification, the ISR and the device-specific configuration.
    /// </summary>
    public interface IVirtioTransport
    {
        /// <summary>"legacy" or "modern", for the boot log.</summary>
        string Name { get; }
        bool IsModern { get; }

        /// <summary>All 64 device feature bits (the legacy interface has only bits 0-31).</summary>
        ulong ReadDeviceFeatures();
        void WriteDriverFeatures(ulong features);

        byte ReadStatus();
        void WriteStatus(byte status);

        /// <summary>Writes 0 to the status and waits (bounded) until the device reads back 0 (§2.4). False if it never does.</summary>
        bool Reset();

        /// <summary>Largest size the device allows for the queue; 0 if the queue does not exist.</summary>
        ushort QueueMaxSize(ushort queue);
        /// <summary>True when the queue's size is the device's, not the driver's choice (legacy QUEUE_NUM).</summary>
        bool QueueSizeIsFixed { get; }
        /// <summary>True when the three ring parts must form the legacy contiguous layout (QUEUE_PFN).</summary>
        bool RequiresLegacyRingLayout { get; }

        /// <summary>Gives the device a queue's rings (guest-physical addresses) and enables it.</summary>
        bool ActivateQueue(ushort queue, ushort size, ulong descriptorTable, ulong driverArea, ulong deviceArea, ushort msixVector);

        /// <summary>Routes configuration-change interrupts to an MSI-X table entry; false if the device refuses (§4.1.5.1.2).</summary>
        bool SetConfigVector(ushort msixEntry);

        /// <summary>Tells the device there are new available buffers in a queue.</summary>
        void Notify(ushort queue);

        /// <summary>Reads and clears the ISR status (INTx).</summary>
        byte ReadIsr();

        byte ReadConfig8(int offset);
        ushort ReadConfig16(int offset);
        uint ReadConfig32(int offset);
        /// <summary>Changes whenever the device-specific configuration changes (§2.5.1); the legacy interface has none (0).</summary>
        byte ConfigGeneration();
    }
}
