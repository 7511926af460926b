using Internal.Runtime.ExceptionHandling;
using Xunit;

namespace Cosmos.HostTests.ExceptionHandling;

/// <summary>
/// The kernel's decoders over the kernel's own data: every FDE ld indexed, every NativeAOT unwind block and
/// every EH clause ilc wrote must decode into something that makes sense against the symbol map.
/// </summary>
public sealed unsafe class UnwindDataTests
{
    private static KernelImage.Image Image => KernelImage.Get();
    private static EhFrameSearchTable Table => new((byte*)Image.EhFrameHeader);

    private static List<FrameDescription> AllFdes()
    {
        var table = Table;
        var all = new List<FrameDescription>();
        for (uint i = 0; i < table.Count; i++)
        {
            Assert.True(FrameDescription.TryParse(table.Fde(i), out FrameDescription d), $"FDE {i} does not parse");
            all.Add(d);
        }
        return all;
    }

    [Fact]
    public void SearchTableIsSortedAndFindsEveryFde()
    {
        var table = Table;
        Assert.True(table.IsValid);
        Assert.True(table.Count > 500, $"only {table.Count} FDEs");
        for (uint i = 0; i < table.Count; i++)
        {
            if (i > 0) Assert.True(table.InitialLocation(i - 1) < table.InitialLocation(i), $"entry {i} out of order");
            Assert.True(FrameDescription.TryParse(table.Fde(i), out FrameDescription d));
            Assert.Equal(table.InitialLocation(i), d.PcBegin);
            Assert.True(d.PcEnd > d.PcBegin);
            Assert.True(table.FindCandidate(d.PcBegin) == table.Fde(i));
            Assert.True(table.FindCandidate(d.PcEnd - 1) == table.Fde(i));
        }
        Assert.True(table.FindCandidate(table.InitialLocation(0) - 1) == null);
    }

    [Fact]
    public void EveryFdeCoversCodeOfANamedMethod()
    {
        foreach (FrameDescription d in AllFdes())
            Assert.NotNull(Image.MethodAt(d.PcBegin));
    }

    [Fact]
    public void AtEveryEndTheCfaIsRspOrRbpBasedAndTheReturnAddressIsJustBelowIt()
    {
        foreach (FrameDescription d in AllFdes())
        {
            Assert.True(CallFrameInterpreter.TryComputeRow(in d, d.PcEnd - 1, out CallFrameRow row), $"CFA program of {Image.MethodAt(d.PcBegin)} failed");
            Assert.True(row.CfaRegister is DwarfRegister.Rsp or DwarfRegister.Rbp);
            Assert.Equal(CallFrameRow.RuleAtCfaOffset, row.Rules[DwarfRegister.ReturnAddress]);
            Assert.Equal(-8, row.Offsets[DwarfRegister.ReturnAddress]);
            // At the first instruction nothing is pushed yet: CFA = rsp + 8.
            Assert.True(CallFrameInterpreter.TryComputeRow(in d, d.PcBegin, out CallFrameRow first));
            Assert.Equal((DwarfRegister.Rsp, 8L), (first.CfaRegister, first.CfaOffset));
        }
    }

    [Fact]
    public void EveryUnwindBlockDecodesAndFuncletsPointAtTheirMethod()
    {
        var mainStarts = new HashSet<ulong>();
        var funclets = new List<(FrameDescription Fde, MethodEhInfo Info)>();
        foreach (FrameDescription d in AllFdes())
        {
            Assert.True(MethodEhInfo.TryCreate(in d, out MethodEhInfo info), $"no unwind block for {Image.MethodAt(d.PcBegin)}");
            if (info.IsFunclet) funclets.Add((d, info));
            else
            {
                Assert.Equal(d.PcBegin, info.MethodStart);
                mainStarts.Add(d.PcBegin);
            }
        }
        Assert.NotEmpty(funclets);
        foreach (var (fde, info) in funclets)
        {
            Assert.Contains(info.MethodStart, mainStarts);
            Assert.True(fde.PcBegin > info.MethodStart);
            Assert.Equal(MethodEhInfo.KindRoot, *info.MainLsda & MethodEhInfo.KindMask);
            Assert.True(info.HasEhClauses, "a funclet's method has EH clauses");
            Assert.Equal(Image.MethodAt(info.MethodStart), Image.MethodAt(fde.PcBegin)); // one symbol covers a method and its funclets
        }
    }

    [Fact]
    public void EveryEhClauseNamesFuncletsOfItsOwnMethodAndRealTypes()
    {
        var fdeStarts = new Dictionary<ulong, MethodEhInfo>();
        var withClauses = new List<(FrameDescription, MethodEhInfo)>();
        foreach (FrameDescription d in AllFdes())
        {
            MethodEhInfo.TryCreate(in d, out MethodEhInfo info);
            fdeStarts[d.PcBegin] = info;
            if (!info.IsFunclet && info.HasEhClauses) withClauses.Add((d, info));
        }
        int typed = 0, faults = 0, filters = 0, empty = 0;
        foreach (var (fde, info) in withClauses)
        {
            var clauses = new EhClauseEnumerator(in info);
            Assert.True(clauses.Remaining > 0);
            while (clauses.MoveNext(out EhClause clause))
            {
                Assert.True(clause.TryEndOffset >= clause.TryStartOffset);
                // An empty try range covers no code, so dispatch never takes it; ilc writes such clauses as markers
                // between runs of try blocks with the same offsets (NativeAOT's ExceptionHandling.cs skips them the same way).
                if (clause.TryEndOffset == clause.TryStartOffset) { empty++; continue; }
                Assert.True(fdeStarts.TryGetValue(clause.HandlerAddress, out MethodEhInfo handler), $"handler of {Image.MethodAt(fde.PcBegin)} is not a funclet start");
                Assert.Equal(info.MethodStart, handler.MethodStart);
                Assert.True(handler.IsFunclet && !handler.IsFilterFunclet, $"{Image.MethodAt(fde.PcBegin)} clause {clause.Kind} handler flags {handler.Flags:x}");
                switch (clause.Kind)
                {
                    case EhClauseKind.Typed:
                        typed++;
                        Assert.True(Image.IsMethodTable((ulong)clause.TargetType), $"catch type of {Image.MethodAt(fde.PcBegin)} is not a MethodTable");
                        break;
                    case EhClauseKind.Filter:
                        filters++;
                        Assert.True(fdeStarts.TryGetValue(clause.FilterAddress, out MethodEhInfo filter) && filter.IsFilterFunclet);
                        break;
                    default:
                        faults++;
                        break;
                }
            }
        }
        Assert.True(typed > 50 && faults > 5 && filters > 5, $"typed {typed}, finally/fault {faults}, filter {filters}, empty {empty}");
    }

    [Fact]
    public void ClausesOfAKnownMethodAreInnermostFirst()
    {
        // DispatchCases.FinallyNestedOrder: try { try { try {} finally 1 } finally 2 } catch (Exception) finally 3.
        ulong start = Image.AddressOf("Cosmos_Kernel_Cosmos_Conformance_DispatchCases__FinallyNestedOrder");
        var table = Table;
        Assert.True(FrameDescription.TryParse(table.FindCandidate(start), out FrameDescription d));
        Assert.True(MethodEhInfo.TryCreate(in d, out MethodEhInfo info));
        var clauses = new EhClauseEnumerator(in info);
        var kinds = new List<EhClauseKind>();
        var sizes = new List<uint>();
        while (clauses.MoveNext(out EhClause c)) { kinds.Add(c.Kind); sizes.Add(c.TryEndOffset - c.TryStartOffset); }
        Assert.Equal([EhClauseKind.Fault, EhClauseKind.Fault, EhClauseKind.Typed, EhClauseKind.Fault], kinds);
        Assert.True(sizes[0] <= sizes[1] && sizes[1] <= sizes[2] && sizes[2] <= sizes[3], string.Join(",", sizes));
    }
}
