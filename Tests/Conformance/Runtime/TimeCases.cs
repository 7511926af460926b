#nullable disable
using System;
using System.Diagnostics;

namespace Cosmos.Conformance
{
    /// <summary>TimeSpan and DateTime arithmetic and text, and the clocks (only what both machines agree on).</summary>
    public static class TimeCases
    {
        public static void Register(CaseList list)
        {
            list.Add("time.timespan", t =>
            {
                var a = new TimeSpan(1, 2, 3, 4, 5);
                t.Line(a.ToString());
                t.Line("parts", a.Days + " " + a.Hours + " " + a.Minutes + " " + a.Seconds + " " + a.Milliseconds);
                t.Line("TotalHours", a.TotalHours.ToString());
                t.Line("ticks", a.Ticks.ToString());
                t.Line(TimeSpan.FromSeconds(90.5).ToString());
                t.Line(TimeSpan.FromMilliseconds(1).ToString());
                t.Line((-TimeSpan.FromHours(25)).ToString());
                t.Line(TimeSpan.Zero.ToString());
                t.Line((TimeSpan.FromMinutes(3) - TimeSpan.FromSeconds(200)).ToString());
                t.Line("compare", TimeSpan.FromDays(1) > TimeSpan.FromHours(23));
                t.Line("Duration", TimeSpan.FromTicks(-5).Duration().Ticks.ToString());
                t.Line("multiply", (TimeSpan.FromSeconds(1.5) * 4).ToString());
                t.Line("divide", (TimeSpan.FromHours(1) / TimeSpan.FromMinutes(15)).ToString());
                t.Line("MaxValue", TimeSpan.MaxValue.ToString());
                try { TimeSpan.MaxValue.Add(TimeSpan.FromTicks(1)); } catch (OverflowException e) { t.Caught("overflow", e); }
            });
            list.Add("time.datetime", t =>
            {
                var d = new DateTime(2024, 2, 28, 23, 59, 30, DateTimeKind.Utc);
                t.Line(d.ToString("o"));
                t.Line(d.ToString());
                t.Line(d.ToString("s"));
                t.Line(d.ToString("u"));
                t.Line(d.ToString("yyyy-MM-dd HH:mm:ss.fff"));
                t.Line("day of week", ((int)d.DayOfWeek).ToString());
                t.Line("day of year", d.DayOfYear);
                DateTime next = d.AddSeconds(45);
                t.Line("leap day", next.ToString("o"));
                t.Line("add month", new DateTime(2023, 1, 31).AddMonths(1).ToString("yyyy-MM-dd"));
                t.Line("add years", new DateTime(2024, 2, 29).AddYears(1).ToString("yyyy-MM-dd"));
                t.Line("difference", (new DateTime(2025, 1, 1) - new DateTime(2024, 1, 1)).TotalDays.ToString());
                t.Line("unix epoch", DateTime.UnixEpoch.ToString("o"));
                t.Line("ticks", new DateTime(2000, 1, 1).Ticks.ToString());
                t.Line("IsLeapYear 1900", DateTime.IsLeapYear(1900));
                t.Line("IsLeapYear 2000", DateTime.IsLeapYear(2000));
                t.Line("DaysInMonth", DateTime.DaysInMonth(2023, 2));
                t.Line("min", DateTime.MinValue.ToString("o"));
                t.Line("max", DateTime.MaxValue.ToString("o"));
                t.Line("components", new DateTime(1999, 12, 31, 8, 7, 6, 5).ToString("yyyy/M/d H:m:s fff"));
                try { new DateTime(2023, 2, 29); } catch (ArgumentOutOfRangeException e) { t.Caught("Feb 29 2023", e); }
            });
            list.Add("time.clocks", t =>
            {
                DateTime now = DateTime.UtcNow;
                t.Line("UtcNow kind", now.Kind.ToString() == "Utc" || (int)now.Kind == 1);
                t.Line("UtcNow plausible", now.Year >= 2024 && now.Year < 2100);
                long t0 = Environment.TickCount64;
                var sw = Stopwatch.StartNew();
                long spin = 0;
                while (sw.ElapsedMilliseconds < 20) spin++;
                sw.Stop();
                t.Line("stopwatch ran", sw.ElapsedMilliseconds >= 20);
                t.Line("stopwatch stopped", !sw.IsRunning);
                t.Line("elapsed consistent", sw.Elapsed.TotalMilliseconds >= 20);
                t.Line("TickCount64 advanced", Environment.TickCount64 - t0 >= 19);
                long ts = Stopwatch.GetTimestamp();
                t.Line("timestamp monotonic", Stopwatch.GetTimestamp() >= ts);
                t.Line("frequency positive", Stopwatch.Frequency > 0);
            });
        }
    }
}
