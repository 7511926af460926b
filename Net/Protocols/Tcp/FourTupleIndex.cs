namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// A hash index from (remote address, remote port, local port) to a small integer id (a connection slot, a
    /// TIME-WAIT entry): chained through fixed arrays, so finding a connection costs a bucket walk, not a scan of
    /// every slot. The hash is keyed (a secret mixed in) so a peer cannot aim many 4-tuples at one chain.
    /// The local address is the interface's one address, so it is not part of the key.
    /// </summary>
    public sealed class FourTupleIndex
    {
        private readonly int[] _bucketHead;   // id + 1, 0 = empty
        private readonly int[] _next;         // id + 1 of the next in the chain
        private readonly uint[] _address;
        private readonly uint[] _ports;       // remote << 16 | local
        private readonly bool[] _present;
        private readonly int _mask;
        private uint _key;

        public FourTupleIndex(int ids, int buckets)
        {
            int b = 1;
            while (b < buckets) b <<= 1;
            _bucketHead = new int[b];
            _mask = b - 1;
            _next = new int[ids];
            _address = new uint[ids];
            _ports = new uint[ids];
            _present = new bool[ids];
        }

        /// <summary>Changes the hash key; every id must be added again (the buckets are emptied).</summary>
        public void SetKey(uint key)
        {
            _key = key;
            for (int i = 0; i < _bucketHead.Length; i++) _bucketHead[i] = 0;
            for (int i = 0; i < _present.Length; i++) _present[i] = false;
        }

        private int Bucket(uint address, uint ports)
        {
            uint h = (address ^ _key) * 0x9E3779B1u;
            h ^= (ports + _key) * 0x85EBCA77u;
            h ^= h >> 15;
            h *= 0xC2B2AE3Du;
            h ^= h >> 13;
            return (int)(h & (uint)_mask);
        }

        public void Add(int id, uint remoteAddress, ushort remotePort, ushort localPort)
        {
            if (_present[id]) Remove(id);
            uint ports = (uint)remotePort << 16 | localPort;
            int bucket = Bucket(remoteAddress, ports);
            _address[id] = remoteAddress;
            _ports[id] = ports;
            _next[id] = _bucketHead[bucket];
            _bucketHead[bucket] = id + 1;
            _present[id] = true;
        }

        public void Remove(int id)
        {
            if (!_present[id]) return;
            int bucket = Bucket(_address[id], _ports[id]);
            int previous = -1;
            for (int at = _bucketHead[bucket] - 1; at >= 0; previous = at, at = _next[at] - 1)
            {
                if (at != id) continue;
                if (previous < 0) _bucketHead[bucket] = _next[at]; else _next[previous] = _next[at];
                break;
            }
            _present[id] = false;
        }

        /// <summary>The id registered for the tuple, or -1.</summary>
        public int Find(uint remoteAddress, ushort remotePort, ushort localPort)
        {
            uint ports = (uint)remotePort << 16 | localPort;
            for (int at = _bucketHead[Bucket(remoteAddress, ports)] - 1; at >= 0; at = _next[at] - 1)
                if (_address[at] == remoteAddress && _ports[at] == ports) return at;
            return -1;
        }
    }
}
