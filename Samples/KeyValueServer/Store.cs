using System;
using System.Collections.Generic;

namespace KeyValueServer
{
    /// <summary>One key's value: a string (bytes) or a list, and when it expires (milliseconds of TickCount64; 0: never).</summary>
    public sealed class Entry
    {
        public byte[] Text;
        public Deque<byte[]> List;
        public long ExpiresAtMs;
    }

    /// <summary>The keyspace. Expired keys vanish when touched (Redis's lazy expiry) and in each Count.</summary>
    public sealed class Store
    {
        private readonly Dictionary<string, Entry> _entries = new Dictionary<string, Entry>();

        public static long NowMs => Environment.TickCount64;

        public Entry Find(string key)
        {
            if (!_entries.TryGetValue(key, out Entry entry)) return null;
            if (entry.ExpiresAtMs != 0 && entry.ExpiresAtMs <= NowMs)
            {
                _entries.Remove(key);
                return null;
            }
            return entry;
        }

        public void Set(string key, Entry entry) => _entries[key] = entry;

        public bool Remove(string key) => Find(key) != null && _entries.Remove(key);

        public void Clear() => _entries.Clear();

        public int Count
        {
            get
            {
                var expired = new List<string>();
                long now = NowMs;
                foreach (KeyValuePair<string, Entry> pair in _entries)
                    if (pair.Value.ExpiresAtMs != 0 && pair.Value.ExpiresAtMs <= now) expired.Add(pair.Key);
                foreach (string key in expired) _entries.Remove(key);
                return _entries.Count;
            }
        }
    }
}
