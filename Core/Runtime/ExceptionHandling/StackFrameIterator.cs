namespace Internal.Runtime.ExceptionHandling
{
    /// <summary>
    /// Walks managed frames from a throw site towards the bottom of the stack, one caller at a time, by the
    /// DWARF call-frame rows ilc emits for every method and funclet. Besides ordinary calls it knows three
    /// kinds of caller, all in Kernel/Boot/eh.asm:
    /// <list type="bullet">
    /// <item>a catch or finally funclet's caller (the dispatcher ran it): the walk continues at the frame that
    /// funclet belongs to, as that dispatch left it, skipping the dead frames of the earlier exception, and the
    /// first pass there resumes after the clause that was running (<see cref="StartClauseIndex"/>), so an
    /// exception escaping a handler is looked for in the try blocks around that handler ("collided unwind" in
    /// NativeAOT's StackFrameIterator);</item>
    /// <item>a filter funclet's caller: the dispatcher's own frame, whose try/catch swallows what a filter throws;</item>
    /// <item>anything else (the boot stub, an interrupt entry, a throw helper): the end of the managed stack.</item>
    /// </list>
    /// </summary>
    public unsafe struct StackFrameIterator
    {
        public const uint NoClause = 0xFFFFFFFF;

        public RegisterSet Regs;
        /// <summary>Where the frame is, for clause lookup: the faulting instruction, or a return address minus one.</summary>
        public ulong ControlPC;
        public FrameDescription Fde;
        public MethodEhInfo Method;
        /// <summary>Clauses up to this index were dispatched by an earlier exception still on the stack.</summary>
        public uint StartClauseIndex;
        /// <summary>This frame was reached from an exceptionally invoked funclet of the same method.</summary>
        public bool ReachedThroughFunclet;
        public bool IsValid;

        /// <summary>Starts at the throw site. A faulting instruction is used as is; a return address is moved back into its call.</summary>
        public bool Init(RegisterSet* context, bool instructionFault)
        {
            Regs = *context;
            StartClauseIndex = NoClause;
            ReachedThroughFunclet = false;
            ulong pc = instructionFault ? Regs.Rip : Regs.Rip - 1;
            IsValid = Locate(pc);
            return IsValid;
        }

        public bool Next()
        {
            if (!IsValid) return false;
            IsValid = false;
            StartClauseIndex = NoClause;
            ReachedThroughFunclet = false;
            if (!CallFrameInterpreter.TryComputeRow(in Fde, ControlPC, out CallFrameRow row)) return false;
            if (!Regs.TryUnwind(in row)) return false;

            ref CodeLookup.KnownAddresses known = ref CodeLookup.Known;
            if (Regs.Rip == known.CatchFuncletReturn || Regs.Rip == known.FinallyFuncletReturn)
            {
                // eh.asm keeps the dispatch's ExInfo at [rsp] of its funclet call.
                ExInfo* owner = *(ExInfo**)Regs.Rsp;
                ref StackFrameIterator ownerFrame = ref owner->FrameIter;
                Regs = ownerFrame.Regs;
                ControlPC = ownerFrame.ControlPC;
                Fde = ownerFrame.Fde;
                Method = ownerFrame.Method;
                StartClauseIndex = owner->CurrentClause;
                ReachedThroughFunclet = true;
                IsValid = ownerFrame.IsValid;
                return IsValid;
            }
            if (Regs.Rip == known.FilterFuncletReturn)
            {
                // RhpCallFilterFunclet: push rbp; call. Its caller is the dispatcher.
                ulong* sp = (ulong*)Regs.Rsp;
                Regs.Rbp = sp[0];
                Regs.Rip = sp[1];
                Regs.Rsp += 16;
            }
            IsValid = Locate(Regs.Rip - 1);
            return IsValid;
        }

        private bool Locate(ulong pc)
        {
            ControlPC = pc;
            return CodeLookup.TryFind(pc, out Fde, out Method);
        }

        /// <summary>Offset of the frame's position from its method's start, the unit of EH clauses.</summary>
        public uint CodeOffset => (uint)(ControlPC - Method.MethodStart);
    }
}
