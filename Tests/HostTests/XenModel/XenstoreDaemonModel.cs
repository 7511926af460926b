using System.Buffers.Binary;
using System.Text;

namespace Cosmos.HostTests.XenModel;

/// <summary>
/// A xenstored for one guest, over the ring page of io/xs_wire.h (own offsets: req at 0, rsp at 1024,
/// req_cons/req_prod at 2048/2052, rsp_cons/rsp_prod at 2056/2060). It keeps a tree of nodes, runs
/// XS_READ / WRITE / DIRECTORY / RM / MKDIR / WATCH / UNWATCH / TRANSACTION_START / TRANSACTION_END as
/// docs/misc/xenstore.txt describes (relative paths under /local/domain/1, watches fire once when set and
/// on every change at or below their path, transactions fail with EAGAIN when a node they touched changed
/// meanwhile), and can misbehave on request.
/// </summary>
public sealed unsafe class XenstoreDaemonModel : IModelPart
{
    private readonly HypervisorModel _xen;
    private readonly byte* _ring;
    public readonly uint GuestPort;
    public readonly ulong RingFrame;
    private readonly List<byte> _incoming = new();
    private readonly Queue<byte> _outgoing = new();

    private sealed class Node { public string Value = ""; public long Modified; }
    private readonly SortedDictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private long _generation;
    private readonly List<(string Path, string Token, string Registered)> _watches = new();

    private sealed class Transaction
    {
        public long StartGeneration;
        public readonly Dictionary<string, string?> Writes = new(); // null: removed
        public readonly HashSet<string> Touched = new();
    }
    private readonly Dictionary<uint, Transaction> _transactions = new();
    private uint _nextTransaction = 1;

    // Hostile and test knobs.
    public int ForceEagainCommits;
    public bool SendStaleReplyFirst;
    public bool SendOversizedReply;
    public bool Silent;
    public int Requests, Commits, EagainsSent;
    public readonly List<string> RequestLog = new();

    public string Home => $"/local/domain/{HypervisorModel.GuestDomain}";

    public XenstoreDaemonModel(HypervisorModel xen)
    {
        _xen = xen;
        var page = xen.Memory.Allocate(4096, 4096);
        _ring = page.Virtual;
        RingFrame = page.Physical >> 12;
        GuestPort = xen.CreateBoundPort(() => { });  // the model reads the ring at every Pump, kicked or not
        xen.HvmParams[1] = RingFrame;  // HVM_PARAM_STORE_PFN
        xen.HvmParams[2] = GuestPort;  // HVM_PARAM_STORE_EVTCHN
        xen.Parts.Add(this);
        Set($"{Home}/domid", HypervisorModel.GuestDomain.ToString());
        Set($"{Home}/name", "cosmos-model");
    }

    // ---- direct access for the model's other parts and the tests ----
    public void Set(string path, string value)
    {
        Commit(path, value);
    }

    public string? Get(string path) => _nodes.TryGetValue(Absolute(path), out var n) ? n.Value : null;
    public void Remove(string path) => Commit(path, null);
    public IEnumerable<string> Paths => _nodes.Keys;

    private string Absolute(string path) => path.StartsWith('/') ? path : $"{Home}/{path}";

    private void Commit(string path, string? value)
    {
        path = Absolute(path);
        _generation++;
        if (value == null)
        {
            foreach (var key in _nodes.Keys.Where(k => k == path || k.StartsWith(path + "/")).ToList()) _nodes.Remove(key);
        }
        else
        {
            // Writing a node creates its missing parents with empty values (xenstore.txt, WRITE).
            for (int slash = path.IndexOf('/', 1); slash > 0; slash = path.IndexOf('/', slash + 1))
                if (!_nodes.ContainsKey(path[..slash])) _nodes[path[..slash]] = new Node { Modified = _generation };
            _nodes[path] = new Node { Value = value, Modified = _generation };
        }
        FireWatches(path);
    }

    private void FireWatches(string path)
    {
        foreach (var (watched, token, registered) in _watches)
            if (path == watched || path.StartsWith(watched + "/") || watched.StartsWith(path + "/"))
                Queue(15, 0, 0, Payload(Relative(path, registered), token, terminate: true));
    }

    /// <summary>A watch set with a relative path reports relative paths (xenstore.txt, WATCH_EVENT).</summary>
    private string Relative(string absolute, string registered) =>
        registered.StartsWith('/') || !absolute.StartsWith(Home + "/") ? absolute : absolute[(Home.Length + 1)..];

    // ---- the ring ----
    public bool Run()
    {
        bool progress = false;
        uint consumer = Volatile.Read(ref *(uint*)(_ring + 2048)), producer = Volatile.Read(ref *(uint*)(_ring + 2052));
        if (producer - consumer > 1024) throw new InvalidOperationException("guest's request ring indices are out of range");
        if (!Silent && producer != consumer)
        {
            for (uint i = consumer; i != producer; i++) _incoming.Add(_ring[i & 1023]);
            Volatile.Write(ref *(uint*)(_ring + 2048), producer);
            progress = true;
            while (_incoming.Count >= 16)
            {
                var header = _incoming.GetRange(0, 16).ToArray();
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
                if (length > 4096) throw new InvalidOperationException("guest sent a request longer than XENSTORE_PAYLOAD_MAX");
                if (_incoming.Count < 16 + length) break;
                var payload = _incoming.GetRange(16, length).ToArray();
                _incoming.RemoveRange(0, 16 + length);
                Handle(BinaryPrimitives.ReadUInt32LittleEndian(header), BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)),
                       BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)), payload);
            }
        }
        progress |= FlushOutgoing();
        return progress;
    }

    private bool FlushOutgoing()
    {
        if (_outgoing.Count == 0) return false;
        uint consumer = Volatile.Read(ref *(uint*)(_ring + 2056)), producer = Volatile.Read(ref *(uint*)(_ring + 2060));
        int space = 1024 - (int)(producer - consumer);
        int n = 0;
        while (n < space && _outgoing.Count > 0) _ring[1024 + ((producer + (uint)n++) & 1023)] = _outgoing.Dequeue();
        if (n == 0) return false;
        Thread.MemoryBarrier();
        Volatile.Write(ref *(uint*)(_ring + 2060), producer + (uint)n);
        _xen.NotifyGuest(GuestPort);
        return true;
    }

    private void Queue(uint type, uint id, uint transaction, byte[] payload)
    {
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(header, type);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], id);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], transaction);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)payload.Length);
        foreach (byte b in header) _outgoing.Enqueue(b);
        foreach (byte b in payload) _outgoing.Enqueue(b);
    }

    private static byte[] Payload(string a, string? b = null, bool terminate = false)
    {
        var text = b == null ? a + "\0" : a + "\0" + b + (terminate ? "\0" : "");
        return Encoding.ASCII.GetBytes(text);
    }

    private void Reply(uint type, uint id, uint tx, byte[] payload)
    {
        if (SendStaleReplyFirst)
        {
            SendStaleReplyFirst = false;
            Queue(type, id - 1, tx, Payload("stale"));
        }
        if (SendOversizedReply)
        {
            SendOversizedReply = false;
            Queue(type, id, tx, new byte[0]);
            // Overwrite the length just queued with one past XENSTORE_PAYLOAD_MAX.
            var all = _outgoing.ToArray();
            BinaryPrimitives.WriteUInt32LittleEndian(all.AsSpan(all.Length - 4), 5000);
            _outgoing.Clear();
            foreach (byte b in all) _outgoing.Enqueue(b);
            return;
        }
        Queue(type, id, tx, payload);
    }

    private void Error(uint id, uint tx, string name) => Reply(16, id, tx, Payload(name));

    private void Handle(uint type, uint id, uint tx, byte[] payload)
    {
        Requests++;
        var parts = Encoding.ASCII.GetString(payload).Split('\0');
        RequestLog.Add($"{type}:{string.Join("|", parts)}");
        Transaction? t = null;
        if (tx != 0 && !_transactions.TryGetValue(tx, out t)) { Error(id, tx, "ENOENT"); return; }
        switch (type)
        {
            case 2: // READ
            {
                if (payload.Length == 0 || payload[^1] != 0) { Error(id, tx, "EINVAL"); return; }
                string path = Absolute(parts[0]);
                t?.Touched.Add(path);
                string? value = t != null && t.Writes.TryGetValue(path, out var w) ? w : Get(path);
                if (value == null) Error(id, tx, "ENOENT"); else Reply(2, id, tx, Encoding.ASCII.GetBytes(value));
                return;
            }
            case 11: // WRITE "path\0value"
            {
                int nul = Array.IndexOf(payload, (byte)0);
                if (nul < 0) { Error(id, tx, "EINVAL"); return; }
                string path = Absolute(Encoding.ASCII.GetString(payload, 0, nul));
                string value = Encoding.ASCII.GetString(payload, nul + 1, payload.Length - nul - 1);
                if (t != null) { t.Writes[path] = value; t.Touched.Add(path); } else Commit(path, value);
                Reply(11, id, tx, Payload("OK"));
                return;
            }
            case 1: // DIRECTORY
            {
                string path = Absolute(parts[0]);
                if (Get(path) == null) { Error(id, tx, "ENOENT"); return; }
                var children = _nodes.Keys.Where(k => k.StartsWith(path + "/") && k.IndexOf('/', path.Length + 1) < 0)
                                          .Select(k => k[(path.Length + 1)..] + "\0");
                Reply(1, id, tx, Encoding.ASCII.GetBytes(string.Concat(children)));
                return;
            }
            case 13: // RM
            {
                string path = Absolute(parts[0]);
                if (Get(path) == null) { Error(id, tx, "ENOENT"); return; }
                if (t != null) { t.Writes[path] = null; t.Touched.Add(path); } else Commit(path, null);
                Reply(13, id, tx, Payload("OK"));
                return;
            }
            case 4: // WATCH "path\0token\0"
            {
                if (parts.Length < 2) { Error(id, tx, "EINVAL"); return; }
                string path = Absolute(parts[0]);
                _watches.Add((path, parts[1], parts[0]));
                Reply(4, id, tx, Payload("OK"));
                Queue(15, 0, 0, Payload(parts[0], parts[1], terminate: true)); // fires once when set
                return;
            }
            case 5: // UNWATCH
            {
                string path = Absolute(parts[0]);
                int removed = _watches.RemoveAll(w => w.Path == path && w.Token == parts[1]);
                if (removed == 0) Error(id, tx, "ENOENT"); else Reply(5, id, tx, Payload("OK"));
                return;
            }
            case 6: // TRANSACTION_START
            {
                uint newId = _nextTransaction++;
                _transactions[newId] = new Transaction { StartGeneration = _generation };
                Reply(6, id, 0, Payload(newId.ToString()));
                return;
            }
            case 7: // TRANSACTION_END "T" or "F"
            {
                if (t == null) { Error(id, tx, "EINVAL"); return; }
                _transactions.Remove(tx);
                if (parts[0] == "T")
                {
                    bool conflict = t.Touched.Any(p => _nodes.TryGetValue(p, out var n) && n.Modified > t.StartGeneration);
                    if (ForceEagainCommits > 0) { ForceEagainCommits--; conflict = true; }
                    if (conflict) { EagainsSent++; Error(id, tx, "EAGAIN"); return; }
                    foreach (var (path, value) in t.Writes) Commit(path, value);
                    Commits++;
                }
                Reply(7, id, tx, Payload("OK"));
                return;
            }
            default:
                Error(id, tx, "EINVAL");
                return;
        }
    }
}
