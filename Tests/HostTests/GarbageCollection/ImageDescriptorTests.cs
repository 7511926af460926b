using Cosmos.HostTests.ExceptionHandling;
using Internal.Runtime;
using Internal.Runtime.GarbageCollection;
using Xunit;

namespace Cosmos.HostTests.GarbageCollection;

/// <summary>
/// The collector's GC-descriptor decoder over what ilc really wrote: the built kernel mapped at its link address
/// (<see cref="KernelImage"/>), MethodTables found by symbol, and the reference slots the decoder yields compared
/// with the types' declarations (Kernel/SelfTests/CollectorTests.cs, FaultInjection.cs). Where ilc's field order
/// is its own business (auto layout), the test checks counts and bounds rather than exact offsets.
/// </summary>
public sealed unsafe class ImageDescriptorTests
{
    private static MethodTable* Type(string symbol) => (MethodTable*)KernelImage.Get().AddressOf(symbol);

    /// <summary>Every reference slot's offset in an object of the type with <paramref name="length"/> elements.</summary>
    private static List<nuint> Slots(MethodTable* mt, uint length)
    {
        var slots = new List<nuint>();
        var series = new GCDescription(mt, length, ObjectLayout.SizeOf(mt, length));
        while (series.MoveNext(out nuint offset, out uint count))
            for (uint i = 0; i < count; i++) slots.Add(offset + 8 * i);
        return slots;
    }

    [Fact]
    public void ClassWithTwoReferencesAndALong()
    {
        // sealed class Node { Node Next; object Payload; long Value; }: header, MethodTable, 3 fields.
        MethodTable* node = Type("_ZTV57Cosmos_Kernel_Cosmos_Kernel_SelfTests_CollectorTests_Node");
        Assert.True(node->ContainsGCPointers);
        Assert.False(node->HasComponentSize);
        Assert.Equal(40u, node->BaseSize);
        List<nuint> slots = Slots(node, 0);
        Assert.Equal(2, slots.Count);
        Assert.All(slots, s => Assert.InRange(s, (nuint)8, (nuint)24));
        Assert.Equal(slots.Count, slots.Distinct().Count());
    }

    [Fact]
    public void ClassWithOneReference()
    {
        // sealed class Owner { Holder Held; }
        MethodTable* owner = Type("_ZTV58Cosmos_Kernel_Cosmos_Kernel_SelfTests_FaultInjection_Owner");
        Assert.Equal(24u, owner->BaseSize);
        Assert.Equal([(nuint)8], Slots(owner, 0));
    }

    [Fact]
    public void StringsAndByteArraysHaveNoReferences()
    {
        Assert.False(Type("_ZTV6String")->ContainsGCPointers);
        MethodTable* bytes = Type("_ZTV14__Array<UInt8>");
        Assert.False(bytes->ContainsGCPointers);
        Assert.Equal(1, bytes->ComponentSize);
        Assert.Empty(Slots(bytes, 100));
    }

    [Theory]
    [InlineData("_ZTV15__Array<Object>")]
    [InlineData("_ZTV15__Array<String>")]
    [InlineData("_ZTV23__Array<__Array<UInt8>>")]
    public void ArraysOfReferencesCoverEveryElementWhateverTheLength(string symbol)
    {
        MethodTable* array = Type(symbol);
        Assert.True(array->ContainsGCPointers);
        Assert.Equal(8, array->ComponentSize);
        foreach (uint length in new uint[] { 0, 1, 7, 1000 })
        {
            List<nuint> slots = Slots(array, length);
            Assert.Equal(Enumerable.Range(0, (int)length).Select(i => (nuint)(16 + 8 * i)), slots);
        }
    }

    [Fact]
    public void ArrayOfStructsRepeatsItsPatternPerElement()
    {
        // struct Slot { long Before; Node List; int Middle; string Name; long After; }: two references per element.
        MethodTable* array = Type("_ZTV66__Array<Cosmos_Kernel_Cosmos_Kernel_SelfTests_CollectorTests_Slot>");
        Assert.True(array->ContainsGCPointers);
        int elementSize = array->ComponentSize;
        Assert.InRange(elementSize, 36, 40);
        Assert.True(new GCDescription(array, 1, ObjectLayout.SizeOf(array, 1)).SeriesCount < 0, "expected the repeating form");
        Assert.Equal((nuint)elementSize, GCDescription.PatternBytes(array));
        const uint Length = 50;
        List<nuint> slots = Slots(array, Length);
        Assert.Equal(2 * (int)Length, slots.Count);
        for (int e = 0; e < Length; e++)
        {
            nuint start = (nuint)(16 + e * elementSize), end = start + (nuint)elementSize;
            Assert.Equal(2, slots.Count(s => s >= start && s + 8 <= end));
        }
        // The same offsets inside every element.
        var first = slots.Take(2).Select(s => s - 16).ToList();
        var last = slots.Skip(2 * ((int)Length - 1)).Select(s => s - 16 - (nuint)((Length - 1) * elementSize)).ToList();
        Assert.Equal(first, last);
    }

    [Fact]
    public void BoxedStructHasItsTwoReferences()
    {
        MethodTable* boxed = Type("_ZTV63Boxed_Cosmos_Kernel_Cosmos_Kernel_SelfTests_CollectorTests_Slot");
        List<nuint> slots = Slots(boxed, 0);
        Assert.Equal(2, slots.Count);
        Assert.All(slots, s => Assert.InRange(s, (nuint)8, (nuint)(boxed->BaseSize - 16)));
    }
}
