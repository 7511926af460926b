using Cosmos.Hal.Network;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Interface
{
    /// <summary>IPv4 to Ethernet address mappings learned by ARP (RFC 826), each valid for a limited time.</summary>
    public sealed class ArpCache
    {
        public const int Capacity = 32;
        public const long LifetimeMs = 60_000;

        private struct Entry
        {
            public Ipv4Address Address;
            public MacAddress Mac;
            public long ExpiresMs;
            public bool Valid;
        }

        private readonly Entry[] _entries = new Entry[Capacity];
        public int Count { get; private set; }

        public bool TryGet(Ipv4Address address, long nowMs, out MacAddress mac)
        {
            for (int i = 0; i < Capacity; i++)
            {
                ref Entry e = ref _entries[i];
                if (!e.Valid || e.Address != address) continue;
                if (e.ExpiresMs <= nowMs) { e.Valid = false; Count--; break; }
                mac = e.Mac;
                return true;
            }
            mac = default;
            return false;
        }

        /// <summary>Adds or refreshes a mapping; when full, the entry closest to expiry makes room.</summary>
        public void Update(Ipv4Address address, MacAddress mac, long nowMs)
        {
            int free = -1, oldest = 0;
            for (int i = 0; i < Capacity; i++)
            {
                ref Entry e = ref _entries[i];
                if (e.Valid && e.Address == address)
                {
                    e.Mac = mac;
                    e.ExpiresMs = nowMs + LifetimeMs;
                    return;
                }
                if (!e.Valid && free < 0) free = i;
                if (_entries[i].ExpiresMs < _entries[oldest].ExpiresMs) oldest = i;
            }
            int slot = free >= 0 ? free : oldest;
            if (!_entries[slot].Valid) Count++;
            _entries[slot] = new Entry { Address = address, Mac = mac, ExpiresMs = nowMs + LifetimeMs, Valid = true };
        }

        /// <summary>Drops expired entries (called from the stack's timer).</summary>
        public void Expire(long nowMs)
        {
            for (int i = 0; i < Capacity; i++)
            {
                if (_entries[i].Valid && _entries[i].ExpiresMs <= nowMs)
                {
                    _entries[i].Valid = false;
                    Count--;
                }
            }
        }

        public void Clear()
        {
            for (int i = 0; i < Capacity; i++) _entries[i].Valid = false;
            Count = 0;
        }
    }
}
