#nullable disable
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Cosmos.Conformance.Bench
{
    /// <summary>
    /// The collector benchmark, one source for both sides (the kernel's test=gc.bench and cosmos-runner's bench --gc
    /// on .NET):
    /// <list type="bullet">
    /// <item>pause: TSC cycles of one <c>GC.Collect()</c> with 10k, 100k and 1M small objects live (a linked list of
    /// nodes held by a static), best of three after a warm-up collection;</item>
    /// <item>workload: build a <c>Dictionary&lt;string, List&lt;int&gt;&gt;</c> of 100,000 string keys, each list holding
    /// one to seven ints, look every key up once, drop it; repeated. The kernel runs its own Core's Dictionary and List,
    /// .NET its own: the same source, each side's library.</item>
    /// </list>
    /// </summary>
    public static class CollectorBench
    {
        public struct Result
        {
            public string Name;
            /// <summary>Live objects for a pause; entries for the workload.</summary>
            public int Count;
            public ulong Cycles;
            /// <summary>Collections the measurement caused (the workload's, per round).</summary>
            public long Collections;
        }

        private sealed class Node
        {
            public Node Next;
            public long Value;
        }

        private static Node s_live;
        private static long s_sink;

        /// <summary>Pauses for each live-object count.</summary>
        public static Result[] Pauses(Func<ulong> readTsc, Func<long> collections, int[] liveCounts)
        {
            var results = new Result[liveCounts.Length];
            for (int i = 0; i < liveCounts.Length; i++) results[i] = Pause(readTsc, collections, liveCounts[i]);
            return results;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Build(int count)
        {
            Node head = null;
            for (int i = 0; i < count; i++) head = new Node { Next = head, Value = i };
            s_live = head;
        }

        private static Result Pause(Func<ulong> readTsc, Func<long> collections, int live)
        {
            Build(live);
            GC.Collect();
            ulong best = ulong.MaxValue;
            for (int round = 0; round < 3; round++)
            {
                ulong start = readTsc();
                GC.Collect();
                ulong cycles = readTsc() - start;
                if (cycles < best) best = cycles;
            }
            long sum = 0;
            for (Node n = s_live; n != null; n = n.Next) sum += n.Value;
            if (sum != (long)live * (live - 1) / 2) throw new InvalidOperationException("the live list changed across collections");
            s_live = null;
            GC.Collect();
            return new Result { Name = "pause", Count = live, Cycles = best };
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long BuildAndDrop(int entries)
        {
            var table = new Dictionary<string, List<int>>();
            for (int i = 0; i < entries; i++)
            {
                var list = new List<int>();
                for (int j = 0; j <= i % 7; j++) list.Add(i + j);
                table.Add(string.Concat("key", i.ToString()), list);
            }
            long sum = 0;
            for (int i = 0; i < entries; i += 1)
            {
                List<int> list = table[string.Concat("key", i.ToString())];
                sum += list.Count + list[0];
            }
            return sum;
        }

        /// <summary>
        /// The same code's share that does not allocate: the hashing and comparing of the workload's 100,000 keys,
        /// over one preallocated key. Kernel under an emulator against .NET on bare hardware differ by the emulator's
        /// factor as well; this line measures that factor, so the workload's ratio can be read beside it.
        /// </summary>
        public static Result Baseline(Func<ulong> readTsc, int entries, int rounds)
        {
            var chars = new char[8];
            ulong best = ulong.MaxValue;
            for (int round = 0; round <= rounds; round++)
            {
                ulong start = readTsc();
                uint total = 0;
                for (int i = 0; i < entries * 4; i++)
                {
                    int v = i;
                    for (int c = chars.Length - 1; c >= 0; c--) { chars[c] = (char)('0' + v % 10); v /= 10; }
                    uint h = 2166136261;
                    for (int c = 0; c < chars.Length; c++) h = (h ^ chars[c]) * 16777619;
                    total += h;
                }
                ulong cycles = readTsc() - start;
                s_sink += total;
                if (round > 0 && cycles < best) best = cycles;
            }
            return new Result { Name = "baseline", Count = entries, Cycles = best };
        }

        /// <summary>The workload: <paramref name="rounds"/> timed rounds after one warm-up; the best round and the collections per round.</summary>
        public static Result Workload(Func<ulong> readTsc, Func<long> collections, int entries, int rounds)
        {
            long expected = 0;
            for (int i = 0; i < entries; i++) expected += i % 7 + 1 + i;
            ulong best = ulong.MaxValue;
            long collected = 0;
            for (int round = 0; round <= rounds; round++)
            {
                long before = collections();
                ulong start = readTsc();
                long sum = BuildAndDrop(entries);
                ulong cycles = readTsc() - start;
                if (sum != expected) throw new InvalidOperationException("the table lost entries");
                s_sink += sum;
                if (round == 0) continue;
                collected += collections() - before;
                if (cycles < best) best = cycles;
            }
            return new Result { Name = "workload", Count = entries, Cycles = best, Collections = collected / rounds };
        }
    }
}
