namespace Internal.Runtime.ExceptionHandling
{
    /// <summary>
    /// Reading the variable-length values of DWARF call-frame information: LEB128 numbers (DWARF 5 §7.6) and
    /// the pointer encodings of .eh_frame and .eh_frame_hdr (DW_EH_PE_*, LSB 5.0 "DWARF Extensions",
    /// §10.5.1). Pure pointer code over the linked image, so the same file runs on the host against the
    /// kernel ELF mapped at its link address.
    /// </summary>
    public static unsafe class DwarfEncoding
    {
        // Value formats (low nibble) and applications (high nibble) of DW_EH_PE_*.
        public const byte PeAbsolute = 0x00;
        public const byte PeUleb128 = 0x01;
        public const byte PeUdata2 = 0x02;
        public const byte PeUdata4 = 0x03;
        public const byte PeUdata8 = 0x04;
        public const byte PeSleb128 = 0x09;
        public const byte PeSdata2 = 0x0A;
        public const byte PeSdata4 = 0x0B;
        public const byte PeSdata8 = 0x0C;
        public const byte PePcRelative = 0x10;
        public const byte PeDataRelative = 0x30;
        public const byte PeIndirect = 0x80;
        public const byte PeOmit = 0xFF;

        public static ulong ReadUleb128(ref byte* p)
        {
            ulong value = 0;
            int shift = 0;
            byte b;
            do
            {
                b = *p++;
                if (shift < 64) value |= (ulong)(b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return value;
        }

        public static long ReadSleb128(ref byte* p)
        {
            long value = 0;
            int shift = 0;
            byte b;
            do
            {
                b = *p++;
                if (shift < 64) value |= (long)(b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            if (shift < 64 && (b & 0x40) != 0) value |= -1L << shift;
            return value;
        }

        /// <summary>
        /// Reads a pointer in the given encoding. <paramref name="dataBase"/> serves DW_EH_PE_datarel (the start
        /// of .eh_frame_hdr for its table). Returns false for encodings ilc and ld do not produce.
        /// </summary>
        public static bool TryReadPointer(ref byte* p, byte encoding, ulong dataBase, out ulong value)
        {
            value = 0;
            if (encoding == PeOmit) return true;
            byte* start = p;
            switch (encoding & 0x0F)
            {
                case PeAbsolute: value = *(ulong*)p; p += 8; break;
                case PeUleb128: value = ReadUleb128(ref p); break;
                case PeUdata2: value = *(ushort*)p; p += 2; break;
                case PeUdata4: value = *(uint*)p; p += 4; break;
                case PeUdata8: value = *(ulong*)p; p += 8; break;
                case PeSleb128: value = (ulong)ReadSleb128(ref p); break;
                case PeSdata2: value = (ulong)(long)*(short*)p; p += 2; break;
                case PeSdata4: value = (ulong)(long)*(int*)p; p += 4; break;
                case PeSdata8: value = *(ulong*)p; p += 8; break;
                default: return false;
            }
            switch (encoding & 0x70)
            {
                case 0: break;
                case PePcRelative: value += (ulong)start; break;
                case PeDataRelative: value += dataBase; break;
                default: return false;
            }
            if ((encoding & PeIndirect) != 0) value = *(ulong*)value;
            return true;
        }
    }
}
