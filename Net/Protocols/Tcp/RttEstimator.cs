namespace Cosmos.Net.Protocols.Tcp
{
    /// <summary>
    /// The retransmission timeout (RFC 6298): SRTT and RTTVAR from round-trip samples, RTO = SRTT + max(G, 4 RTTVAR)
    /// clamped, doubled on each expiry (§5.5) until a new sample. With timestamps (RFC 7323 §4 and Appendix G) a
    /// sample comes with nearly every ACK, so each is weighted down by the number expected per round trip.
    /// Kept in microseconds so the 1/8 and 1/4 gains do not vanish at millisecond round trips.
    /// </summary>
    public struct RttEstimator
    {
        public const long MinRtoMs = 200;       // RFC 6298 says 1 s; like Linux we use 200 ms on fast local links
        public const long MaxRtoMs = 60_000;
        public const long InitialRtoMs = 1000;  // RFC 6298 §2.1
        private const long GranularityUs = 1000; // G: the stack's clock ticks in milliseconds

        private long _srttUs, _rttvarUs, _rtoMs;
        private bool _haveSample;

        public static RttEstimator Initial => new RttEstimator { _rtoMs = InitialRtoMs };

        public long RtoMs => _rtoMs;
        public bool HasSample => _haveSample;
        public long SmoothedRttUs => _srttUs;
        public long RttVariationUs => _rttvarUs;

        /// <summary>
        /// Takes a sample of <paramref name="sampleMs"/>. <paramref name="expectedSamples"/> is how many samples a
        /// round trip brings (1 without timestamps; with them, ceil(FlightSize / (2 SMSS)), RFC 7323 Appendix G).
        /// </summary>
        public void Sample(long sampleMs, int expectedSamples = 1)
        {
            long r = (sampleMs < 0 ? 0 : sampleMs) * 1000;
            if (expectedSamples < 1) expectedSamples = 1;
            if (!_haveSample)
            {
                _srttUs = r;                    // §2.2
                _rttvarUs = r / 2;
                _haveSample = true;
            }
            else
            {
                long delta = _srttUs > r ? _srttUs - r : r - _srttUs;
                _rttvarUs += (delta - _rttvarUs) / (4 * expectedSamples);   // beta = 1/4
                _srttUs += (r - _srttUs) / (8 * expectedSamples);           // alpha = 1/8
            }
            long variation = 4 * _rttvarUs;
            long rtoUs = _srttUs + (variation > GranularityUs ? variation : GranularityUs);
            _rtoMs = Clamp((rtoUs + 999) / 1000);
        }

        /// <summary>§5.5: the timer expired; back off.</summary>
        public void Backoff() => _rtoMs = Clamp(_rtoMs * 2);

        private static long Clamp(long ms) => ms < MinRtoMs ? MinRtoMs : ms > MaxRtoMs ? MaxRtoMs : ms;
    }
}
