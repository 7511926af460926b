using System;
using System.Text;

namespace KeyValueServer
{
    /// <summary>
    /// One command's arguments as slices of the connection's receive buffer, valid until the buffer is next read into
    /// or compacted. Parsing copies nothing; a command copies only what it keeps (a stored value, a key it inserts),
    /// so a GET allocates just its key's string. Before, every argument was a new byte[] and the command name and key
    /// two more arrays and strings each: six allocations per GET, and the kernel's profile of a pipelined GET load
    /// (1 December) spent a quarter of the guest's time in the allocator.
    /// </summary>
    public sealed class Arguments
    {
        private byte[] _buffer = Array.Empty<byte>();
        private int[] _starts = new int[8];
        private int[] _lengths = new int[8];

        public int Count { get; private set; }

        internal void Reset(byte[] buffer)
        {
            _buffer = buffer;
            Count = 0;
        }

        internal void Add(int start, int length)
        {
            if (Count == _starts.Length)
            {
                Array.Resize(ref _starts, Count * 2);
                Array.Resize(ref _lengths, Count * 2);
            }
            _starts[Count] = start;
            _lengths[Count] = length;
            Count++;
        }

        public int Length(int index) => _lengths[index];

        public ReadOnlySpan<byte> Span(int index) => new ReadOnlySpan<byte>(_buffer, _starts[index], _lengths[index]);

        /// <summary>A copy of the argument's bytes, for a value the store keeps.</summary>
        public byte[] ToArray(int index) => Span(index).ToArray();

        /// <summary>The argument as a key: one char per byte, so any bytes make a distinct key.</summary>
        public string Key(int index)
        {
            ReadOnlySpan<byte> bytes = Span(index);
            Span<char> chars = bytes.Length <= 256 ? stackalloc char[bytes.Length] : new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
            return new string(chars);
        }

        /// <summary>The argument as text (UTF-8), for numbers and options.</summary>
        public string Text(int index) => Encoding.UTF8.GetString(Span(index));

        /// <summary>Whether the argument is <paramref name="upper"/> (ASCII letters in upper case) in any case.</summary>
        public bool Is(int index, string upper)
        {
            if (_lengths[index] != upper.Length) return false;
            int start = _starts[index];
            for (int i = 0; i < upper.Length; i++)
            {
                int b = _buffer[start + i];
                if (b >= 'a' && b <= 'z') b -= 32;
                if (b != upper[i]) return false;
            }
            return true;
        }

        /// <summary>The argument in upper case (ASCII letters), allocated: for names not in a known list.</summary>
        public string Upper(int index)
        {
            ReadOnlySpan<byte> bytes = Span(index);
            var chars = new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++) chars[i] = bytes[i] >= 'a' && bytes[i] <= 'z' ? (char)(bytes[i] - 32) : (char)bytes[i];
            return new string(chars);
        }

        /// <summary>
        /// The argument in upper case as the matching string of <paramref name="known"/> (no allocation), or, when it
        /// is none of them, as a new string.
        /// </summary>
        public string Upper(int index, string[] known)
        {
            foreach (string name in known)
                if (Is(index, name)) return name;
            return Upper(index);
        }
    }
}
