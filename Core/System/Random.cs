namespace System
{
    /// <summary>
    /// .NET's Random. A seeded instance is the subtractive lagged-Fibonacci generator (Knuth, TAOCP vol. 2 §3.2.2)
    /// that .NET keeps for seeded compatibility, so the same seed gives .NET's sequence; an unseeded one is seeded from
    /// the clock (.NET uses a different, unseeded algorithm whose values nobody may depend on).
    /// </summary>
    public class Random
    {
        private const int Big = int.MaxValue;
        private const int Seed = 161803398;

        private readonly int[] _state = new int[56];
        private int _next;
        private int _nextPrime;

        public static Random Shared { get; } = new Random();

        public Random() : this(unchecked((int)(Runtime.TimeSources.NanosecondsSinceBoot ^ 0x5DEECE66DL))) { }

        public Random(int seed)
        {
            int subtraction = seed == int.MinValue ? int.MaxValue : Math.Abs(seed);
            int mj = Seed - subtraction;
            _state[55] = mj;
            int mk = 1;
            for (int i = 1; i < 55; i++)
            {
                int ii = 21 * i % 55;
                _state[ii] = mk;
                mk = mj - mk;
                if (mk < 0) mk += Big;
                mj = _state[ii];
            }
            for (int round = 1; round < 5; round++)
            {
                for (int i = 1; i < 56; i++)
                {
                    int n = i + 30;
                    if (n >= 55) n -= 55;
                    _state[i] -= _state[1 + n];
                    if (_state[i] < 0) _state[i] += Big;
                }
            }
            _next = 0;
            _nextPrime = 21;
        }

        private int InternalSample()
        {
            int next = _next + 1;
            if (next >= 56) next = 1;
            int nextPrime = _nextPrime + 1;
            if (nextPrime >= 56) nextPrime = 1;
            int result = _state[next] - _state[nextPrime];
            if (result == Big) result--;
            if (result < 0) result += Big;
            _state[next] = result;
            _next = next;
            _nextPrime = nextPrime;
            return result;
        }

        protected virtual double Sample() => InternalSample() * (1.0 / Big);

        /// <summary>For ranges wider than int: two samples make a number spread over the whole range.</summary>
        private double SampleForLargeRange()
        {
            int result = InternalSample();
            if (InternalSample() % 2 == 0) result = -result;
            double d = result;
            d += int.MaxValue - 1;
            d /= 2.0 * int.MaxValue - 1;
            return d;
        }

        public virtual int Next() => InternalSample();

        public virtual int Next(int maxValue)
        {
            if (maxValue < 0) throw new ArgumentOutOfRangeException("maxValue", string.Concat("maxValue ('", maxValue.ToString(), "') must be a non-negative value."));
            return (int)(Sample() * maxValue);
        }

        public virtual int Next(int minValue, int maxValue)
        {
            if (minValue > maxValue)
                throw new ArgumentOutOfRangeException("minValue", "'minValue' cannot be greater than maxValue.");
            long range = (long)maxValue - minValue;
            if (range <= int.MaxValue) return (int)(Sample() * range) + minValue;
            return (int)((long)(SampleForLargeRange() * range) + minValue);
        }

        public virtual double NextDouble() => Sample();

        public virtual void NextBytes(byte[] buffer)
        {
            ArgumentNullException.ThrowIfNull(buffer, "buffer");
            for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)InternalSample();
        }

        public virtual void NextBytes(Span<byte> buffer)
        {
            for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)InternalSample();
        }

        public void Shuffle<T>(T[] values)
        {
            ArgumentNullException.ThrowIfNull(values, "values");
            for (int i = 0; i < values.Length - 1; i++)
            {
                int j = Next(i, values.Length);
                if (j == i) continue;
                T t = values[i];
                values[i] = values[j];
                values[j] = t;
            }
        }
    }
}
