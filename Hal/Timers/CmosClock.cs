using Cosmos.Hal.Cpu;

namespace Cosmos.Hal.Timers
{
    /// <summary>
    /// The PC's real-time clock (MC146818-compatible CMOS, index port 0x70, data port 0x71): the wall-clock time that
    /// DateTime.UtcNow starts from. QEMU keeps it in UTC (its default -rtc base=utc). Xen PVH guests have no CMOS.
    /// </summary>
    public static class CmosClock
    {
        private const ushort IndexPort = 0x70;
        private const ushort DataPort = 0x71;

        // MC146818 register map.
        private const byte Seconds = 0x00, Minutes = 0x02, Hours = 0x04, DayOfMonth = 0x07, Month = 0x08, Year = 0x09;
        private const byte StatusA = 0x0A, StatusB = 0x0B, Century = 0x32;
        private const byte UpdateInProgress = 0x80;      // status A: the clock is changing its registers
        private const byte BinaryMode = 0x04, Hour24 = 0x02; // status B
        private const byte PmBit = 0x80;                  // in the hours register in 12-hour mode

        private static byte Read(byte register)
        {
            CpuNative.OutByte(IndexPort, register); // bit 7 clear: NMIs stay enabled
            return CpuNative.InByte(DataPort);
        }

        /// <summary>
        /// The time now as DateTime ticks (UTC), or false when there is no plausible clock. Reads twice until two reads
        /// agree, so an update between register reads cannot tear the value.
        /// </summary>
        public static bool TryReadUtcTicks(out long ticks)
        {
            ticks = 0;
            Snapshot a, b;
            int attempts = 0;
            do
            {
                if (++attempts > 10) return false;
                a = ReadSnapshot();
                b = ReadSnapshot();
            } while (!a.Equals(b));

            byte status = Read(StatusB);
            bool binary = (status & BinaryMode) != 0;
            int second = Decode(a.Second, binary), minute = Decode(a.Minute, binary);
            int hour = Decode((byte)(a.Hour & ~PmBit), binary);
            if ((status & Hour24) == 0 && (a.Hour & PmBit) != 0) hour = (hour + 12) % 24;
            else if ((status & Hour24) == 0 && hour == 12) hour = 0;
            int day = Decode(a.Day, binary), month = Decode(a.MonthValue, binary);
            int century = a.Century == 0 || a.Century == 0xFF ? 20 : Decode(a.Century, binary);
            int year = century * 100 + Decode(a.YearValue, binary);
            if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return false;
            if (day > System.DateTime.DaysInMonth(year, month)) return false;
            ticks = new System.DateTime(year, month, day, hour, minute, second, System.DateTimeKind.Utc).Ticks;
            return true;
        }

        private static int Decode(byte value, bool binary) => binary ? value : (value >> 4) * 10 + (value & 0x0F);

        private struct Snapshot
        {
            public byte Second, Minute, Hour, Day, MonthValue, YearValue, Century;

            public bool Equals(Snapshot o) => Second == o.Second && Minute == o.Minute && Hour == o.Hour && Day == o.Day
                && MonthValue == o.MonthValue && YearValue == o.YearValue && Century == o.Century;
        }

        private static Snapshot ReadSnapshot()
        {
            for (int spin = 0; spin < 100000 && (Read(StatusA) & UpdateInProgress) != 0; spin++) CpuNative.Pause();
            return new Snapshot
            {
                Second = Read(Seconds), Minute = Read(Minutes), Hour = Read(Hours), Day = Read(DayOfMonth),
                MonthValue = Read(Month), YearValue = Read(Year), Century = Read(Century),
            };
        }
    }
}
