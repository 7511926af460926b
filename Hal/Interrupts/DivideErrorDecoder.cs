namespace Cosmos.Hal.Interrupts
{
    /// <summary>
    /// Tells the two causes of a divide error (#DE) apart, as .NET must: a zero divisor is a
    /// DivideByZeroException, a quotient that does not fit (int.MinValue / -1: ilc's code leaves that case
    /// to the CPU too) an OverflowException. It decodes the faulting DIV or IDIV (Intel SDM Vol. 2A,
    /// "DIV"/"IDIV": F6 /6, F6 /7, F7 /6, F7 /7; §2.1 and §2.2.1 for prefixes, REX, ModR/M, SIB and
    /// RIP-relative operands) and reads its divisor from the saved registers or from memory.
    /// </summary>
    public static unsafe class DivideErrorDecoder
    {
        public enum Cause { Unknown, DivideByZero, Overflow }

        /// <summary>
        /// <paramref name="registers"/> holds the 16 general registers in the encoding's order
        /// (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8 .. r15); <paramref name="rip"/> is the faulting instruction's address.
        /// </summary>
        public static Cause Classify(byte* instruction, ulong* registers, ulong rip)
        {
            byte* p = instruction;
            bool operand16 = false;
            int rex = 0;
            for (int i = 0; i < 4; i++)
            {
                byte b = *p;
                if (b == 0x66) operand16 = true;
                else if (b == 0xF0 || b == 0xF2 || b == 0xF3 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0x26) { }
                else break;
                p++;
            }
            if (*p >= 0x40 && *p <= 0x4F) rex = *p++;
            byte opcode = *p++;
            if (opcode != 0xF6 && opcode != 0xF7) return Cause.Unknown;
            byte modrm = *p++;
            int mod = modrm >> 6, reg = (modrm >> 3) & 7, rm = modrm & 7;
            if (reg != 6 && reg != 7) return Cause.Unknown;
            int size = opcode == 0xF6 ? 1 : (rex & 8) != 0 ? 8 : operand16 ? 2 : 4;

            ulong divisor;
            if (mod == 3)
            {
                int r = rm | ((rex & 1) << 3);
                if (size == 1 && rex == 0 && rm >= 4) divisor = (registers[rm - 4] >> 8) & 0xFF; // AH, CH, DH, BH
                else divisor = registers[r];
            }
            else
            {
                ulong address;
                if (rm == 4)
                {
                    byte sib = *p++;
                    int scale = sib >> 6, index = ((sib >> 3) & 7) | ((rex & 2) << 2), baseReg = (sib & 7) | ((rex & 1) << 3);
                    address = index == 4 ? 0 : registers[index] << scale;
                    if ((sib & 7) == 5 && mod == 0) { address += (ulong)(long)*(int*)p; p += 4; }
                    else address += registers[baseReg];
                }
                else if (rm == 5 && mod == 0)
                {
                    int disp = *(int*)p;
                    p += 4;
                    // RIP-relative: from the end of the instruction (no immediate follows DIV's operand).
                    address = rip + (ulong)(p - instruction) + (ulong)(long)disp;
                }
                else address = registers[rm | ((rex & 1) << 3)];
                if (mod == 1) { address += (ulong)(long)*(sbyte*)p; p++; }
                else if (mod == 2) { address += (ulong)(long)*(int*)p; p += 4; }
                divisor = size switch
                {
                    1 => *(byte*)address,
                    2 => *(ushort*)address,
                    4 => *(uint*)address,
                    _ => *(ulong*)address,
                };
            }
            if (size < 8) divisor &= (1UL << (size * 8)) - 1;
            return divisor == 0 ? Cause.DivideByZero : Cause.Overflow;
        }
    }
}
