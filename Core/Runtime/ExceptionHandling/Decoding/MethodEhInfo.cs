namespace Internal.Runtime.ExceptionHandling
{
    /// <summary>
    /// What ilc puts behind each FDE's LSDA pointer (its "unwind block", in .dotnet_eh_table), as NativeAOT's
    /// own runtime reads it (dotnet/runtime: ILCompiler UnixObjectWriter.EmitLsda writes it,
    /// nativeaot/Runtime/unix/UnixNativeCodeManager.cpp reads it):
    /// <code>
    /// main body: flags(1) [associated data: rel32] [EH info: rel32] GC info...
    /// funclet:   flags(1) main body's block: rel32   offset of the funclet from the method start: u32
    /// </code>
    /// rel32 is relative to its own address. The flags' low two bits tell a main body from a catch/finally
    /// funclet and a filter funclet.
    /// </summary>
    public unsafe struct MethodEhInfo
    {
        public const byte KindMask = 0x03;
        public const byte KindRoot = 0x00;
        public const byte KindHandler = 0x01;
        public const byte KindFilter = 0x02;
        public const byte HasEhInfoFlag = 0x04;
        public const byte ReversePInvokeFlag = 0x08;
        public const byte HasAssociatedDataFlag = 0x10;

        /// <summary>The block of this FDE (the funclet's own when it is one).</summary>
        public byte* Lsda;
        /// <summary>The main body's block, which holds the EH clauses of the whole method.</summary>
        public byte* MainLsda;
        /// <summary>Start of the main body; EH clause offsets count from here, funclets included.</summary>
        public ulong MethodStart;

        public byte Flags => *Lsda;
        public bool IsFunclet => (*Lsda & KindMask) != KindRoot;
        public bool IsFilterFunclet => (*Lsda & KindMask) == KindFilter;
        public bool HasEhClauses => (*MainLsda & HasEhInfoFlag) != 0;

        public static bool TryCreate(in FrameDescription fde, out MethodEhInfo info)
        {
            info = default;
            byte* p = fde.Lsda;
            if (p == null) return false;
            info.Lsda = p;
            byte flags = *p++;
            if ((flags & KindMask) != KindRoot)
            {
                info.MainLsda = p + *(int*)p;
                p += 4;
                info.MethodStart = fde.PcBegin - *(uint*)p;
            }
            else
            {
                info.MainLsda = info.Lsda;
                info.MethodStart = fde.PcBegin;
            }
            return true;
        }

        /// <summary>The EH clause blob, or null when the method has no clauses.</summary>
        public byte* EhClauses
        {
            get
            {
                byte* p = MainLsda;
                byte flags = *p++;
                if ((flags & HasEhInfoFlag) == 0) return null;
                if ((flags & HasAssociatedDataFlag) != 0) p += 4;
                return p + *(int*)p;
            }
        }
    }

    /// <summary>Kinds of EH clause in ilc's encoding (nativeaot EHClauseKind).</summary>
    public enum EhClauseKind : byte
    {
        Typed = 0,   // catch (T)
        Fault = 1,   // finally and fault
        Filter = 2,  // catch when (...)
    }

    public unsafe struct EhClause
    {
        public EhClauseKind Kind;
        public uint TryStartOffset;
        public uint TryEndOffset;
        public ulong HandlerAddress;
        public ulong FilterAddress;
        /// <summary>The MethodTable a typed clause catches.</summary>
        public void* TargetType;

        /// <summary>Start inclusive, end exclusive: callers pass a return address minus one, or the faulting instruction.</summary>
        public bool Contains(uint codeOffset) => codeOffset >= TryStartOffset && codeOffset < TryEndOffset;
    }

    /// <summary>
    /// Walks a method's EH clauses, innermost first (the order the C# compiler and ilc keep). Per clause:
    /// try start, (try length &lt;&lt; 2 | kind), handler offset, then a rel32 to the catch type (typed) or the
    /// filter offset (filter); numbers in NativeAOT's compressed unsigned format (<see cref="ReadUnsigned"/>).
    /// </summary>
    public unsafe struct EhClauseEnumerator
    {
        private byte* _next;
        private uint _remaining;
        private readonly ulong _methodStart;

        public EhClauseEnumerator(in MethodEhInfo info)
        {
            _methodStart = info.MethodStart;
            _next = info.EhClauses;
            _remaining = _next == null ? 0 : ReadUnsigned(ref _next);
        }

        public uint Remaining => _remaining;

        public bool MoveNext(out EhClause clause)
        {
            clause = default;
            if (_remaining == 0) return false;
            _remaining--;
            clause.TryStartOffset = ReadUnsigned(ref _next);
            uint lengthAndKind = ReadUnsigned(ref _next);
            clause.Kind = (EhClauseKind)(lengthAndKind & 3);
            clause.TryEndOffset = clause.TryStartOffset + (lengthAndKind >> 2);
            clause.HandlerAddress = _methodStart + ReadUnsigned(ref _next);
            if (clause.Kind == EhClauseKind.Typed)
            {
                clause.TargetType = _next + *(int*)_next;
                _next += 4;
            }
            else if (clause.Kind == EhClauseKind.Filter)
            {
                clause.FilterAddress = _methodStart + ReadUnsigned(ref _next);
            }
            return true;
        }

        /// <summary>
        /// NativeAOT's compressed unsigned integer: the number of trailing one bits in the first byte says how
        /// many bytes follow (0: 7-bit value, 1: 14, 2: 21, 3: 28, 4: a full 32-bit value in the next four).
        /// </summary>
        public static uint ReadUnsigned(ref byte* p)
        {
            uint b = *p;
            if ((b & 1) == 0) { p += 1; return b >> 1; }
            if ((b & 2) == 0) { uint v = (b >> 2) | ((uint)p[1] << 6); p += 2; return v; }
            if ((b & 4) == 0) { uint v = (b >> 3) | ((uint)p[1] << 5) | ((uint)p[2] << 13); p += 3; return v; }
            if ((b & 8) == 0) { uint v = (b >> 4) | ((uint)p[1] << 4) | ((uint)p[2] << 12) | ((uint)p[3] << 20); p += 4; return v; }
            uint full = *(uint*)(p + 1);
            p += 5;
            return full;
        }
    }
}
