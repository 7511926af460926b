namespace System
{
    /// <summary>
    /// A small arbitrary-precision natural number, just enough for exact double-to-decimal and decimal-to-double
    /// conversion (values up to about 2^1100 and 10^800). Limbs are 32-bit, least significant first.
    /// </summary>
    internal sealed class BigNatural
    {
        private uint[] _limbs;
        private int _length;

        public BigNatural(ulong value)
        {
            _limbs = new uint[8];
            _limbs[0] = (uint)value;
            _limbs[1] = (uint)(value >> 32);
            _length = 2;
            Normalize();
        }

        private BigNatural(uint[] limbs, int length)
        {
            _limbs = limbs;
            _length = length;
        }

        public BigNatural Clone()
        {
            var limbs = new uint[_limbs.Length];
            for (int i = 0; i < _length; i++) limbs[i] = _limbs[i];
            return new BigNatural(limbs, _length);
        }

        public bool IsZero => _length == 0;

        public int BitLength
        {
            get
            {
                if (_length == 0) return 0;
                uint top = _limbs[_length - 1];
                int bits = 0;
                while (top != 0) { bits++; top >>= 1; }
                return (_length - 1) * 32 + bits;
            }
        }

        private void Normalize()
        {
            while (_length > 0 && _limbs[_length - 1] == 0) _length--;
        }

        private void EnsureLimbs(int count)
        {
            if (_limbs.Length >= count) return;
            var limbs = new uint[count * 2];
            for (int i = 0; i < _length; i++) limbs[i] = _limbs[i];
            _limbs = limbs;
        }

        public void MultiplyAdd(uint factor, uint addend)
        {
            ulong carry = addend;
            for (int i = 0; i < _length; i++)
            {
                ulong p = (ulong)_limbs[i] * factor + carry;
                _limbs[i] = (uint)p;
                carry = p >> 32;
            }
            if (carry != 0)
            {
                EnsureLimbs(_length + 1);
                _limbs[_length++] = (uint)carry;
            }
        }

        public void MultiplyByPowerOf5(int exponent)
        {
            for (; exponent >= 13; exponent -= 13) MultiplyAdd(1220703125, 0); // 5^13
            uint rest = 1;
            for (; exponent > 0; exponent--) rest *= 5;
            if (rest != 1) MultiplyAdd(rest, 0);
        }

        public void MultiplyByPowerOf10(int exponent)
        {
            MultiplyByPowerOf5(exponent);
            ShiftLeft(exponent);
        }

        public void ShiftLeft(int bits)
        {
            if (_length == 0 || bits == 0) return;
            int limbShift = bits / 32, bitShift = bits % 32;
            EnsureLimbs(_length + limbShift + 1);
            _limbs[_length + limbShift] = 0;
            for (int i = _length - 1; i >= 0; i--)
            {
                ulong v = (ulong)_limbs[i] << bitShift;
                _limbs[i + limbShift + 1] |= (uint)(v >> 32);
                _limbs[i + limbShift] = (uint)v;
            }
            for (int i = 0; i < limbShift; i++) _limbs[i] = 0;
            _length += limbShift + 1;
            Normalize();
        }

        public void ShiftRightOne()
        {
            for (int i = 0; i < _length; i++)
            {
                uint next = i + 1 < _length ? _limbs[i + 1] : 0;
                _limbs[i] = (_limbs[i] >> 1) | (next << 31);
            }
            Normalize();
        }

        public static int Compare(BigNatural a, BigNatural b)
        {
            if (a._length != b._length) return a._length < b._length ? -1 : 1;
            for (int i = a._length - 1; i >= 0; i--)
                if (a._limbs[i] != b._limbs[i]) return a._limbs[i] < b._limbs[i] ? -1 : 1;
            return 0;
        }

        /// <summary>this -= other (other must not be larger).</summary>
        public void Subtract(BigNatural other)
        {
            long borrow = 0;
            for (int i = 0; i < _length; i++)
            {
                long d = (long)_limbs[i] - (i < other._length ? other._limbs[i] : 0) - borrow;
                borrow = d < 0 ? 1 : 0;
                _limbs[i] = (uint)d;
            }
            Normalize();
        }

        public bool GetBit(int index)
        {
            int limb = index / 32;
            return index >= 0 && limb < _length && ((_limbs[limb] >> (index % 32)) & 1) != 0;
        }

        public bool AnyBitBelow(int index)
        {
            for (int i = 0; i < index; i++) if (GetBit(i)) return true;
            return false;
        }

        /// <summary>Divides by a small divisor in place; returns the remainder.</summary>
        public uint DivideSmall(uint divisor)
        {
            ulong remainder = 0;
            for (int i = _length - 1; i >= 0; i--)
            {
                ulong cur = (remainder << 32) | _limbs[i];
                _limbs[i] = (uint)(cur / divisor);
                remainder = cur % divisor;
            }
            Normalize();
            return (uint)remainder;
        }

        /// <summary>Decimal digits, most significant first ("0" for zero).</summary>
        public string ToDecimalString()
        {
            if (_length == 0) return "0";
            BigNatural work = Clone();
            var chunks = new System.Collections.Generic.List<uint>();
            while (!work.IsZero) chunks.Add(work.DivideSmall(1000000000));
            var text = new System.Text.StringBuilder(chunks.Count * 9);
            text.Append(chunks[chunks.Count - 1]);
            for (int i = chunks.Count - 2; i >= 0; i--) text.Append(chunks[i].ToString("D9"));
            return text.ToString();
        }
    }
}
