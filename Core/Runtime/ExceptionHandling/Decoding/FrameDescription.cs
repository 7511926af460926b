namespace Internal.Runtime.ExceptionHandling
{
    /// <summary>
    /// One FDE of .eh_frame with what its CIE says about it (LSB 5.0 §10.5: "Common Information Entry",
    /// "Frame Description Entry"): the code range, the LSDA pointer (for ilc, the method's NativeAOT unwind
    /// block in .dotnet_eh_table), and the two call-frame instruction streams to run.
    /// ilc writes one CIE ("zLR", code alignment 1, data alignment -8, return address in column 16) and one FDE
    /// per method body and per funclet.
    /// </summary>
    public unsafe struct FrameDescription
    {
        public ulong PcBegin;
        public ulong PcEnd;
        public byte* Lsda;
        public byte* Instructions;
        public byte* InstructionsEnd;
        public byte* InitialInstructions;
        public byte* InitialInstructionsEnd;
        public ulong CodeAlignment;
        public long DataAlignment;
        public int ReturnAddressRegister;

        public bool Contains(ulong pc) => pc >= PcBegin && pc < PcEnd;

        public static bool TryParse(byte* fde, out FrameDescription d)
        {
            d = default;
            if (fde == null) return false;
            uint length = *(uint*)fde;
            if (length == 0 || length == 0xFFFFFFFF) return false; // terminator, or 64-bit DWARF (never written by ilc)
            byte* end = fde + 4 + length;
            byte* p = fde + 4;
            uint ciePointer = *(uint*)p;
            if (ciePointer == 0) return false; // this is a CIE, not an FDE
            byte* cie = p - ciePointer;
            p += 4;

            // ---- the CIE ----
            uint cieLength = *(uint*)cie;
            if (cieLength == 0 || cieLength == 0xFFFFFFFF) return false;
            byte* cieEnd = cie + 4 + cieLength;
            byte* c = cie + 4;
            if (*(uint*)c != 0) return false;
            c += 4;
            byte version = *c++;
            if (version != 1 && version != 3) return false;
            byte* augmentation = c;
            while (*c != 0) c++;
            c++;
            d.CodeAlignment = DwarfEncoding.ReadUleb128(ref c);
            d.DataAlignment = DwarfEncoding.ReadSleb128(ref c);
            d.ReturnAddressRegister = version == 1 ? *c++ : (int)DwarfEncoding.ReadUleb128(ref c);
            byte fdeEncoding = DwarfEncoding.PeAbsolute, lsdaEncoding = DwarfEncoding.PeOmit;
            bool hasAugmentationData = augmentation[0] == 'z';
            if (hasAugmentationData)
            {
                ulong augmentationLength = DwarfEncoding.ReadUleb128(ref c);
                byte* augmentationEnd = c + augmentationLength;
                for (byte* a = augmentation + 1; *a != 0; a++)
                {
                    if (*a == 'L') lsdaEncoding = *c++;
                    else if (*a == 'R') fdeEncoding = *c++;
                    else if (*a == 'P')
                    {
                        byte personalityEncoding = *c++;
                        if (!DwarfEncoding.TryReadPointer(ref c, personalityEncoding, 0, out _)) return false;
                    }
                    else if (*a != 'S') return false;
                }
                c = augmentationEnd;
            }
            else if (augmentation[0] != 0) return false;
            d.InitialInstructions = c;
            d.InitialInstructionsEnd = cieEnd;

            // ---- the FDE ----
            if (!DwarfEncoding.TryReadPointer(ref p, fdeEncoding, 0, out ulong pcBegin)) return false;
            // The range has the value format of the encoding but no application (it is a length).
            if (!DwarfEncoding.TryReadPointer(ref p, (byte)(fdeEncoding & 0x0F), 0, out ulong pcRange)) return false;
            d.PcBegin = pcBegin;
            d.PcEnd = pcBegin + pcRange;
            if (hasAugmentationData)
            {
                ulong augmentationLength = DwarfEncoding.ReadUleb128(ref p);
                byte* augmentationEnd = p + augmentationLength;
                if (lsdaEncoding != DwarfEncoding.PeOmit)
                {
                    if (!DwarfEncoding.TryReadPointer(ref p, lsdaEncoding, 0, out ulong lsda)) return false;
                    d.Lsda = (byte*)lsda;
                }
                p = augmentationEnd;
            }
            d.Instructions = p;
            d.InstructionsEnd = end;
            return true;
        }
    }
}
