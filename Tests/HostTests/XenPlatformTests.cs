using System.Runtime.CompilerServices;
using Cosmos.Drivers.Xen.Hypervisor;
using Cosmos.Drivers.Xen.Platform;
using Cosmos.Drivers.Xen.Spec;
using Cosmos.Drivers.Xen.Xenstore;
using Cosmos.Hal.Io;
using Cosmos.HostTests.VirtioModel;
using Cosmos.HostTests.XenModel;
using Xunit;

namespace Cosmos.HostTests;

/// <summary>The platform layer against the models: CPUID detection, unplug, xenstore client, events, grants.</summary>
public unsafe class XenPlatformTests
{
    private sealed class Platform : IDisposable
    {
        public readonly GuestMemory Memory = new(8);
        public readonly HypervisorModel Xen;
        public readonly XenstoreDaemonModel Store;
        public readonly XenPlatform Guest;

        public Platform()
        {
            Xen = new HypervisorModel(Memory);
            Store = new XenstoreDaemonModel(Xen);
            Guest = new XenPlatform(Xen, Memory, Xen);
            if (!Guest.Initialize(4, &HypervisorModel.Translate)) throw new InvalidOperationException(Guest.Error);
            Guest.Store.TimeoutMilliseconds = 500;
        }

        public void Dispose() => Memory.Dispose();
    }

    // ---- CPUID ----
    private static readonly Dictionary<uint, CpuidRegisters> s_leaves = new();

    private static CpuidRegisters FakeCpuid(uint leaf) => s_leaves.TryGetValue(leaf, out var r) ? r : default;

    private static void XenLeaves(uint baseLeaf)
    {
        s_leaves[baseLeaf] = new CpuidRegisters { Eax = baseLeaf + 5, Ebx = XenCpuidLeaves.SignatureEbx, Ecx = XenCpuidLeaves.SignatureEcx, Edx = XenCpuidLeaves.SignatureEdx };
        s_leaves[baseLeaf + 1] = new CpuidRegisters { Eax = 4 << 16 | 17 };
        s_leaves[baseLeaf + 2] = new CpuidRegisters { Eax = 1, Ebx = 0x4000_0000 };
        s_leaves[baseLeaf + 3] = new CpuidRegisters { Ecx = 2_100_000 };
    }

    [Fact]
    public void Cpuid_FindsXenAtTheBase_AndBehindAViridianLeaf()
    {
        lock (s_leaves)
        {
            s_leaves.Clear();
            XenLeaves(0x4000_0000);
            Assert.True(XenCpuid.TryDetect(&FakeCpuid, out var info));
            Assert.Equal(0x4000_0000u, info.BaseLeaf);
            Assert.Equal((4, 17), (info.Major, info.Minor));
            Assert.Equal(0x4000_0000u, info.HypercallMsr);
            Assert.Equal(2_100_000u, info.TscKilohertz);

            // Viridian at the base ("Microsoft Hv"), Xen at 0x40000100.
            s_leaves.Clear();
            s_leaves[0x4000_0000] = new CpuidRegisters { Eax = 0x4000_0006, Ebx = 0x7263694D, Ecx = 0x666F736F, Edx = 0x76482074 };
            XenLeaves(0x4000_0100);
            Assert.True(XenCpuid.TryDetect(&FakeCpuid, out info));
            Assert.Equal(0x4000_0100u, info.BaseLeaf);

            s_leaves.Clear();
            Assert.False(XenCpuid.TryDetect(&FakeCpuid, out _));
        }
    }

    // ---- unplug (docs/misc/hvm-emulated-unplug.pandoc) ----
    private sealed class UnplugPorts(int version, bool blacklist) : IDeviceRegisters
    {
        public readonly List<string> Log = new();
        private bool _identified;
        public ulong Length => 4;
        public byte Read8(int offset) { Log.Add($"r8 {offset}"); return offset == 2 ? (byte)version : (byte)0; }
        public ushort Read16(int offset) { Log.Add($"r16 {offset}"); return offset == 0 ? (blacklist && _identified ? (ushort)0xD249 : (ushort)0x49D2) : (ushort)0; }
        public uint Read32(int offset) => 0;
        public void Write8(int offset, byte value) => Log.Add($"w8 {offset} {value}");
        public void Write16(int offset, ushort value) => Log.Add($"w16 {offset} {value}");
        public void Write32(int offset, uint value) { Log.Add($"w32 {offset} {value}"); _identified = true; }
    }

    [Fact]
    public void Unplug_FollowsTheProtocol_AndHonoursTheBlacklist()
    {
        var ports = new UnplugPorts(version: 1, blacklist: false);
        Assert.Equal(EmulatedDeviceUnplug.Outcome.Unplugged, EmulatedDeviceUnplug.UnplugNetworkCards(ports, out int version));
        Assert.Equal(1, version);
        Assert.Equal(new[] { "r16 0", "r8 2", $"w16 2 {EmulatedDeviceUnplug.ProductNumber}", "w32 0 1", "r16 0", "w16 0 2" }, ports.Log);

        var old = new UnplugPorts(version: 0, blacklist: false);
        Assert.Equal(EmulatedDeviceUnplug.Outcome.Unplugged, EmulatedDeviceUnplug.UnplugNetworkCards(old, out _));
        Assert.Equal(new[] { "r16 0", "r8 2", "w16 0 2" }, old.Log); // version 0 skips steps 3-5

        var blacklisted = new UnplugPorts(version: 1, blacklist: true);
        Assert.Equal(EmulatedDeviceUnplug.Outcome.Blacklisted, EmulatedDeviceUnplug.UnplugNetworkCards(blacklisted, out _));
        Assert.DoesNotContain("w16 0 2", blacklisted.Log);
    }

    // ---- xenstore client ----
    [Fact]
    public void Xenstore_ReadWriteDirectoryRemove_AndErrorsComeBackAsErrno()
    {
        using var p = new Platform();
        var store = p.Guest.Store;
        Assert.Equal("cosmos-model", store.Read("name"));
        Assert.Equal(0, store.Write("data/greeting", "hello"));
        Assert.Equal("hello", p.Store.Get("/local/domain/1/data/greeting"));
        Assert.Equal(0, store.Write("data/other", "x"));
        Assert.Equal(new[] { "greeting", "other" }, store.Directory("data"));
        Assert.Null(store.Read("data/missing", out int error));
        Assert.Equal(-XenErrno.ENOENT, error);
        Assert.Equal("ENOENT", store.LastError);
        Assert.Equal(0, store.Remove("data/other"));
        Assert.Equal(new[] { "greeting" }, store.Directory("data"));
    }

    [Fact]
    public void Xenstore_LongValues_StreamThroughTheOneKilobyteRings()
    {
        using var p = new Platform();
        string big = new string('v', 3000);
        Assert.Equal(0, p.Guest.Store.Write("data/big", big));
        Assert.Equal(big, p.Guest.Store.Read("data/big"));
        Assert.Equal(-XenErrno.E2BIG, p.Guest.Store.Write("data/huge", new string('h', 5000)));
    }

    [Fact]
    public void Xenstore_SkipsAStaleReply_AndMarksTheRingBrokenOnAnOversizedOne()
    {
        using var p = new Platform();
        p.Store.SendStaleReplyFirst = true;
        Assert.Equal("cosmos-model", p.Guest.Store.Read("name"));
        Assert.Equal(1, p.Guest.Store.StaleReplies);

        p.Store.SendOversizedReply = true;
        Assert.Null(p.Guest.Store.Read("name", out int error));
        Assert.Equal(-XenErrno.EIO, error);
        Assert.True(p.Guest.Store.IsBroken);
        Assert.Contains("XENSTORE_PAYLOAD_MAX", p.Guest.Store.LastError);
    }

    [Fact]
    public void Xenstore_TimesOutWhenTheDaemonIsSilent()
    {
        using var p = new Platform();
        p.Store.Silent = true;
        Assert.Null(p.Guest.Store.Read("name", out int error));
        Assert.Equal(-XenstoreClient.ETIMEDOUT, error);
        Assert.Contains("within 500 ms", p.Guest.Store.LastError);
    }

    [Fact]
    public void Xenstore_WatchesFireOnSet_AndOnChangesBelowThePath()
    {
        using var p = new Platform();
        var store = p.Guest.Store;
        Assert.Equal(0, store.Watch("watched", "tok"));
        Assert.True(store.TryTakeWatchEvent(out string path, out string token)); // fires once when set
        Assert.Equal(("watched", "tok"), (path, token));
        p.Store.Set("/local/domain/1/watched/child", "1");
        p.Xen.Pump();
        Assert.True(store.TryTakeWatchEvent(out path, out token));
        Assert.Equal("watched/child", path);
        Assert.False(store.TryTakeWatchEvent(out _, out _));
        Assert.Equal(0, store.Unwatch("watched", "tok"));
        p.Store.Set("/local/domain/1/watched/child", "2");
        p.Xen.Pump();
        Assert.False(store.TryTakeWatchEvent(out _, out _));
    }

    [Fact]
    public void Xenstore_TransactionConflicts_AnswerEagain_AndAbortLeavesNothing()
    {
        using var p = new Platform();
        var store = p.Guest.Store;
        Assert.Equal(0, store.TransactionStart(out uint tx));
        Assert.Null(store.Read("data/counter", tx));
        Assert.Equal(0, store.Write("data/counter", "1", tx));
        p.Store.Set("/local/domain/1/data/counter", "7"); // someone else writes meanwhile
        Assert.Equal(-XenErrno.EAGAIN, store.TransactionEnd(tx, commit: true));
        Assert.Equal("7", store.Read("data/counter"));

        Assert.Equal(0, store.TransactionStart(out tx));
        Assert.Equal(0, store.Write("data/aborted", "x", tx));
        Assert.Equal(0, store.TransactionEnd(tx, commit: false));
        Assert.Null(store.Read("data/aborted"));
    }

    // ---- event channels ----
    [Fact]
    public void Events_MaskedPortsWait_UntilUnmasked_AndStrayPortsAreCountedNotFollowed()
    {
        using var p = new Platform();
        var events = p.Guest.Events;
        Assert.Equal(0, events.AllocateUnbound(0, out uint port));
        Assert.True(p.Xen.BindInterdomain(0, port, () => { }));
        events.Mask(port);
        p.Xen.NotifyGuest(port);
        events.Scan();
        Assert.False(events.TakeFired(port));
        events.Unmask(port); // EVTCHNOP_unmask re-raises the pending event
        events.Scan();
        Assert.True(events.TakeFired(port));
        Assert.False(events.TakeFired(port));

        p.Xen.NotifyGuest(3000); // a port nobody allocated
        events.Scan();
        Assert.Equal(1, events.Stray);
    }

    [Fact]
    public void Events_BindInterdomain_ConnectsToAPortTheBackendOffered_AndRefusesOthers()
    {
        using var p = new Platform();
        int backendHeard = 0;
        p.Xen.OfferPortToGuest(0, 77, () => backendHeard++);
        Assert.Equal(0, p.Guest.Events.BindInterdomain(0, 77, out uint local));
        Assert.True(p.Xen.IsBound(local));
        Assert.Equal(0, p.Guest.Events.Notify(local));
        Assert.Equal(1, backendHeard);
        p.Xen.NotifyGuest(local);
        p.Guest.Events.Scan();
        Assert.True(p.Guest.Events.TakeFired(local)); // bound ports are adopted: their events are delivered
        Assert.Equal(-XenErrno.EINVAL, p.Guest.Events.BindInterdomain(0, 78, out _)); // nothing offered there
    }

    // ---- grants ----
    [Fact]
    public void Grants_AreRefusedToOtherDomains_AndRevokeWaitsForTheMapToGo()
    {
        using var p = new Platform();
        var page = p.Memory.Allocate(4096, 4096);
        int reference = p.Guest.Grants.Grant(0, page.Physical >> 12, readOnly: false);
        Assert.True(reference >= GrantTableOp.ReservedEntries);
        Assert.Throws<GrantFault>(() => p.Xen.CheckGrant(5, (uint)reference, write: false));
        Assert.True(p.Xen.CheckGrant(0, (uint)reference, write: true) == page.Virtual);

        p.Xen.MapGrant(0, (uint)reference, write: true);
        Assert.False(p.Guest.Grants.Revoke(reference)); // GTF_reading|GTF_writing: still in use
        Assert.True(p.Guest.Grants.IsGranted(reference));
        p.Xen.UnmapGrant((uint)reference);
        Assert.True(p.Guest.Grants.Revoke(reference));
        Assert.Throws<GrantFault>(() => p.Xen.CheckGrant(0, (uint)reference, write: false)); // gone
        Assert.False(p.Guest.Grants.Revoke(reference)); // twice: refused, not double-freed
    }

    [Fact]
    public void Grants_NeverHandOutTheReservedEntries_AndRunOutCleanly()
    {
        using var p = new Platform();
        var seen = new HashSet<int>();
        int r;
        while ((r = p.Guest.Grants.Grant(0, 0x1234, readOnly: true)) >= 0) Assert.True(seen.Add(r));
        Assert.Equal(4 * 512 - GrantTableOp.ReservedEntries, seen.Count);
        Assert.DoesNotContain(seen, x => x < GrantTableOp.ReservedEntries);
    }

    [Fact]
    public void Platform_MapsSharedInfoAndGrantFrames_AndReadsTheStoreParameters()
    {
        using var p = new Platform();
        Assert.True(p.Xen.SharedInfo != null);
        Assert.Equal(4, p.Xen.GrantFramesMapped);
        Assert.Equal(p.Store.RingFrame, p.Guest.StoreFrame);
        Assert.Equal(p.Store.GuestPort, p.Guest.StorePort);
        Assert.Equal(0, p.Guest.UseCallbackVector(0x30));
        Assert.Equal((2UL << 56) | 0x30, p.Xen.CallbackIrq);
    }
}
