namespace Internal.Runtime.ExceptionHandling
{
    /// <summary>
    /// DWARF register numbers of x86-64 (System V psABI §3.6.2, Figure 3.36) for the registers an unwinder
    /// needs: the callee-saved ones, the stack pointer and the return-address column.
    /// </summary>
    public static class DwarfRegister
    {
        public const int Rbx = 3;
        public const int Rbp = 6;
        public const int Rsp = 7;
        public const int R12 = 12;
        public const int R13 = 13;
        public const int R14 = 14;
        public const int R15 = 15;
        public const int ReturnAddress = 16;
        public const int Count = 17;
    }

    /// <summary>
    /// One row of the call-frame table (DWARF 5 §6.4.1): how to find the canonical frame address (CFA) at a
    /// code address, and where each register of the caller was saved. Built by running the CIE's and then the
    /// FDE's instructions up to the address (<see cref="CallFrameInterpreter"/>).
    /// </summary>
    public unsafe struct CallFrameRow
    {
        public const byte RuleSameValue = 0;   // the caller's value is still in the register (the default)
        public const byte RuleAtCfaOffset = 1; // saved in memory at CFA + offset
        public const byte RuleUndefined = 2;

        public int CfaRegister;
        public long CfaOffset;
        public fixed byte Rules[DwarfRegister.Count];
        public fixed long Offsets[DwarfRegister.Count];
    }

    /// <summary>
    /// Runs call-frame instructions (DWARF 5 §6.4.2) to the row for one code address. Supports everything ilc
    /// emits (advance_loc, def_cfa, def_cfa_register, def_cfa_offset, offset, nop) plus the common rest of the
    /// register-rule and state opcodes; an expression rule or an unknown opcode fails the unwind instead of
    /// guessing.
    /// </summary>
    public static unsafe class CallFrameInterpreter
    {
        private const int MaxRememberedStates = 4;

        private struct StateStack
        {
            public CallFrameRow Row0, Row1, Row2, Row3;
        }

        public static bool TryComputeRow(in FrameDescription d, ulong pc, out CallFrameRow row)
        {
            row = default;
            row.CfaRegister = DwarfRegister.Rsp;
            CallFrameRow initial = default;
            // The CIE's instructions set the state every FDE starts from (and DW_CFA_restore returns to).
            if (!Run(d.InitialInstructions, d.InitialInstructionsEnd, in d, ulong.MaxValue, d.PcBegin, ref row, in initial)) return false;
            initial = row;
            return Run(d.Instructions, d.InstructionsEnd, in d, pc, d.PcBegin, ref row, in initial);
        }

        private static bool Run(byte* p, byte* end, in FrameDescription d, ulong targetPc, ulong location, ref CallFrameRow row, in CallFrameRow initial)
        {
            StateStack saved = default;
            int savedCount = 0;
            while (p < end)
            {
                byte op = *p++;
                int high = op & 0xC0, low = op & 0x3F;
                ulong advance = 0;
                if (high == 0x40) advance = (ulong)low * d.CodeAlignment;                      // DW_CFA_advance_loc
                else if (high == 0x80)                                                         // DW_CFA_offset
                {
                    long offset = (long)DwarfEncoding.ReadUleb128(ref p) * d.DataAlignment;
                    SetRule(ref row, low, CallFrameRow.RuleAtCfaOffset, offset);
                    continue;
                }
                else if (high == 0xC0)                                                         // DW_CFA_restore
                {
                    RestoreRule(ref row, in initial, low);
                    continue;
                }
                else
                {
                    switch (op)
                    {
                        case 0x00: continue;                                                   // DW_CFA_nop
                        case 0x01:                                                             // DW_CFA_set_loc
                        {
                            ulong newLocation = *(ulong*)p;
                            p += 8;
                            if (newLocation > targetPc) return true;
                            location = newLocation;
                            continue;
                        }
                        case 0x02: advance = (ulong)*p * d.CodeAlignment; p += 1; break;      // DW_CFA_advance_loc1
                        case 0x03: advance = (ulong)*(ushort*)p * d.CodeAlignment; p += 2; break;
                        case 0x04: advance = (ulong)*(uint*)p * d.CodeAlignment; p += 4; break;
                        case 0x05:                                                             // DW_CFA_offset_extended
                        {
                            int reg = (int)DwarfEncoding.ReadUleb128(ref p);
                            SetRule(ref row, reg, CallFrameRow.RuleAtCfaOffset, (long)DwarfEncoding.ReadUleb128(ref p) * d.DataAlignment);
                            continue;
                        }
                        case 0x06: RestoreRule(ref row, in initial, (int)DwarfEncoding.ReadUleb128(ref p)); continue;
                        case 0x07: SetRule(ref row, (int)DwarfEncoding.ReadUleb128(ref p), CallFrameRow.RuleUndefined, 0); continue;
                        case 0x08: SetRule(ref row, (int)DwarfEncoding.ReadUleb128(ref p), CallFrameRow.RuleSameValue, 0); continue;
                        case 0x0A:                                                             // DW_CFA_remember_state
                            if (savedCount == MaxRememberedStates) return false;
                            Slot(ref saved, savedCount++) = row;
                            continue;
                        case 0x0B:                                                             // DW_CFA_restore_state
                        {
                            if (savedCount == 0) return false;
                            // The whole row, the CFA rule included (DWARF 5 §6.4.2.4).
                            row = Slot(ref saved, --savedCount);
                            continue;
                        }
                        case 0x0C:                                                             // DW_CFA_def_cfa
                            row.CfaRegister = (int)DwarfEncoding.ReadUleb128(ref p);
                            row.CfaOffset = (long)DwarfEncoding.ReadUleb128(ref p);
                            continue;
                        case 0x0D: row.CfaRegister = (int)DwarfEncoding.ReadUleb128(ref p); continue;
                        case 0x0E: row.CfaOffset = (long)DwarfEncoding.ReadUleb128(ref p); continue;
                        case 0x11:                                                             // DW_CFA_offset_extended_sf
                        {
                            int reg = (int)DwarfEncoding.ReadUleb128(ref p);
                            SetRule(ref row, reg, CallFrameRow.RuleAtCfaOffset, DwarfEncoding.ReadSleb128(ref p) * d.DataAlignment);
                            continue;
                        }
                        case 0x12:                                                             // DW_CFA_def_cfa_sf
                            row.CfaRegister = (int)DwarfEncoding.ReadUleb128(ref p);
                            row.CfaOffset = DwarfEncoding.ReadSleb128(ref p) * d.DataAlignment;
                            continue;
                        case 0x13: row.CfaOffset = DwarfEncoding.ReadSleb128(ref p) * d.DataAlignment; continue;
                        case 0x2E: DwarfEncoding.ReadUleb128(ref p); continue;                 // DW_CFA_GNU_args_size: no rule
                        default:
                            return false; // expressions, DW_CFA_register, vendor opcodes: not produced by ilc
                    }
                }
                // An advance: the row so far covers [location, location + advance).
                if (location + advance > targetPc) return true;
                location += advance;
            }
            return true;
        }

        private static ref CallFrameRow Slot(ref StateStack s, int i)
        {
            if (i == 0) return ref s.Row0;
            if (i == 1) return ref s.Row1;
            if (i == 2) return ref s.Row2;
            return ref s.Row3;
        }

        private static void SetRule(ref CallFrameRow row, int register, byte rule, long offset)
        {
            if ((uint)register >= DwarfRegister.Count) return; // a register we do not track (xmm, scratch)
            row.Rules[register] = rule;
            row.Offsets[register] = offset;
        }

        private static void RestoreRule(ref CallFrameRow row, in CallFrameRow initial, int register)
        {
            if ((uint)register >= DwarfRegister.Count) return;
            row.Rules[register] = initial.Rules[register];
            row.Offsets[register] = initial.Offsets[register];
        }
    }
}
