using System;
using Cosmos.Drivers.Xen.Events;
using Cosmos.Drivers.Xen.Hypervisor;
using Cosmos.Drivers.Xen.Spec;
using Cosmos.Hal.Memory;

namespace Cosmos.Drivers.Xen.Xenstore
{
    /// <summary>
    /// A xenstore client over the shared ring page (io/xs_wire.h, docs/misc/xenstore.txt). One request at a
    /// time: the request (16-byte xsd_sockmsg header, then the payload) is streamed into the 1 KiB request
    /// ring, and the reply streamed out of the response ring; watch events that arrive in between are queued.
    /// Every reply is checked: its request id and type must match, its length must be within
    /// XENSTORE_PAYLOAD_MAX, and the daemon's ring indices must stay within the ring. Waits are bounded.
    /// Results: 0, or a negated errno (the daemon's error string mapped back, or ETIMEDOUT / EIO here).
    /// </summary>
    public sealed unsafe class XenstoreClient
    {
        public const int ETIMEDOUT = 110;
        private const int WatchQueueSize = 64;

        private readonly byte* _ring;
        private readonly uint _port;
        private readonly EventChannels _events;
        private readonly IPlatformWait _wait;
        private readonly byte[] _message = new byte[XenstoreHeader.Size + XenstoreRingLayout.PayloadMax];
        private uint _nextRequestId = 1;
        private readonly string[] _watchPaths = new string[WatchQueueSize];
        private readonly string[] _watchTokens = new string[WatchQueueSize];
        private int _watchHead, _watchCount;
        private bool _broken;

        public int TimeoutMilliseconds { get; set; } = 10_000;
        public long Requests { get; private set; }
        public long StaleReplies { get; private set; }
        public long WatchEventsDropped { get; private set; }
        /// <summary>What went wrong last, for log lines ("ENOENT", "timeout after 10000 ms", ...).</summary>
        public string LastError { get; private set; }
        /// <summary>True once the daemon broke the ring protocol; every request fails from then on.</summary>
        public bool IsBroken => _broken;

        public XenstoreClient(byte* ring, uint port, EventChannels events, IPlatformWait wait)
        {
            _ring = ring;
            _port = port;
            _events = events;
            _wait = wait;
        }

        private uint* Index(int offset) => (uint*)(_ring + offset);

        // ---- the typed operations (xenstore.txt "XS_*") ----

        /// <summary>XS_READ; null on error (<see cref="LastError"/>, <paramref name="error"/> say which).</summary>
        public string Read(string path, out int error, uint transaction = 0)
        {
            error = Request(XenstoreMessage.Read, transaction, path, null, false, out int length);
            return error == 0 ? XenText.Decode(new ReadOnlySpan<byte>(_message, XenstoreHeader.Size, length)) : null;
        }

        public string Read(string path, uint transaction = 0) => Read(path, out _, transaction);

        /// <summary>XS_WRITE: "path\0value", the value without a terminating NUL.</summary>
        public int Write(string path, string value, uint transaction = 0) =>
            Request(XenstoreMessage.Write, transaction, path, value, false, out _);

        public int Remove(string path, uint transaction = 0) => Request(XenstoreMessage.Remove, transaction, path, null, false, out _);

        /// <summary>XS_DIRECTORY: the names of the children, or null on error.</summary>
        public string[] Directory(string path, uint transaction = 0)
        {
            if (Request(XenstoreMessage.Directory, transaction, path, null, false, out int length) != 0) return null;
            var payload = new ReadOnlySpan<byte>(_message, XenstoreHeader.Size, length);
            int count = 0;
            for (int i = 0; i < payload.Length; i++) if (payload[i] == 0) count++;
            var names = new string[count];
            int start = 0, n = 0;
            for (int i = 0; i < payload.Length && n < count; i++)
            {
                if (payload[i] != 0) continue;
                names[n++] = XenText.Decode(payload.Slice(start, i - start));
                start = i + 1;
            }
            return names;
        }

        /// <summary>XS_WATCH "path\0token\0". xenstored fires the watch once at once (xenstore.txt).</summary>
        public int Watch(string path, string token) => Request(XenstoreMessage.Watch, 0, path, token, true, out _);
        public int Unwatch(string path, string token) => Request(XenstoreMessage.Unwatch, 0, path, token, true, out _);

        /// <summary>XS_TRANSACTION_START with an empty argument; the reply is the transaction id in decimal.</summary>
        public int TransactionStart(out uint transaction)
        {
            transaction = 0;
            int result = Request(XenstoreMessage.TransactionStart, 0, "", null, false, out int length);
            if (result != 0) return result;
            var text = XenText.Decode(new ReadOnlySpan<byte>(_message, XenstoreHeader.Size, TrimNul(length)));
            if (!XenText.TryParseUInt(text, out transaction) || transaction == 0) return Fail(-XenErrno.EIO, "transaction id is not a number");
            return 0;
        }

        /// <summary>XS_TRANSACTION_END "T" (commit) or "F" (abort). -EAGAIN means: the store changed, start again.</summary>
        public int TransactionEnd(uint transaction, bool commit) =>
            Request(XenstoreMessage.TransactionEnd, transaction, commit ? "T" : "F", null, false, out _);

        /// <summary>The oldest queued watch event, if any (from replies read so far, or read now without blocking).</summary>
        public bool TryTakeWatchEvent(out string path, out string token)
        {
            path = null;
            token = null;
            if (_watchCount == 0 && !_broken) DrainUnsolicited();
            if (_watchCount == 0) return false;
            path = _watchPaths[_watchHead];
            token = _watchTokens[_watchHead];
            _watchPaths[_watchHead] = null;
            _watchTokens[_watchHead] = null;
            _watchHead = (_watchHead + 1) % WatchQueueSize;
            _watchCount--;
            return true;
        }

        // ---- the wire ----

        /// <summary>
        /// Sends one request and waits for its reply, which is left in _message (payload at offset 16, length
        /// in <paramref name="replyLength"/>). The payload is "first\0second" (second may be null), with a
        /// final NUL when <paramref name="terminate"/> or when there is no second part.
        /// </summary>
        private int Request(XenstoreMessage type, uint transaction, string first, string second, bool terminate, out int replyLength)
        {
            replyLength = 0;
            if (_broken) return Fail(-XenErrno.EIO, "the xenstore ring is broken");
            Span<byte> message = _message;
            if (first.Length + (second == null ? 0 : second.Length) + 2 > XenstoreRingLayout.PayloadMax)
                return Fail(-XenErrno.E2BIG, "request larger than XENSTORE_PAYLOAD_MAX");
            int length = XenText.Encode(first, message.Slice(XenstoreHeader.Size));
            if (length < 0) return Fail(-XenErrno.EINVAL, "path is not ASCII or too long");
            if (second != null)
            {
                message[XenstoreHeader.Size + length++] = 0;
                int more = XenText.Encode(second, message.Slice(XenstoreHeader.Size + length));
                if (more < 0) return Fail(-XenErrno.EINVAL, "value is not ASCII or too long");
                length += more;
                if (terminate) message[XenstoreHeader.Size + length++] = 0;
            }
            else message[XenstoreHeader.Size + length++] = 0;
            if (length > XenstoreRingLayout.PayloadMax) return Fail(-XenErrno.E2BIG, "request larger than XENSTORE_PAYLOAD_MAX");

            uint id = _nextRequestId++;
            if (_nextRequestId == 0) _nextRequestId = 1;
            fixed (byte* m = _message)
            {
                XenstoreHeader* header = (XenstoreHeader*)m;
                header->Type = (uint)type;
                header->RequestId = id;
                header->TransactionId = transaction;
                header->Length = (uint)length;
            }
            Requests++;
            long deadline = _wait.Milliseconds + TimeoutMilliseconds;
            if (!WriteRequest(message.Slice(0, XenstoreHeader.Size + length), deadline)) return TimedOut("the request ring stayed full");

            while (true)
            {
                if (!ReadMessage(deadline, out XenstoreHeader reply)) return _broken ? Fail(-XenErrno.EIO, LastError) : TimedOut("no reply");
                if (reply.Type == (uint)XenstoreMessage.WatchEvent) { QueueWatchEvent((int)reply.Length); continue; }
                if (reply.RequestId != id)
                {
                    StaleReplies++; // the reply to a request we gave up on earlier: skip it
                    continue;
                }
                if (reply.Type == (uint)XenstoreMessage.Error)
                {
                    string name = XenText.Decode(new ReadOnlySpan<byte>(_message, XenstoreHeader.Size, TrimNul((int)reply.Length)));
                    return Fail(-ErrnoOf(name), name);
                }
                if (reply.Type != (uint)type) { _broken = true; return Fail(-XenErrno.EIO, "reply of the wrong type"); }
                replyLength = (int)reply.Length;
                LastError = null;
                return 0;
            }
        }

        private bool WriteRequest(ReadOnlySpan<byte> bytes, long deadline)
        {
            int written = 0;
            while (written < bytes.Length)
            {
                uint consumer = Atomic.Read32(Index(XenstoreRingLayout.RequestConsumer));
                uint producer = Atomic.Read32(Index(XenstoreRingLayout.RequestProducer));
                DmaBarriers.Full(); // read the indices before writing into the space they describe
                uint used = producer - consumer;
                if (used > XenstoreRingLayout.RingSize) { _broken = true; LastError = "request ring indices out of range"; return false; }
                int space = XenstoreRingLayout.RingSize - (int)used;
                if (space == 0)
                {
                    if (_wait.Milliseconds > deadline) return false;
                    _wait.Idle();
                    continue;
                }
                int chunk = Math.Min(space, bytes.Length - written);
                for (int i = 0; i < chunk; i++)
                    _ring[XenstoreRingLayout.Request + (int)((producer + (uint)i) & (XenstoreRingLayout.RingSize - 1))] = bytes[written + i];
                DmaBarriers.Write(); // the bytes before the index that publishes them
                Atomic.Write32(Index(XenstoreRingLayout.RequestProducer), producer + (uint)chunk);
                written += chunk;
                _events.Notify(_port);
            }
            return true;
        }

        /// <summary>Reads one whole message (header into <paramref name="header"/>, payload into _message).</summary>
        private bool ReadMessage(long deadline, out XenstoreHeader header)
        {
            header = default;
            Span<byte> headerBytes = stackalloc byte[XenstoreHeader.Size];
            if (!ReadBytes(headerBytes, deadline)) return false;
            fixed (byte* h = headerBytes) header = *(XenstoreHeader*)h;
            if (header.Length > XenstoreRingLayout.PayloadMax)
            {
                _broken = true;
                LastError = "reply longer than XENSTORE_PAYLOAD_MAX";
                return false;
            }
            return ReadBytes(new Span<byte>(_message, XenstoreHeader.Size, (int)header.Length), deadline);
        }

        private bool ReadBytes(Span<byte> destination, long deadline)
        {
            int read = 0;
            while (read < destination.Length)
            {
                int got = TryReadAvailable(destination.Slice(read));
                if (got < 0) return false;
                if (got == 0)
                {
                    if (_wait.Milliseconds > deadline) { LastError ??= "timeout"; return false; }
                    _wait.Idle();
                    continue;
                }
                read += got;
            }
            return true;
        }

        /// <summary>Copies what the daemon has published (up to the span's length); -1 on a broken ring.</summary>
        private int TryReadAvailable(Span<byte> destination)
        {
            uint consumer = Atomic.Read32(Index(XenstoreRingLayout.ResponseConsumer));
            uint producer = Atomic.Read32(Index(XenstoreRingLayout.ResponseProducer));
            DmaBarriers.Read(); // the index before the bytes it publishes
            uint available = producer - consumer;
            if (available > XenstoreRingLayout.RingSize)
            {
                _broken = true;
                LastError = "response ring indices out of range";
                return -1;
            }
            int chunk = Math.Min((int)available, destination.Length);
            if (chunk == 0) return 0;
            for (int i = 0; i < chunk; i++)
                destination[i] = _ring[XenstoreRingLayout.Response + (int)((consumer + (uint)i) & (XenstoreRingLayout.RingSize - 1))];
            DmaBarriers.Full(); // finish reading before giving the space back
            Atomic.Write32(Index(XenstoreRingLayout.ResponseConsumer), consumer + (uint)chunk);
            _events.Notify(_port);
            return chunk;
        }

        /// <summary>Reads watch events that arrived while no request was waiting (a whole message or nothing).</summary>
        private void DrainUnsolicited()
        {
            while (true)
            {
                uint consumer = Atomic.Read32(Index(XenstoreRingLayout.ResponseConsumer));
                uint producer = Atomic.Read32(Index(XenstoreRingLayout.ResponseProducer));
                if (producer - consumer < XenstoreHeader.Size) return;
                long deadline = _wait.Milliseconds + TimeoutMilliseconds;
                if (!ReadMessage(deadline, out XenstoreHeader header)) return;
                if (header.Type == (uint)XenstoreMessage.WatchEvent) QueueWatchEvent((int)header.Length);
                else StaleReplies++;
            }
        }

        /// <summary>A watch event's payload is "path\0token\0" (xenstore.txt, XS_WATCH_EVENT).</summary>
        private void QueueWatchEvent(int length)
        {
            var payload = new ReadOnlySpan<byte>(_message, XenstoreHeader.Size, length);
            int nul = payload.IndexOf((byte)0);
            if (nul < 0) { StaleReplies++; return; }
            var rest = payload.Slice(nul + 1);
            int end = rest.IndexOf((byte)0);
            if (end < 0) end = rest.Length;
            if (_watchCount == WatchQueueSize) { WatchEventsDropped++; return; }
            int slot = (_watchHead + _watchCount) % WatchQueueSize;
            _watchPaths[slot] = XenText.Decode(payload.Slice(0, nul));
            _watchTokens[slot] = XenText.Decode(rest.Slice(0, end));
            _watchCount++;
        }

        private int TrimNul(int length)
        {
            while (length > 0 && _message[XenstoreHeader.Size + length - 1] == 0) length--;
            return length;
        }

        private int TimedOut(string what)
        {
            LastError = string.Concat(what, " within ", ((long)TimeoutMilliseconds).ToString(), " ms");
            return -ETIMEDOUT;
        }

        private int Fail(int result, string reason)
        {
            LastError = reason;
            return result;
        }

        /// <summary>The daemon reports errors by name (xs_wire.h, xsd_errors).</summary>
        public static int ErrnoOf(string name)
        {
            if (name == "EINVAL") return XenErrno.EINVAL;
            if (name == "EACCES") return XenErrno.EACCES;
            if (name == "EEXIST") return XenErrno.EEXIST;
            if (name == "ENOENT") return XenErrno.ENOENT;
            if (name == "ENOMEM") return XenErrno.ENOMEM;
            if (name == "ENOSPC") return XenErrno.ENOSPC;
            if (name == "EIO") return XenErrno.EIO;
            if (name == "ENOTEMPTY") return XenErrno.ENOTEMPTY;
            if (name == "ENOSYS") return XenErrno.ENOSYS;
            if (name == "EROFS") return XenErrno.EROFS;
            if (name == "EBUSY") return XenErrno.EBUSY;
            if (name == "EAGAIN") return XenErrno.EAGAIN;
            if (name == "EISCONN") return XenErrno.EISCONN;
            if (name == "E2BIG") return XenErrno.E2BIG;
            return XenErrno.EIO;
        }
    }
}
