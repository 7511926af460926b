namespace Internal.Runtime.ExceptionHandling
{
    /// <summary>
    /// A frame's registers as the unwinder tracks them: where it executes, its stack pointer, and the
    /// callee-saved registers of the System V ABI (rbx, rbp, r12-r15), the only state that survives a call
    /// and so the only state that must be right when a handler or the code after a catch runs. The field
    /// order is shared with Kernel/Boot/eh.asm (the throw helpers build one on the stack; the funclet callers
    /// load registers from one): offsets 0, 8, ... 56.
    /// </summary>
    public struct RegisterSet
    {
        public ulong Rip;
        public ulong Rsp;
        public ulong Rbp;
        public ulong Rbx;
        public ulong R12;
        public ulong R13;
        public ulong R14;
        public ulong R15;

        public const int OffsetOfRsp = 8;
        public const int OffsetOfRbp = 16;

        internal ulong Get(int dwarfRegister) => dwarfRegister switch
        {
            DwarfRegister.Rbx => Rbx,
            DwarfRegister.Rbp => Rbp,
            DwarfRegister.Rsp => Rsp,
            DwarfRegister.R12 => R12,
            DwarfRegister.R13 => R13,
            DwarfRegister.R14 => R14,
            DwarfRegister.R15 => R15,
            _ => 0,
        };

        internal void Set(int dwarfRegister, ulong value)
        {
            switch (dwarfRegister)
            {
                case DwarfRegister.Rbx: Rbx = value; break;
                case DwarfRegister.Rbp: Rbp = value; break;
                case DwarfRegister.R12: R12 = value; break;
                case DwarfRegister.R13: R13 = value; break;
                case DwarfRegister.R14: R14 = value; break;
                case DwarfRegister.R15: R15 = value; break;
            }
        }

        /// <summary>
        /// Turns this frame's registers into its caller's, by the frame's call-frame row: the caller's stack
        /// pointer is the CFA (the value before the call pushed the return address), the return address and
        /// every saved callee-saved register are read from their slots, the rest keep their value.
        /// </summary>
        public unsafe bool TryUnwind(in CallFrameRow row)
        {
            if (row.CfaRegister != DwarfRegister.Rsp && row.CfaRegister != DwarfRegister.Rbp) return false;
            ulong cfa = Get(row.CfaRegister) + (ulong)row.CfaOffset;
            if (row.Rules[DwarfRegister.ReturnAddress] != CallFrameRow.RuleAtCfaOffset) return false;
            ulong returnAddress = *(ulong*)(cfa + (ulong)row.Offsets[DwarfRegister.ReturnAddress]);
            ulong rbx = Rbx, rbp = Rbp, r12 = R12, r13 = R13, r14 = R14, r15 = R15;
            for (int reg = 0; reg < DwarfRegister.ReturnAddress; reg++)
            {
                if (row.Rules[reg] != CallFrameRow.RuleAtCfaOffset) continue;
                ulong saved = *(ulong*)(cfa + (ulong)row.Offsets[reg]);
                switch (reg)
                {
                    case DwarfRegister.Rbx: rbx = saved; break;
                    case DwarfRegister.Rbp: rbp = saved; break;
                    case DwarfRegister.R12: r12 = saved; break;
                    case DwarfRegister.R13: r13 = saved; break;
                    case DwarfRegister.R14: r14 = saved; break;
                    case DwarfRegister.R15: r15 = saved; break;
                }
            }
            Rbx = rbx; Rbp = rbp; R12 = r12; R13 = r13; R14 = r14; R15 = r15;
            Rsp = cfa;
            Rip = returnAddress;
            return true;
        }
    }
}
