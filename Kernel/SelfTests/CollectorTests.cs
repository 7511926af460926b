using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using Cosmos.Hal.Memory;
using static Cosmos.Kernel.SelfTests.SelfTestRunner;

namespace Cosmos.Kernel.SelfTests
{
    /// <summary>
    /// The garbage collector in the kernel: garbage is reclaimed with no call from its owner, whatever is reachable
    /// (from statics, from locals of frames further up, from closures, through arrays of structs, through an
    /// interior pointer only) survives collections intact, cycles go, and running out of memory is an
    /// OutOfMemoryException the program can catch and recover from. The same tests run under gc.stress.
    /// </summary>
    internal static unsafe class CollectorTests
    {
        public static void Register()
        {
            Run("gc.reclaims-garbage", ReclaimsGarbage);
            Run("gc.keeps-static-roots", KeepsStaticRoots);
            Run("gc.keeps-locals-across-calls", KeepsLocalsAcrossCalls);
            Run("gc.keeps-closures", KeepsClosures);
            Run("gc.struct-arrays", StructArrays);
            Run("gc.interior-pointer-keeps-object", InteriorPointerKeepsObject);
            Run("gc.cycles", Cycles);
            Run("gc.out-of-memory", OutOfMemory);
            Run("gc.verifier-passes", VerifierPasses);
        }

        private sealed class Node
        {
            public Node Next;
            public object Payload;
            public long Value;
        }

        private static Node List(int count, long seed)
        {
            Node head = null;
            for (int i = 0; i < count; i++) head = new Node { Next = head, Value = seed + i, Payload = (i & 3) == 0 ? new byte[i % 200 + 1] : null };
            return head;
        }

        private static long Sum(Node head)
        {
            long sum = 0;
            for (Node n = head; n != null; n = n.Next)
            {
                sum += n.Value;
                if (n.Payload is byte[] b) sum += b.Length;
            }
            return sum;
        }

        private static long ExpectedSum(int count, long seed)
        {
            long sum = 0;
            for (int i = 0; i < count; i++) sum += seed + i + ((i & 3) == 0 ? i % 200 + 1 : 0);
            return sum;
        }

        /// <summary>Garbage of every kind and size: lists, small and large arrays, strings; about <paramref name="megabytes"/> MB.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long MakeGarbage(int megabytes)
        {
            long end = GC.GetTotalAllocatedBytes() + ((long)megabytes << 20), check = 0;
            int round = 0;
            while (GC.GetTotalAllocatedBytes() < end)
            {
                Node n = List(50, round);
                byte[] small = new byte[round * 37 % 1900 + 1];
                object[] refs = new object[round % 64 + 1];
                refs[0] = n;
                if (round % 40 == 0)
                {
                    byte[] large = new byte[8192 + round % 65536];
                    check += large.Length;
                }
                check += Sum(n) + small.Length;
                round++;
            }
            return check;
        }

        private static void ReclaimsGarbage()
        {
            GC.Collect();
            long liveBefore = Allocator.LiveBytes;
            ulong pagesBefore = PhysicalMemory.Pages.FreePages;
            long collectionsBefore = GC.CollectionCount(0);
            long allocatedBefore = GC.GetTotalAllocatedBytes();
            // Several times what a 64 MiB machine could hold, and nobody calls Free.
            MakeGarbage(150);
            long allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
            Expect(allocated > 150L << 20, "allocated less than 150 MB");
            Expect(GC.CollectionCount(0) > collectionsBefore + 10, "the budget did not start collections while allocating");
            GC.Collect();
            long grown = Allocator.LiveBytes - liveBefore;
            Expect(grown < 256 * 1024, string.Concat("live bytes after a collection grew by ", grown.ToString()));
            long pagesLost = (long)pagesBefore - (long)PhysicalMemory.Pages.FreePages;
            Expect(pagesLost < 64, string.Concat("the heap kept pages after the garbage went: ", pagesLost.ToString()));
        }

        private static string Repeat(char c, int count)
        {
            Span<char> chars = stackalloc char[count];
            chars.Fill(c);
            return new string(chars);
        }

        private static Node s_kept;
        private static object[] s_keptArray;

        private static void KeepsStaticRoots()
        {
            s_kept = List(5000, 7);
            s_keptArray = new object[300];
            for (int i = 0; i < s_keptArray.Length; i++) s_keptArray[i] = i % 2 == 0 ? List(10, i) : Repeat('x', i);
            MakeGarbage(12);
            GC.Collect();
            ExpectEqual(ExpectedSum(5000, 7), Sum(s_kept), "a list reachable only from a static");
            bool arrayIntact = true;
            for (int i = 0; i < s_keptArray.Length; i++)
                arrayIntact &= i % 2 == 0 ? Sum((Node)s_keptArray[i]) == ExpectedSum(10, i) : ((string)s_keptArray[i]).Length == i;
            Expect(arrayIntact, "an array of lists and strings reachable only from a static");
            s_kept = null;
            s_keptArray = null;
        }

        private static void KeepsLocalsAcrossCalls()
        {
            Node local = List(3000, 11);
            string text = string.Concat("kept ", "across calls");
            long result = Deeper(5, local);
            ExpectEqual(ExpectedSum(3000, 11) * 6, result, "lists held by locals of six frames");
            Expect(Sum(local) == ExpectedSum(3000, 11) && text.Length == 17, "the caller's locals after the calls");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long Deeper(int depth, Node fromCaller)
        {
            Node mine = List(3000, 11);
            if (depth > 0)
            {
                long below = Deeper(depth - 1, mine);
                return below + Sum(fromCaller) - Sum(mine) + Sum(mine);
            }
            MakeGarbage(6);
            GC.Collect();
            return Sum(fromCaller) + Sum(mine) * 0;
        }

        private static void KeepsClosures()
        {
            int[] captured = new int[1000];
            for (int i = 0; i < captured.Length; i++) captured[i] = i;
            Node capturedList = List(500, 3);
            Func<long> total = () =>
            {
                long s = 0;
                for (int i = 0; i < captured.Length; i++) s += captured[i];
                return s + Sum(capturedList);
            };
            Func<long> kept = Hold(total);
            total = null;
            MakeGarbage(8);
            GC.Collect();
            ExpectEqual(999L * 1000 / 2 + ExpectedSum(500, 3), kept(), "state reachable only from a delegate's closure");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Func<long> Hold(Func<long> f) => f;

        private struct Slot
        {
            public long Before;
            public Node List;
            public int Middle;
            public string Name;
            public long After;
        }

        /// <summary>An array of structs mixing references and data: the repeating form of the GC descriptor.</summary>
        private static void StructArrays()
        {
            var slots = new Slot[700];
            for (int i = 0; i < slots.Length; i++)
                slots[i] = new Slot { Before = i, List = List(4, i), Middle = -i, Name = Repeat('n', i % 17), After = 2 * i };
            MakeGarbage(8);
            GC.Collect();
            bool intact = true;
            for (int i = 0; i < slots.Length; i++)
                intact &= slots[i].Before == i && Sum(slots[i].List) == ExpectedSum(4, i) && slots[i].Middle == -i
                    && slots[i].Name.Length == i % 17 && slots[i].After == 2 * i;
            Expect(intact, "every element's references and data after collections");
            object boxed = new Slot { List = List(20, 1), Name = "boxed" };
            MakeGarbage(2);
            GC.Collect();
            Expect(Sum(((Slot)boxed).List) == ExpectedSum(20, 1), "a boxed struct's references");
        }

        /// <summary>Only a span into the middle of an array is left: the conservative scan maps it to the array.</summary>
        private static void InteriorPointerKeepsObject()
        {
            Span<byte> middle = Make().AsSpan(1000, 100);
            MakeGarbage(8);
            GC.Collect();
            Expect(GarbageCollector.IsAllocatedObjectAt((nuint)Unsafe.AsPointer(ref middle[0])), "the array behind the span is still allocated");
            bool intact = true;
            for (int i = 0; i < middle.Length; i++) intact &= middle[i] == (byte)(1000 + i);
            Expect(intact, "the array's contents through the span");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static byte[] Make()
        {
            byte[] a = new byte[5000];
            for (int i = 0; i < a.Length; i++) a[i] = (byte)i;
            return a;
        }

        private static void Cycles()
        {
            GC.Collect();
            long before = Allocator.LiveBytes;
            MakeRings();
            GC.Collect();
            long grown = Allocator.LiveBytes - before;
            Expect(grown < 64 * 1024, string.Concat("rings of objects that point at each other were not reclaimed: ", grown.ToString(), " bytes"));
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void MakeRings()
        {
            for (int r = 0; r < 2000; r++)
            {
                Node first = new Node { Value = r };
                Node last = first;
                for (int i = 0; i < 50; i++) last = new Node { Next = last };
                first.Next = last;  // a ring of 51
                first.Payload = new object[] { first, last, first };
            }
        }

        /// <summary>
        /// Keeps 256 KiB arrays until memory runs out: an OutOfMemoryException, after which what was kept is intact,
        /// and once it is dropped, allocation works again.
        /// </summary>
        private static void OutOfMemory()
        {
            Node kept = null;
            int count = 0;
            bool thrown = false;
            try
            {
                while (count < 100_000)
                {
                    byte[] block = new byte[256 * 1024];
                    block[0] = (byte)count;
                    kept = new Node { Next = kept, Payload = block, Value = count };
                    count++;
                }
            }
            catch (OutOfMemoryException e)
            {
                thrown = e.Message == "Insufficient memory to continue the execution of the program.";
            }
            Expect(thrown, "no OutOfMemoryException with .NET's message");
            Expect(count > 8, string.Concat("only ", count.ToString(), " arrays fitted"));
            bool intact = true;
            int n = count;
            for (Node k = kept; k != null; k = k.Next)
            {
                n--;
                intact &= k.Value == n && ((byte[])k.Payload)[0] == (byte)n && ((byte[])k.Payload).Length == 256 * 1024;
            }
            Expect(intact && n == 0, "what was kept until memory ran out");
            kept = null;
            GC.Collect();
            byte[] again = new byte[1 << 20];
            Expect(again.Length == 1 << 20, "allocation after the memory came back");
        }

        private static void VerifierPasses()
        {
            s_kept = List(1000, 1);
            var slots = new Slot[50];
            for (int i = 0; i < slots.Length; i++) slots[i].List = List(3, i);
            GC.Collect();
            long before = GarbageCollector.Verifications;
            GarbageCollector.Verify();   // panics with a report if anything is wrong
            ExpectEqual(before + 1, GarbageCollector.Verifications, "the verifier ran");
            GC.KeepAlive(slots);
            s_kept = null;
        }
    }
}
