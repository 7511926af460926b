namespace Cosmos.Kernel.Devices
{
    /// <summary>
    /// Notices a device that keeps transmit buffers and completes none of them (issue 17 item 3, "completions withheld").
    /// The drivers cannot tell a slow device from one that withholds completions, and a device may hold buffers as long as
    /// it likes (virtio 1.2 §2.7.13 puts no time limit on it), so this only reports, once, after a quiet stretch: buffers
    /// in flight and not one completed for <see cref="StallMilliseconds"/>. A completion is seen as frames transmitted minus
    /// buffers in flight going up (it counts completions exactly, whatever the driver transmits between two looks).
    /// Pure arithmetic on what the caller reads, so host tests run it unchanged.
    /// </summary>
    public struct TransmitStallWatch
    {
        /// <summary>How long buffers may sit in the device with no completion before the kernel says so.</summary>
        public const long StallMilliseconds = 2000;

        private long _completed;
        private long _progressMs;
        private bool _started;

        /// <summary>True once the device has held buffers without a completion for the whole stretch; reported once per stall.</summary>
        public bool Reported { get; private set; }

        /// <param name="transmitted">Frames the driver has handed to the device since it started (its TxFrames counter).</param>
        /// <param name="inFlight">Transmit buffers the driver has not had back.</param>
        /// <returns>True exactly when a stall should be logged.</returns>
        public bool Observe(long transmitted, int inFlight, long nowMs)
        {
            long completed = transmitted - inFlight;
            if (!_started || completed != _completed || inFlight == 0)
            {
                _started = true;
                _completed = completed;
                _progressMs = nowMs;
                Reported = false;
                return false;
            }
            if (Reported || nowMs - _progressMs < StallMilliseconds) return false;
            Reported = true;
            return true;
        }

        /// <summary>Milliseconds since the last completion (or since the watch started).</summary>
        public long QuietFor(long nowMs) => nowMs - _progressMs;
    }
}
