using Cosmos.Drivers.VirtioNet.Spec;

namespace Cosmos.Drivers.VirtioNet
{
    /// <summary>
    /// Link state and interrupt bookkeeping (issue 17 items 3 and 4). The device reports its link in the status field of
    /// its configuration space (virtio 1.2 §5.1.4, VIRTIO_NET_S_LINK_UP, valid with VIRTIO_NET_F_STATUS) and announces a
    /// change with a configuration-change notification (§2.5.2 / §4.1.4.5: ISR bit 1 on INTx, the configuration vector on
    /// MSI-X). While the link is down the driver drops what the stack transmits and counts it: nothing would carry the
    /// frames (QEMU's net layer discards what a NIC whose link is down sends, net/net.c), and holding them would only
    /// deliver stale ARP and TCP segments after the link returns, where the stack's own retransmission does better.
    /// </summary>
    public sealed unsafe partial class VirtioNetDevice
    {
        /// <summary>Changes of the link bit seen through configuration-change notifications since start-up.</summary>
        public long LinkChanges { get; private set; }
        /// <summary>Configuration-change notifications taken (whatever changed).</summary>
        public long ConfigurationChanges { get; private set; }
        /// <summary>
        /// Queue interrupts that found no work: neither queue had a used entry the driver had not taken, and the
        /// configuration had not changed. A device may raise them (spuriously, or late for work the driver already took
        /// by polling); the driver must stay correct, and this counts them.
        /// </summary>
        public long EmptyInterrupts { get; private set; }
        /// <summary>Frames the stack transmitted while the link was down, dropped by the driver.</summary>
        public long TxDroppedLinkDown { get; private set; }

        /// <summary>Re-reads the configuration after a configuration-change notification and counts a change of the link bit.</summary>
        private void OnConfigurationChange()
        {
            bool wasUp = _linkUp;
            ConfigurationChanges++;
            ReadConfiguration();
            if (_linkUp != wasUp) LinkChanges++;
        }

        /// <summary>A queue interrupt (MSI-X message, or ISR bit 0) with nothing new in either used ring.</summary>
        private void CountIfEmpty()
        {
            if (_rx == null || _tx == null) return;
            if (!_rx.HasUsed && !_tx.HasUsed) EmptyInterrupts++;
        }

        /// <summary>True when the frame must be dropped because the link is down (counted); the caller frees the buffer.</summary>
        private bool DropForLinkDown()
        {
            if (_linkUp || !Has(NetFeatures.Status)) return false;
            TxDroppedLinkDown++;
            return true;
        }
    }
}
