using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>.NET's Math for integers and the exactly-rounded double operations (no transcendental functions yet).</summary>
    public static partial class Math
    {
        public const double PI = 3.14159265358979323846;
        public const double E = 2.7182818284590452354;

        public static int Min(int a, int b) => a < b ? a : b;
        public static int Max(int a, int b) => a > b ? a : b;
        public static long Min(long a, long b) => a < b ? a : b;
        public static long Max(long a, long b) => a > b ? a : b;
        public static ulong Min(ulong a, ulong b) => a < b ? a : b;
        public static ulong Max(ulong a, ulong b) => a > b ? a : b;
        public static uint Min(uint a, uint b) => a < b ? a : b;
        public static uint Max(uint a, uint b) => a > b ? a : b;
        public static short Min(short a, short b) => a < b ? a : b;
        public static short Max(short a, short b) => a > b ? a : b;
        public static byte Min(byte a, byte b) => a < b ? a : b;
        public static byte Max(byte a, byte b) => a > b ? a : b;

        /// <summary>As .NET: NaN if either is NaN; -0.0 is less than 0.0.</summary>
        public static double Min(double a, double b)
        {
            if (a != b) return double.IsNaN(a) ? a : a < b ? a : b;
            return double.IsNegative(a) ? a : b;
        }

        public static double Max(double a, double b)
        {
            if (a != b) return double.IsNaN(a) ? a : a > b ? a : b;
            return double.IsNegative(b) ? a : b;
        }

        public static int Abs(int value)
        {
            if (value == int.MinValue) ThrowNegateTwosCompOverflow();
            return value < 0 ? -value : value;
        }

        public static long Abs(long value)
        {
            if (value == long.MinValue) ThrowNegateTwosCompOverflow();
            return value < 0 ? -value : value;
        }

        public static short Abs(short value)
        {
            if (value == short.MinValue) ThrowNegateTwosCompOverflow();
            return (short)(value < 0 ? -value : value);
        }

        public static double Abs(double value) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(value) & long.MaxValue);

        private static void ThrowNegateTwosCompOverflow() =>
            throw new OverflowException("Negating the minimum value of a twos complement number is invalid.");

        public static int Sign(int value) => value > 0 ? 1 : value < 0 ? -1 : 0;
        public static int Sign(long value) => value > 0 ? 1 : value < 0 ? -1 : 0;

        public static int Sign(double value)
        {
            if (double.IsNaN(value)) throw new ArithmeticException("Function does not accept floating point Not-a-Number values.");
            return value > 0 ? 1 : value < 0 ? -1 : 0;
        }

        public static int Clamp(int value, int min, int max)
        {
            if (min > max) ThrowMinMax(min.ToString(), max.ToString());
            return value < min ? min : value > max ? max : value;
        }

        public static long Clamp(long value, long min, long max)
        {
            if (min > max) ThrowMinMax(min.ToString(), max.ToString());
            return value < min ? min : value > max ? max : value;
        }

        public static double Clamp(double value, double min, double max)
        {
            if (min > max) ThrowMinMax(min.ToString(), max.ToString());
            return value < min ? min : value > max ? max : value;
        }

        private static void ThrowMinMax(string min, string max) =>
            throw new ArgumentException(string.Concat("'", min, "' cannot be greater than ", max, "."));

        public static int DivRem(int a, int b, out int result)
        {
            int q = a / b;
            result = a - q * b;
            return q;
        }

        public static long DivRem(long a, long b, out long result)
        {
            long q = a / b;
            result = a - q * b;
            return q;
        }

        public static (int Quotient, int Remainder) DivRem(int left, int right)
        {
            int q = left / right;
            return (q, left - q * right);
        }

        public static long BigMul(int a, int b) => (long)a * b;

        /// <summary>The compiler emits sqrtsd for this intrinsic; the body (Newton's method) is a fallback.</summary>
        [Intrinsic]
        public static double Sqrt(double d)
        {
            if (d < 0 || double.IsNaN(d)) return double.NaN;
            if (d == 0 || double.IsInfinity(d)) return d;
            double x = d > 1 ? d / 2 : 1;
            for (int i = 0; i < 100; i++)
            {
                double next = (x + d / x) / 2;
                if (next == x) break;
                x = next;
            }
            return x;
        }

        /// <summary>Integral part toward zero: values of 2^52 and above are already integers.</summary>
        public static double Truncate(double d)
        {
            if (!(Abs(d) < 4503599627370496.0)) return d;
            double t = (double)(long)d;
            return t == 0 && double.IsNegative(d) ? -0.0 : t;
        }

        public static double Floor(double d)
        {
            double t = Truncate(d);
            return t > d ? t - 1 : t;
        }

        public static double Ceiling(double d)
        {
            double t = Truncate(d);
            if (t < d) return t + 1;
            return t;
        }

        /// <summary>To the nearest integer, halves to even (.NET's default MidpointRounding.ToEven).</summary>
        public static double Round(double a)
        {
            double floor = Floor(a);
            double diff = a - floor;
            if (diff > 0.5) return floor + 1;
            if (diff < 0.5) return floor;
            return Truncate(floor / 2) * 2 == floor ? floor : floor + 1;
        }

        public static double Round(double value, MidpointRounding mode)
        {
            if (mode == MidpointRounding.ToEven) return Round(value);
            if (mode == MidpointRounding.AwayFromZero)
            {
                double t = Truncate(value);
                return Abs(value - t) >= 0.5 ? t + Sign(value) : t;
            }
            if (mode == MidpointRounding.ToZero) return Truncate(value);
            if (mode == MidpointRounding.ToNegativeInfinity) return Floor(value);
            return Ceiling(value);
        }
    }

    public enum MidpointRounding
    {
        ToEven = 0,
        AwayFromZero = 1,
        ToZero = 2,
        ToNegativeInfinity = 3,
        ToPositiveInfinity = 4,
    }
}
