namespace System.Diagnostics
{
    /// <summary>.NET's Stopwatch over the kernel's monotonic clock (nanosecond timestamps).</summary>
    public class Stopwatch
    {
        public static readonly long Frequency = 1_000_000_000;
        public static readonly bool IsHighResolution = true;

        private long _elapsed;
        private long _startedAt;
        private bool _running;

        public static long GetTimestamp() => Runtime.TimeSources.NanosecondsSinceBoot;

        public static TimeSpan GetElapsedTime(long startingTimestamp) => GetElapsedTime(startingTimestamp, GetTimestamp());

        public static TimeSpan GetElapsedTime(long startingTimestamp, long endingTimestamp) =>
            new TimeSpan((endingTimestamp - startingTimestamp) / (Frequency / TimeSpan.TicksPerSecond));

        public static Stopwatch StartNew()
        {
            var s = new Stopwatch();
            s.Start();
            return s;
        }

        public bool IsRunning => _running;

        public void Start()
        {
            if (_running) return;
            _startedAt = GetTimestamp();
            _running = true;
        }

        public void Stop()
        {
            if (!_running) return;
            _elapsed += GetTimestamp() - _startedAt;
            _running = false;
        }

        public void Reset()
        {
            _elapsed = 0;
            _running = false;
        }

        public void Restart()
        {
            _elapsed = 0;
            _startedAt = GetTimestamp();
            _running = true;
        }

        public long ElapsedTicks => _running ? _elapsed + GetTimestamp() - _startedAt : _elapsed;
        public TimeSpan Elapsed => new TimeSpan(ElapsedTicks / (Frequency / TimeSpan.TicksPerSecond));
        public long ElapsedMilliseconds => ElapsedTicks / (Frequency / 1000);
    }
}
