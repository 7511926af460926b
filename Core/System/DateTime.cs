using System.Text;

namespace System
{
    public enum DateTimeKind { Unspecified = 0, Utc = 1, Local = 2 }

    public enum DayOfWeek { Sunday = 0, Monday = 1, Tuesday = 2, Wednesday = 3, Thursday = 4, Friday = 5, Saturday = 6 }

    /// <summary>
    /// .NET's DateTime: 100 ns ticks since 0001-01-01 in the proleptic Gregorian calendar, with a kind. The kernel has
    /// no time zones, so Now is UtcNow and Local behaves as Utc. Text is the invariant culture's.
    /// </summary>
    public readonly struct DateTime : IComparable, IComparable<DateTime>, IEquatable<DateTime>, IFormattable
    {
        private const long TicksPerDay = TimeSpan.TicksPerDay;
        private const long MaxTicks = 3_155_378_975_999_999_999; // 9999-12-31 23:59:59.9999999

        public static readonly DateTime MinValue = new DateTime(0, DateTimeKind.Unspecified);
        public static readonly DateTime MaxValue = new DateTime(MaxTicks, DateTimeKind.Unspecified);
        public static readonly DateTime UnixEpoch = new DateTime(621_355_968_000_000_000, DateTimeKind.Utc);

        private readonly long _ticks;
        private readonly DateTimeKind _kind;

        public DateTime(long ticks) : this(ticks, DateTimeKind.Unspecified) { }

        public DateTime(long ticks, DateTimeKind kind)
        {
            if ((ulong)ticks > MaxTicks) throw new ArgumentOutOfRangeException("ticks", "Ticks must be between DateTime.MinValue.Ticks and DateTime.MaxValue.Ticks.");
            _ticks = ticks;
            _kind = kind;
        }

        public DateTime(int year, int month, int day) : this(DateToTicks(year, month, day)) { }
        public DateTime(int year, int month, int day, int hour, int minute, int second) : this(year, month, day, hour, minute, second, 0, DateTimeKind.Unspecified) { }
        public DateTime(int year, int month, int day, int hour, int minute, int second, DateTimeKind kind) : this(year, month, day, hour, minute, second, 0, kind) { }
        public DateTime(int year, int month, int day, int hour, int minute, int second, int millisecond) : this(year, month, day, hour, minute, second, millisecond, DateTimeKind.Unspecified) { }

        public DateTime(int year, int month, int day, int hour, int minute, int second, int millisecond, DateTimeKind kind)
        {
            if ((uint)hour >= 24 || (uint)minute >= 60 || (uint)second >= 60)
                throw new ArgumentOutOfRangeException(null, "Hour, Minute, and Second parameters describe an un-representable DateTime.");
            if ((uint)millisecond >= 1000) throw new ArgumentOutOfRangeException("millisecond", "Valid values are between 0 and 999, inclusive.");
            _ticks = DateToTicks(year, month, day) + ((hour * 3600L + minute * 60 + second) * 1000 + millisecond) * TimeSpan.TicksPerMillisecond;
            _kind = kind;
        }

        private static long DateToTicks(int year, int month, int day)
        {
            if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month))
                throw new ArgumentOutOfRangeException(null, "Year, Month, and Day parameters describe an un-representable DateTime.");
            return DaysBeforeYear(year) * TicksPerDay + (DayOfYearOf(year, month, day) - 1) * TicksPerDay;
        }

        private static long DaysBeforeYear(int year)
        {
            long y = year - 1;
            return y * 365 + y / 4 - y / 100 + y / 400;
        }

        private static int DayOfYearOf(int year, int month, int day)
        {
            int days = day;
            for (int m = 1; m < month; m++) days += DaysInMonth(year, m);
            return days;
        }

        public static bool IsLeapYear(int year)
        {
            if (year < 1 || year > 9999) throw new ArgumentOutOfRangeException("year", "Year must be between 1 and 9999.");
            return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        }

        public static int DaysInMonth(int year, int month)
        {
            if (month < 1 || month > 12) throw new ArgumentOutOfRangeException("month", "Month must be between one and twelve.");
            if (month == 2) return IsLeapYear(year) ? 29 : 28;
            return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        }

        /// <summary>Year, month and day from the day number (days since 0001-01-01), by whole 400/100/4/1-year cycles.</summary>
        private void GetDate(out int year, out int month, out int day)
        {
            long n = _ticks / TicksPerDay;
            long y400 = n / 146097; n %= 146097;
            long y100 = n / 36524; if (y100 == 4) y100 = 3; n -= y100 * 36524;
            long y4 = n / 1461; n %= 1461;
            long y1 = n / 365; if (y1 == 4) y1 = 3; n -= y1 * 365;
            year = (int)(y400 * 400 + y100 * 100 + y4 * 4 + y1 + 1);
            month = 1;
            int left = (int)n + 1;
            while (left > DaysInMonth(year, month)) { left -= DaysInMonth(year, month); month++; }
            day = left;
        }

        public long Ticks => _ticks;
        public DateTimeKind Kind => _kind;
        public int Year { get { GetDate(out int y, out _, out _); return y; } }
        public int Month { get { GetDate(out _, out int m, out _); return m; } }
        public int Day { get { GetDate(out _, out _, out int d); return d; } }
        public int Hour => (int)(_ticks / TimeSpan.TicksPerHour % 24);
        public int Minute => (int)(_ticks / TimeSpan.TicksPerMinute % 60);
        public int Second => (int)(_ticks / TimeSpan.TicksPerSecond % 60);
        public int Millisecond => (int)(_ticks / TimeSpan.TicksPerMillisecond % 1000);
        public DayOfWeek DayOfWeek => (DayOfWeek)((_ticks / TicksPerDay + 1) % 7);
        public int DayOfYear { get { GetDate(out int y, out int m, out int d); return DayOfYearOf(y, m, d); } }
        public DateTime Date => new DateTime(_ticks - _ticks % TicksPerDay, _kind);
        public TimeSpan TimeOfDay => new TimeSpan(_ticks % TicksPerDay);

        /// <summary>From the wall clock the HAL installed (the CMOS real-time clock); MinValue without one.</summary>
        public static DateTime UtcNow => new DateTime(Runtime.TimeSources.UtcTicksNow, DateTimeKind.Utc);
        public static DateTime Now => UtcNow;
        public static DateTime Today => UtcNow.Date;

        public DateTime AddTicks(long value)
        {
            long ticks = _ticks + value;
            if ((ulong)ticks > MaxTicks) throw new ArgumentOutOfRangeException("value", "The added or subtracted value results in an un-representable DateTime.");
            return new DateTime(ticks, _kind);
        }

        public DateTime Add(TimeSpan value) => AddTicks(value.Ticks);
        public DateTime AddDays(double value) => AddTicks((long)(value * TicksPerDay));
        public DateTime AddHours(double value) => AddTicks((long)(value * TimeSpan.TicksPerHour));
        public DateTime AddMinutes(double value) => AddTicks((long)(value * TimeSpan.TicksPerMinute));
        public DateTime AddSeconds(double value) => AddTicks((long)(value * TimeSpan.TicksPerSecond));
        public DateTime AddMilliseconds(double value) => AddTicks((long)(value * TimeSpan.TicksPerMillisecond));

        /// <summary>Months added on the calendar; the day is clamped to the new month's length, as .NET does.</summary>
        public DateTime AddMonths(int months)
        {
            if (months < -120000 || months > 120000) throw new ArgumentOutOfRangeException("months", "Months value must be between +/-120000.");
            GetDate(out int y, out int m, out int d);
            int index = y * 12 + (m - 1) + months;
            int year = index / 12, month = index % 12 + 1;
            if (year < 1 || year > 9999) throw new ArgumentOutOfRangeException("months", "The added or subtracted value results in an un-representable DateTime.");
            int day = Math.Min(d, DaysInMonth(year, month));
            return new DateTime(DateToTicks(year, month, day) + _ticks % TicksPerDay, _kind);
        }

        public DateTime AddYears(int value) => AddMonths(value * 12);

        public TimeSpan Subtract(DateTime value) => new TimeSpan(_ticks - value._ticks);
        public DateTime Subtract(TimeSpan value) => AddTicks(-value.Ticks);

        public static DateTime operator +(DateTime d, TimeSpan t) => d.AddTicks(t.Ticks);
        public static DateTime operator -(DateTime d, TimeSpan t) => d.AddTicks(-t.Ticks);
        public static TimeSpan operator -(DateTime a, DateTime b) => new TimeSpan(a._ticks - b._ticks);
        public static bool operator ==(DateTime a, DateTime b) => a._ticks == b._ticks;
        public static bool operator !=(DateTime a, DateTime b) => a._ticks != b._ticks;
        public static bool operator <(DateTime a, DateTime b) => a._ticks < b._ticks;
        public static bool operator >(DateTime a, DateTime b) => a._ticks > b._ticks;
        public static bool operator <=(DateTime a, DateTime b) => a._ticks <= b._ticks;
        public static bool operator >=(DateTime a, DateTime b) => a._ticks >= b._ticks;

        public static int Compare(DateTime t1, DateTime t2) => t1._ticks.CompareTo(t2._ticks);
        public int CompareTo(DateTime value) => _ticks.CompareTo(value._ticks);

        public int CompareTo(object value)
        {
            if (value == null) return 1;
            if (value is DateTime other) return CompareTo(other);
            throw new ArgumentException("Object must be of type DateTime.");
        }

        public bool Equals(DateTime value) => _ticks == value._ticks;
        public override bool Equals(object value) => value is DateTime other && _ticks == other._ticks;
        public override int GetHashCode() => _ticks.GetHashCode();

        public static DateTime SpecifyKind(DateTime value, DateTimeKind kind) => new DateTime(value._ticks, kind);
        public DateTime ToUniversalTime() => new DateTime(_ticks, DateTimeKind.Utc);

        /// <summary>The invariant culture's general format, "MM/dd/yyyy HH:mm:ss".</summary>
        public override string ToString() => ToString("G");
        public string ToString(IFormatProvider provider) => ToString();
        public string ToString(string format, IFormatProvider provider) => ToString(format);

        /// <summary>
        /// Standard formats "G", "d", "s", "u", "o"/"O" (invariant culture), or a custom pattern of yyyy, MM, dd, HH,
        /// mm, ss, fff…fffffff, quoted literals and other characters kept as they are.
        /// </summary>
        public string ToString(string format)
        {
            if (format == null || format.Length == 0) format = "G";
            if (format.Length == 1)
            {
                switch (format[0])
                {
                    case 'G': return Custom("MM/dd/yyyy HH:mm:ss");
                    case 'd': return Custom("MM/dd/yyyy");
                    case 's': return Custom("yyyy-MM-ddTHH:mm:ss");
                    case 'u': return Custom("yyyy-MM-dd HH:mm:ssZ");
                    case 'o':
                    case 'O': return Custom(_kind == DateTimeKind.Unspecified ? "yyyy-MM-ddTHH:mm:ss.fffffff" : "yyyy-MM-ddTHH:mm:ss.fffffffZ");
                    default: throw new FormatException("Input string was not in a correct format.");
                }
            }
            return Custom(format);
        }

        private string Custom(string pattern)
        {
            GetDate(out int year, out int month, out int day);
            var sb = new StringBuilder(pattern.Length + 8);
            for (int i = 0; i < pattern.Length;)
            {
                char c = pattern[i];
                int run = 1;
                while (i + run < pattern.Length && pattern[i + run] == c) run++;
                switch (c)
                {
                    case 'y': sb.Append((run <= 2 ? year % 100 : year).ToString(run <= 2 ? "D2" : "D" + run.ToString())); break;
                    case 'M': sb.Append(month.ToString(run >= 2 ? "D2" : "D")); break;
                    case 'd': sb.Append(day.ToString(run >= 2 ? "D2" : "D")); break;
                    case 'H': sb.Append(Hour.ToString(run >= 2 ? "D2" : "D")); break;
                    case 'm': sb.Append(Minute.ToString(run >= 2 ? "D2" : "D")); break;
                    case 's': sb.Append(Second.ToString(run >= 2 ? "D2" : "D")); break;
                    case 'f':
                    {
                        int digits = Math.Min(run, 7);
                        long fraction = _ticks % TimeSpan.TicksPerSecond;
                        for (int k = digits; k < 7; k++) fraction /= 10;
                        sb.Append(((int)fraction).ToString("D" + digits.ToString()));
                        break;
                    }
                    case '\'':
                    {
                        int end = pattern.IndexOf('\'', i + 1);
                        if (end < 0) throw new FormatException("Cannot find a matching quote character for the character '''.");
                        sb.Append(pattern, i + 1, end - i - 1);
                        run = end - i + 1;
                        break;
                    }
                    default: sb.Append(c, run); break;
                }
                i += run;
            }
            return sb.ToString();
        }
    }
}
