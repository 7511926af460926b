namespace System
{
    /// <summary>.NET's TimeSpan: a signed count of 100 ns ticks, with .NET's constant ("c") text form.</summary>
    public readonly struct TimeSpan : IComparable, IComparable<TimeSpan>, IEquatable<TimeSpan>, IFormattable
    {
        public const long TicksPerMicrosecond = 10;
        public const long TicksPerMillisecond = 10_000;
        public const long TicksPerSecond = 10_000_000;
        public const long TicksPerMinute = 600_000_000;
        public const long TicksPerHour = 36_000_000_000;
        public const long TicksPerDay = 864_000_000_000;

        public static readonly TimeSpan Zero = new TimeSpan(0);
        public static readonly TimeSpan MaxValue = new TimeSpan(long.MaxValue);
        public static readonly TimeSpan MinValue = new TimeSpan(long.MinValue);

        private readonly long _ticks;

        public TimeSpan(long ticks) { _ticks = ticks; }
        public TimeSpan(int hours, int minutes, int seconds) : this(0, hours, minutes, seconds, 0) { }
        public TimeSpan(int days, int hours, int minutes, int seconds) : this(days, hours, minutes, seconds, 0) { }

        public TimeSpan(int days, int hours, int minutes, int seconds, int milliseconds)
        {
            long total = ((long)days * 86400 + (long)hours * 3600 + (long)minutes * 60 + seconds) * 1000 + milliseconds;
            if (total > long.MaxValue / TicksPerMillisecond || total < long.MinValue / TicksPerMillisecond)
                throw new ArgumentOutOfRangeException(null, "TimeSpan overflowed because the duration is too long.");
            _ticks = total * TicksPerMillisecond;
        }

        public long Ticks => _ticks;
        public int Days => (int)(_ticks / TicksPerDay);
        public int Hours => (int)(_ticks / TicksPerHour % 24);
        public int Minutes => (int)(_ticks / TicksPerMinute % 60);
        public int Seconds => (int)(_ticks / TicksPerSecond % 60);
        public int Milliseconds => (int)(_ticks / TicksPerMillisecond % 1000);
        public int Microseconds => (int)(_ticks / TicksPerMicrosecond % 1000);
        public double TotalDays => (double)_ticks / TicksPerDay;
        public double TotalHours => (double)_ticks / TicksPerHour;
        public double TotalMinutes => (double)_ticks / TicksPerMinute;
        public double TotalSeconds => (double)_ticks / TicksPerSecond;
        public double TotalMilliseconds => (double)_ticks / TicksPerMillisecond;

        public static TimeSpan FromTicks(long value) => new TimeSpan(value);
        public static TimeSpan FromDays(double value) => Interval(value, TicksPerDay);
        public static TimeSpan FromHours(double value) => Interval(value, TicksPerHour);
        public static TimeSpan FromMinutes(double value) => Interval(value, TicksPerMinute);
        public static TimeSpan FromSeconds(double value) => Interval(value, TicksPerSecond);
        public static TimeSpan FromMilliseconds(double value) => Interval(value, TicksPerMillisecond);

        private static TimeSpan Interval(double value, long scale)
        {
            if (double.IsNaN(value)) throw new ArgumentException("TimeSpan does not accept floating point Not-a-Number values.");
            double ticks = value * scale;
            if (ticks > long.MaxValue || ticks < long.MinValue) throw new OverflowException("TimeSpan overflowed because the duration is too long.");
            return new TimeSpan((long)ticks);
        }

        public TimeSpan Add(TimeSpan ts)
        {
            long result = _ticks + ts._ticks;
            if ((_ticks >> 63 == ts._ticks >> 63) && (_ticks >> 63 != result >> 63)) throw new OverflowException("TimeSpan overflowed because the duration is too long.");
            return new TimeSpan(result);
        }

        public TimeSpan Subtract(TimeSpan ts) => Add(ts.Negate());

        public TimeSpan Negate()
        {
            if (_ticks == long.MinValue) throw new OverflowException("Negating the minimum value of a twos complement number is invalid.");
            return new TimeSpan(-_ticks);
        }

        public TimeSpan Duration() => _ticks < 0 ? Negate() : this;

        public static TimeSpan operator +(TimeSpan a, TimeSpan b) => a.Add(b);
        public static TimeSpan operator -(TimeSpan a, TimeSpan b) => a.Subtract(b);
        public static TimeSpan operator -(TimeSpan t) => t.Negate();
        public static TimeSpan operator *(TimeSpan t, double factor) => Interval(factor, t._ticks);
        public static TimeSpan operator /(TimeSpan t, double divisor) => Interval(1 / divisor, t._ticks);
        public static double operator /(TimeSpan a, TimeSpan b) => (double)a._ticks / b._ticks;
        public static bool operator ==(TimeSpan a, TimeSpan b) => a._ticks == b._ticks;
        public static bool operator !=(TimeSpan a, TimeSpan b) => a._ticks != b._ticks;
        public static bool operator <(TimeSpan a, TimeSpan b) => a._ticks < b._ticks;
        public static bool operator >(TimeSpan a, TimeSpan b) => a._ticks > b._ticks;
        public static bool operator <=(TimeSpan a, TimeSpan b) => a._ticks <= b._ticks;
        public static bool operator >=(TimeSpan a, TimeSpan b) => a._ticks >= b._ticks;

        public static int Compare(TimeSpan t1, TimeSpan t2) => t1._ticks.CompareTo(t2._ticks);
        public int CompareTo(TimeSpan value) => _ticks.CompareTo(value._ticks);

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is TimeSpan other) return CompareTo(other);
            throw new ArgumentException("Object must be of type TimeSpan.");
        }

        public bool Equals(TimeSpan obj) => _ticks == obj._ticks;
        public override bool Equals(object value) => value is TimeSpan other && _ticks == other._ticks;
        public override int GetHashCode() => _ticks.GetHashCode();

        /// <summary>"[-][d.]hh:mm:ss[.fffffff]", .NET's constant format.</summary>
        public override string ToString()
        {
            var sb = new Text.StringBuilder(26);
            ulong ticks = _ticks < 0 ? (ulong)(-(_ticks + 1)) + 1 : (ulong)_ticks;
            if (_ticks < 0) sb.Append('-');
            ulong days = ticks / TicksPerDay;
            ulong rest = ticks % TicksPerDay;
            if (days != 0) sb.Append(days).Append('.');
            sb.Append(((int)(rest / TicksPerHour)).ToString("D2")).Append(':');
            sb.Append(((int)(rest / TicksPerMinute % 60)).ToString("D2")).Append(':');
            sb.Append(((int)(rest / TicksPerSecond % 60)).ToString("D2"));
            int fraction = (int)(rest % TicksPerSecond);
            if (fraction != 0) sb.Append('.').Append(fraction.ToString("D7"));
            return sb.ToString();
        }

        public string ToString(string format, IFormatProvider formatProvider)
        {
            if (format == null || format.Length == 0 || format == "c" || format == "t" || format == "T") return ToString();
            throw new FormatException("Input string was not in a correct format.");
        }
    }
}
