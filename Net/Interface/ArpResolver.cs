using System;
using Cosmos.Net.Wire;

namespace Cosmos.Net.Interface
{
    /// <summary>
    /// Next hops whose link-layer address is being asked for, and the frames waiting for them (RFC 826; RFC 1122
    /// §2.3.2.1-2). One resolution per next hop, however many frames wait: one request at once, then again after
    /// 1 s and 2 s more (never faster than one a second per address, as §2.3.2.1 asks), and after a last 2 s
    /// without an answer the resolution fails and its frames are dropped and counted. The frames are copied into
    /// buffers allocated once; the interface sends the requests and the released frames.
    /// </summary>
    public sealed class ArpResolver
    {
        /// <summary>Frames held across all next hops (sixteen connections opened at once to one hop need half of them).</summary>
        public const int HeldCapacity = 32;
        public const int MaxResolutions = 8;
        public const int MaxRequests = 3;
        private const long FirstRetryMs = 1000, MaxRetryMs = 2000;

        private struct Held
        {
            public byte[] Data;
            public int Length;
            public int ChecksumOffset;
            public Ipv4Address NextHop;
            public long Sequence;     // keeps the order frames were held in
            public bool Used;
        }

        private struct Resolution
        {
            public Ipv4Address NextHop;
            public int Requests;
            public long NextMs;       // when the next request is due (or, after the last, when it fails)
            public long RetryMs;
            public bool Answered;
            public bool Used;
        }

        private readonly Held[] _held = new Held[HeldCapacity];
        private readonly Resolution[] _resolutions = new Resolution[MaxResolutions];
        private long _sequence;

        /// <summary>Frames dropped: no room to hold them, or their next hop never answered.</summary>
        public long Dropped;
        /// <summary>Resolutions that got no answer after <see cref="MaxRequests"/> requests.</summary>
        public long Failed;
        public long RequestsSent;

        public ArpResolver(int frameSize)
        {
            for (int i = 0; i < HeldCapacity; i++) _held[i].Data = new byte[frameSize];
        }

        public int HeldFrames
        {
            get { int n = 0; for (int i = 0; i < HeldCapacity; i++) if (_held[i].Used) n++; return n; }
        }

        public int Resolving
        {
            get { int n = 0; for (int i = 0; i < MaxResolutions; i++) if (_resolutions[i].Used) n++; return n; }
        }

        /// <summary>No next hop is being resolved (a cheap test for every service turn).</summary>
        public bool IsIdle => _heldCount == 0 && _openResolutions == 0;
        private int _heldCount, _openResolutions;

        /// <summary>Keeps a frame until <paramref name="nextHop"/> resolves; starts its resolution if there is none. False (counted) when it cannot be held.</summary>
        public bool Hold(Ipv4Address nextHop, ReadOnlySpan<byte> frame, int checksumOffset, long nowMs)
        {
            int r = FindResolution(nextHop);
            if (r < 0)
            {
                for (int i = 0; i < MaxResolutions && r < 0; i++) if (!_resolutions[i].Used) r = i;
                if (r < 0) { Dropped++; return false; }
                _resolutions[r] = new Resolution { NextHop = nextHop, NextMs = nowMs, RetryMs = FirstRetryMs, Used = true };
                _openResolutions++;
            }
            int slot = -1;
            for (int i = 0; i < HeldCapacity; i++) if (!_held[i].Used) { slot = i; break; }
            if (slot < 0) { Dropped++; return false; }
            frame.CopyTo(_held[slot].Data);
            _held[slot].Length = frame.Length;
            _held[slot].ChecksumOffset = checksumOffset;
            _held[slot].NextHop = nextHop;
            _held[slot].Sequence = _sequence++;
            _held[slot].Used = true;
            _heldCount++;
            return true;
        }

        private int FindResolution(Ipv4Address nextHop)
        {
            for (int i = 0; i < MaxResolutions; i++) if (_resolutions[i].Used && _resolutions[i].NextHop == nextHop) return i;
            return -1;
        }

        /// <summary>
        /// The next request to send now, if any (call until false): a new resolution's first, or a retry whose time
        /// has come. Resolutions past their last request fail here, dropping their frames.
        /// </summary>
        public bool NextRequest(long nowMs, out Ipv4Address nextHop)
        {
            for (int i = 0; i < MaxResolutions; i++)
            {
                ref Resolution r = ref _resolutions[i];
                if (!r.Used || r.Answered || nowMs < r.NextMs) continue;
                if (r.Requests >= MaxRequests)
                {
                    Fail(i);
                    continue;
                }
                r.Requests++;
                r.NextMs = nowMs + r.RetryMs;
                r.RetryMs = Math.Min(r.RetryMs * 2, MaxRetryMs);
                RequestsSent++;
                nextHop = r.NextHop;
                return true;
            }
            nextHop = default;
            return false;
        }

        private void Fail(int resolution)
        {
            Ipv4Address hop = _resolutions[resolution].NextHop;
            _resolutions[resolution].Used = false;
            _openResolutions--;
            Failed++;
            for (int i = 0; i < HeldCapacity; i++)
                if (_held[i].Used && _held[i].NextHop == hop) { _held[i].Used = false; _heldCount--; Dropped++; }
        }

        /// <summary><paramref name="nextHop"/> answered: no more requests; its frames go out as transmit buffers allow (<see cref="NextToSend"/>).</summary>
        public void Answered(Ipv4Address nextHop)
        {
            int r = FindResolution(nextHop);
            if (r < 0) return;
            _resolutions[r].Answered = true;
            if (HeldFor(nextHop) == 0) { _resolutions[r].Used = false; _openResolutions--; }
        }

        /// <summary>The answer was lost again (its cache entry is gone before the frames went): ask once more.</summary>
        public void Unanswered(Ipv4Address nextHop)
        {
            int r = FindResolution(nextHop);
            if (r < 0) return;
            _resolutions[r].Answered = false;
            _resolutions[r].Requests = 0;
            _resolutions[r].RetryMs = FirstRetryMs;
            _resolutions[r].NextMs = 0;
        }

        private int HeldFor(Ipv4Address nextHop)
        {
            int n = 0;
            for (int i = 0; i < HeldCapacity; i++) if (_held[i].Used && _held[i].NextHop == nextHop) n++;
            return n;
        }

        /// <summary>The oldest held frame whose next hop has answered; send it, then <see cref="Release"/> it.</summary>
        public bool NextToSend(out Ipv4Address nextHop, out int handle)
        {
            handle = -1;
            for (int i = 0; i < HeldCapacity; i++)
            {
                if (!_held[i].Used || (handle >= 0 && _held[i].Sequence > _held[handle].Sequence)) continue;
                int r = FindResolution(_held[i].NextHop);
                if (r >= 0 && _resolutions[r].Answered) handle = i;
            }
            nextHop = handle >= 0 ? _held[handle].NextHop : default;
            return handle >= 0;
        }

        public ReadOnlySpan<byte> Frame(int handle) => new ReadOnlySpan<byte>(_held[handle].Data, 0, _held[handle].Length);
        public int ChecksumOffset(int handle) => _held[handle].ChecksumOffset;

        /// <summary>A held frame was sent; its resolution ends with its last frame.</summary>
        public void Release(int handle)
        {
            Ipv4Address hop = _held[handle].NextHop;
            _held[handle].Used = false;
            _heldCount--;
            if (HeldFor(hop) == 0)
            {
                int r = FindResolution(hop);
                if (r >= 0 && _resolutions[r].Answered) { _resolutions[r].Used = false; _openResolutions--; }
            }
        }
    }
}
