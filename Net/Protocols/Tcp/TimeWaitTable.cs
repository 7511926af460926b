using Cosmos.Net.Wire;

namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// Connections in TIME-WAIT (RFC 9293 §3.6), kept as a few numbers each instead of a connection slot and its
    /// buffers: the 4-tuple, the sequence numbers and timestamp state needed to answer a retransmitted FIN and to
    /// judge a new SYN for the same 4-tuple (RFC 6191), and when the entry expires. A fixed table; when it is full
    /// the entry closest to expiry is given up early (and counted), as Linux does past tcp_max_tw_buckets.
    /// </summary>
    public sealed class TimeWaitTable
    {
        public struct Entry
        {
            public uint RemoteAddress;
            public ushort RemotePort, LocalPort;
            /// <summary>Our SND.NXT (after our FIN) and RCV.NXT (after theirs) when the connection entered TIME-WAIT.</summary>
            public uint SndNxt, RcvNxt;
            public bool HasTimestamps;
            /// <summary>TS.Recent (the peer's last timestamp) and our timestamp offset, to answer with the right TSval/TSecr.</summary>
            public uint TsRecent, TsOffset;
            public ushort Window;
            public long ExpiresMs;
            public bool Used;
        }

        private readonly Entry[] _entries;
        private readonly FourTupleIndex _index;
        private readonly int[] _free;
        private int _freeCount;

        /// <summary>Entries ended before their time because the table was full.</summary>
        public long Evicted;
        public long Added;

        public TimeWaitTable(int capacity)
        {
            _entries = new Entry[capacity];
            _index = new FourTupleIndex(capacity, capacity);
            _free = new int[capacity];
            for (int i = 0; i < capacity; i++) _free[i] = capacity - 1 - i;
            _freeCount = capacity;
        }

        public int Capacity => _entries.Length;
        public int Count => _entries.Length - _freeCount;

        public void SetKey(uint key)
        {
            _index.SetKey(key);
            for (int i = 0; i < _entries.Length; i++)
                if (_entries[i].Used) _index.Add(i, _entries[i].RemoteAddress, _entries[i].RemotePort, _entries[i].LocalPort);
        }

        public ref Entry this[int id] => ref _entries[id];

        public int Find(Ipv4Address remote, ushort remotePort, ushort localPort) => _index.Find(remote.Value, remotePort, localPort);

        /// <summary>Adds an entry (replacing one for the same 4-tuple; evicting the soonest to expire when full); returns its id.</summary>
        public int Add(in Entry entry)
        {
            int id = _index.Find(entry.RemoteAddress, entry.RemotePort, entry.LocalPort);
            if (id < 0)
            {
                if (_freeCount == 0)
                {
                    int soonest = 0;
                    for (int i = 1; i < _entries.Length; i++) if (_entries[i].ExpiresMs < _entries[soonest].ExpiresMs) soonest = i;
                    Remove(soonest);
                    Evicted++;
                }
                id = _free[--_freeCount];
            }
            _entries[id] = entry;
            _entries[id].Used = true;
            _index.Add(id, entry.RemoteAddress, entry.RemotePort, entry.LocalPort);
            Added++;
            return id;
        }

        public void Remove(int id)
        {
            if (!_entries[id].Used) return;
            _entries[id].Used = false;
            _index.Remove(id);
            _free[_freeCount++] = id;
        }

        /// <summary>Ends the entries whose time has come; returns how many.</summary>
        public int Expire(long nowMs)
        {
            int n = 0;
            for (int i = 0; i < _entries.Length; i++)
                if (_entries[i].Used && _entries[i].ExpiresMs <= nowMs) { Remove(i); n++; }
            return n;
        }

        /// <summary>
        /// RFC 6191 §2: may a SYN (<paramref name="sequence"/>, <paramref name="options"/>) open a new incarnation of
        /// a 4-tuple in TIME-WAIT? With timestamps on both incarnations, when its TSval is newer than TS.Recent (or
        /// equal, with a higher sequence number); otherwise when its sequence number is above the old RCV.NXT.
        /// Else the SYN is an old duplicate and is dropped.
        /// </summary>
        public static bool AcceptsNewIncarnation(in Entry entry, uint sequence, in TcpOptions options, bool timestampsEnabled)
        {
            bool newTimestamps = timestampsEnabled && options.HasTimestamps;
            if (entry.HasTimestamps && newTimestamps)
            {
                if (Seq.Gt(options.TsVal, entry.TsRecent)) return true;
                return options.TsVal == entry.TsRecent && Seq.Ge(sequence, entry.RcvNxt);
            }
            return Seq.Ge(sequence, entry.RcvNxt);
        }

        /// <summary>The ISN for the new incarnation: RFC 6528's, unless that is not safely past the old SND.NXT (then SND.NXT + 2^16 + 1, as Linux).</summary>
        public static uint IsnForNewIncarnation(in Entry entry, uint proposed)
        {
            uint floor = entry.SndNxt + 65537;
            return Seq.Lt(proposed, floor) ? floor : proposed;
        }
    }
}
