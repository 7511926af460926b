using System;
using System.Collections.Generic;
using System.Text;

namespace KeyValueServer
{
    /// <summary>
    /// The commands, with Redis's replies and error texts: strings (GET, SET with EX/PX/NX/XX, MSET, MGET, INCR, DECR,
    /// INCRBY, DECRBY, APPEND, STRLEN), keys (DEL, EXISTS, EXPIRE, PEXPIRE, TTL, PTTL, DBSIZE, FLUSHALL, FLUSHDB), lists
    /// (LPUSH, RPUSH, LPOP, RPOP, LLEN, LRANGE), and what clients send on connecting (PING, ECHO, SELECT 0, CONFIG GET,
    /// COMMAND, CLIENT, INFO, QUIT).
    /// </summary>
    public sealed class Commands
    {
        private const string WrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
        private const string NotInteger = "ERR value is not an integer or out of range";
        private readonly Store _store;
        /// <summary>Every command name below, the most frequent first: matched without allocating.</summary>
        private static readonly string[] Names = { "GET", "SET", "PING", "ECHO", "QUIT", "SELECT", "MSET", "MGET", "INCR", "DECR", "INCRBY", "DECRBY", "APPEND", "STRLEN", "DEL", "UNLINK", "EXISTS", "EXPIRE", "PEXPIRE", "TTL", "PTTL", "DBSIZE", "FLUSHALL", "FLUSHDB", "LPUSH", "RPUSH", "LPOP", "RPOP", "LLEN", "LRANGE", "CONFIG", "COMMAND", "CLIENT", "INFO" };
        private static readonly string[] SetOptions = { "EX", "PX", "NX", "XX" };

        public Commands(Store store) { _store = store; }

        public Store Store => _store;

        /// <summary>Runs one command, writing its reply; false when the client asked to quit.</summary>
        public bool Execute(Arguments a, RespWriter w)
        {
            if (a.Count == 0) return true;
            string name = a.Upper(0, Names);
            switch (name)
            {
                case "PING":
                    if (a.Count == 1) w.Simple("PONG"); else if (a.Count == 2) w.Bulk(a.Span(1)); else Arity(w, name);
                    return true;
                case "ECHO": if (Need(a, 2, w, name)) w.Bulk(a.Span(1)); return true;
                case "QUIT": w.Simple("OK"); return false;
                case "SELECT":
                    if (!Need(a, 2, w, name)) return true;
                    if (a.Text(1) == "0") w.Simple("OK"); else w.Error("ERR DB index is out of range");
                    return true;
                case "SET": Set(a, w); return true;
                case "GET":
                    if (!Need(a, 2, w, name)) return true;
                    {
                        Entry e = _store.Find(a.Key(1));
                        if (e == null) w.Nil(); else if (e.Text == null) w.Error(WrongType); else w.Bulk(e.Text);
                    }
                    return true;
                case "MSET":
                    if (a.Count < 3 || a.Count % 2 == 0) { Arity(w, name); return true; }
                    for (int i = 1; i < a.Count; i += 2) _store.Set(a.Key(i), new Entry { Text = a.ToArray(i + 1) });
                    w.Simple("OK");
                    return true;
                case "MGET":
                    if (a.Count < 2) { Arity(w, name); return true; }
                    w.ArrayHeader(a.Count - 1);
                    for (int i = 1; i < a.Count; i++)
                    {
                        Entry e = _store.Find(a.Key(i));
                        if (e == null || e.Text == null) w.Nil(); else w.Bulk(e.Text);
                    }
                    return true;
                case "INCR": if (Need(a, 2, w, name)) Add(a, 1, w); return true;
                case "DECR": if (Need(a, 2, w, name)) Add(a, -1, w); return true;
                case "INCRBY":
                case "DECRBY":
                    if (!Need(a, 3, w, name)) return true;
                    if (!long.TryParse(a.Text(2), out long by)) { w.Error(NotInteger); return true; }
                    Add(a, name == "INCRBY" ? by : -by, w);
                    return true;
                case "APPEND":
                    if (!Need(a, 3, w, name)) return true;
                    {
                        string key = a.Key(1);
                        Entry e = _store.Find(key);
                        if (e != null && e.Text == null) { w.Error(WrongType); return true; }
                        byte[] old = e?.Text ?? new byte[0];
                        var joined = new byte[old.Length + a.Length(2)];
                        Array.Copy(old, joined, old.Length);
                        a.Span(2).CopyTo(joined.AsSpan(old.Length));
                        if (e == null) _store.Set(key, new Entry { Text = joined }); else e.Text = joined;
                        w.Integer(joined.Length);
                    }
                    return true;
                case "STRLEN":
                    if (!Need(a, 2, w, name)) return true;
                    {
                        Entry e = _store.Find(a.Key(1));
                        if (e != null && e.Text == null) w.Error(WrongType); else w.Integer(e?.Text.Length ?? 0);
                    }
                    return true;
                case "DEL":
                case "UNLINK":
                case "EXISTS":
                    if (a.Count < 2) { Arity(w, name); return true; }
                    {
                        int n = 0;
                        for (int i = 1; i < a.Count; i++)
                            if (name == "EXISTS" ? _store.Find(a.Key(i)) != null : _store.Remove(a.Key(i))) n++;
                        w.Integer(n);
                    }
                    return true;
                case "EXPIRE":
                case "PEXPIRE":
                    if (!Need(a, 3, w, name)) return true;
                    {
                        if (!long.TryParse(a.Text(2), out long amount)) { w.Error(NotInteger); return true; }
                        string key = a.Key(1);
                        Entry e = _store.Find(key);
                        if (e == null) { w.Integer(0); return true; }
                        long ms = name == "EXPIRE" ? amount * 1000 : amount;
                        if (ms <= 0) _store.Remove(key); else e.ExpiresAtMs = Store.NowMs + ms;
                        w.Integer(1);
                    }
                    return true;
                case "TTL":
                case "PTTL":
                    if (!Need(a, 2, w, name)) return true;
                    {
                        Entry e = _store.Find(a.Key(1));
                        if (e == null) w.Integer(-2);
                        else if (e.ExpiresAtMs == 0) w.Integer(-1);
                        else
                        {
                            long left = e.ExpiresAtMs - Store.NowMs;
                            w.Integer(name == "PTTL" ? left : (left + 500) / 1000);
                        }
                    }
                    return true;
                case "DBSIZE": w.Integer(_store.Count); return true;
                case "FLUSHALL":
                case "FLUSHDB": _store.Clear(); w.Simple("OK"); return true;
                case "LPUSH":
                case "RPUSH":
                    if (a.Count < 3) { Arity(w, name); return true; }
                    {
                        string key = a.Key(1);
                        Entry e = _store.Find(key);
                        if (e != null && e.List == null) { w.Error(WrongType); return true; }
                        if (e == null) _store.Set(key, e = new Entry { List = new Deque<byte[]>() });
                        for (int i = 2; i < a.Count; i++) { if (name == "LPUSH") e.List.PushFront(a.ToArray(i)); else e.List.PushBack(a.ToArray(i)); }
                        w.Integer(e.List.Count);
                    }
                    return true;
                case "LPOP":
                case "RPOP":
                    if (a.Count != 2 && a.Count != 3) { Arity(w, name); return true; }
                    {
                        string key = a.Key(1);
                        Entry e = _store.Find(key);
                        if (e != null && e.List == null) { w.Error(WrongType); return true; }
                        if (a.Count == 3)
                        {
                            if (!int.TryParse(a.Text(2), out int count) || count < 0) { w.Error("ERR value is out of range, must be positive"); return true; }
                            if (e == null) { w.NilArray(); return true; }
                            int n = Math.Min(count, e.List.Count);
                            w.ArrayHeader(n);
                            for (int i = 0; i < n; i++) w.Bulk(name == "LPOP" ? e.List.PopFront() : e.List.PopBack());
                        }
                        else if (e == null) w.Nil();
                        else w.Bulk(name == "LPOP" ? e.List.PopFront() : e.List.PopBack());
                        if (e != null && e.List.Count == 0) _store.Remove(key);
                    }
                    return true;
                case "LLEN":
                    if (!Need(a, 2, w, name)) return true;
                    {
                        Entry e = _store.Find(a.Key(1));
                        if (e != null && e.List == null) w.Error(WrongType); else w.Integer(e?.List.Count ?? 0);
                    }
                    return true;
                case "LRANGE":
                    if (!Need(a, 4, w, name)) return true;
                    {
                        if (!int.TryParse(a.Text(2), out int start) || !int.TryParse(a.Text(3), out int stop)) { w.Error(NotInteger); return true; }
                        Entry e = _store.Find(a.Key(1));
                        if (e != null && e.List == null) { w.Error(WrongType); return true; }
                        int count = e?.List.Count ?? 0;
                        if (start < 0) start = Math.Max(0, count + start);
                        if (stop < 0) stop = count + stop;
                        if (stop >= count) stop = count - 1;
                        int n = start > stop ? 0 : stop - start + 1;
                        w.ArrayHeader(n);
                        for (int i = 0; i < n; i++) w.Bulk(e.List[start + i]);
                    }
                    return true;
                case "CONFIG":
                    // redis-benchmark asks CONFIG GET save and appendonly first; nothing is saved here.
                    if (a.Count == 3 && a.Is(1, "GET"))
                    {
                        string parameter = a.Text(2).ToLowerInvariant();
                        if (parameter == "save") { w.ArrayHeader(2); w.Bulk("save"); w.Bulk(""); }
                        else if (parameter == "appendonly") { w.ArrayHeader(2); w.Bulk("appendonly"); w.Bulk("no"); }
                        else w.ArrayHeader(0);
                    }
                    else w.Error("ERR CONFIG: only CONFIG GET is supported");
                    return true;
                case "COMMAND": w.ArrayHeader(0); return true;
                case "CLIENT": w.Simple("OK"); return true;
                case "INFO": w.Bulk("# Server\r\nredis_version:7.0.0\r\nredis_mode:standalone\r\n# Keyspace\r\ndb0:keys=" + _store.Count + "\r\n"); return true;
                default:
                    w.Error("ERR unknown command '" + a.Text(0) + "'");
                    return true;
            }
        }

        private void Set(Arguments a, RespWriter w)
        {
            if (a.Count < 3) { Arity(w, "SET"); return; }
            long expiresAt = 0;
            bool nx = false, xx = false;
            for (int i = 3; i < a.Count; i++)
            {
                string option = a.Upper(i, SetOptions);
                if ((option == "EX" || option == "PX") && i + 1 < a.Count)
                {
                    if (!long.TryParse(a.Text(++i), out long amount) || amount <= 0) { w.Error("ERR invalid expire time in 'set' command"); return; }
                    expiresAt = Store.NowMs + (option == "EX" ? amount * 1000 : amount);
                }
                else if (option == "NX") nx = true;
                else if (option == "XX") xx = true;
                else { w.Error("ERR syntax error"); return; }
            }
            if (nx && xx) { w.Error("ERR syntax error"); return; }
            string key = a.Key(1);
            Entry existing = _store.Find(key);
            if ((nx && existing != null) || (xx && existing == null)) { w.Nil(); return; }
            // A string key's entry takes the new value in place; anything else gets a new entry (SET replaces a list).
            if (existing != null && existing.List == null) { existing.Text = a.ToArray(2); existing.ExpiresAtMs = expiresAt; }
            else _store.Set(key, new Entry { Text = a.ToArray(2), ExpiresAtMs = expiresAt });
            w.Simple("OK");
        }

        private void Add(Arguments a, long delta, RespWriter w)
        {
            string key = a.Key(1);
            Entry e = _store.Find(key);
            if (e != null && e.Text == null) { w.Error(WrongType); return; }
            long value = 0;
            if (e != null && !long.TryParse(Text(e.Text), out value)) { w.Error(NotInteger); return; }
            value += delta;
            byte[] text = Encoding.ASCII.GetBytes(value.ToString());
            if (e == null) _store.Set(key, new Entry { Text = text }); else e.Text = text;
            w.Integer(value);
        }

        private static bool Need(Arguments a, int count, RespWriter w, string name)
        {
            if (a.Count == count) return true;
            Arity(w, name);
            return false;
        }

        private static void Arity(RespWriter w, string name) =>
            w.Error("ERR wrong number of arguments for '" + name.ToLowerInvariant() + "' command");

        private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
    }
}
