namespace System.Net.NetworkInformation
{
    /// <summary>.NET's PhysicalAddress: a hardware address; text is its bytes in upper-case hex without separators.</summary>
    public class PhysicalAddress
    {
        private readonly byte[] _address;

        public static readonly PhysicalAddress None = new PhysicalAddress(new byte[0]);

        public PhysicalAddress(byte[] address)
        {
            _address = address ?? throw new ArgumentNullException(nameof(address));
        }

        /// <summary>A copy of the bytes (changing it changes nothing here).</summary>
        public byte[] GetAddressBytes()
        {
            var copy = new byte[_address.Length];
            for (int i = 0; i < copy.Length; i++) copy[i] = _address[i];
            return copy;
        }

        public override string ToString()
        {
            const string hex = "0123456789ABCDEF";
            var text = new char[_address.Length * 2];
            for (int i = 0; i < _address.Length; i++)
            {
                text[2 * i] = hex[_address[i] >> 4];
                text[2 * i + 1] = hex[_address[i] & 0xF];
            }
            return new string(text);
        }

        public override bool Equals(object comparand)
        {
            if (comparand is not PhysicalAddress other || other._address.Length != _address.Length) return false;
            for (int i = 0; i < _address.Length; i++) if (_address[i] != other._address[i]) return false;
            return true;
        }

        public override int GetHashCode()
        {
            int hash = 17;
            for (int i = 0; i < _address.Length; i++) hash = hash * 31 + _address[i];
            return hash;
        }

        /// <summary>
        /// Hex digits, optionally in pairs separated by '-' or ':' (as .NET accepts); null gives <see cref="None"/>; anything
        /// else is a FormatException with .NET's message.
        /// </summary>
        public static PhysicalAddress Parse(string address) => address == null ? None : Parse(address.AsSpan());

        public static PhysicalAddress Parse(ReadOnlySpan<char> address)
        {
            if (TryParse(address, out PhysicalAddress value)) return value;
            throw new FormatException(string.Concat("An invalid physical address was specified: '", new string(address), "'."));
        }

        public static bool TryParse(string address, out PhysicalAddress value)
        {
            if (address == null) { value = None; return true; }
            return TryParse(address.AsSpan(), out value);
        }

        public static bool TryParse(ReadOnlySpan<char> address, out PhysicalAddress value)
        {
            value = null;
            char separator = address.Length > 2 && (address[2] == '-' || address[2] == ':') ? address[2] : '\0';
            int digits = 0;
            for (int i = 0; i < address.Length; i++) if (address[i] != separator || separator == '\0') digits++;
            if (separator != '\0' && (address.Length + 1) % 3 != 0) return false;
            if (digits % 2 != 0) return false;
            var bytes = new byte[digits / 2];
            int b = 0;
            for (int i = 0; i < address.Length;)
            {
                int high = HexValue(address[i]), low = i + 1 < address.Length ? HexValue(address[i + 1]) : -1;
                if (high < 0 || low < 0) return false;
                bytes[b++] = (byte)(high << 4 | low);
                i += 2;
                if (separator != '\0' && i < address.Length)
                {
                    if (address[i] != separator) return false;
                    i++;
                }
            }
            value = new PhysicalAddress(bytes);
            return true;
        }

        private static int HexValue(char c) =>
            c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }
}
