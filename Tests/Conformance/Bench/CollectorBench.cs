#nullable disable
using System;
using System.Runtime.CompilerServices;

namespace Cosmos.Conformance.Bench
{
    /// <summary>
    /// The collector benchmark, one source for both sides (the kernel's test=gc.bench and cosmos-runner's bench --gc
    /// on .NET):
    /// <list type="bullet">
    /// <item>pause: TSC cycles of one <c>GC.Collect()</c> with 10k, 100k and 1M small objects live (a linked list of
    /// nodes held by a static), best of three after a warm-up collection;</item>
    /// <item>workload: build a table of 100,000 string keys, each with a growable list of ints, look every key up once,
    /// drop it; repeated. The kernel's Core has no <c>Dictionary</c> or <c>List</c> yet (another branch adds them), so
    /// the table and the list are the small ones below, the same code on both sides: the same allocations (two strings,
    /// a list object and its array, and its growth, per entry, plus the table's arrays) as
    /// <c>Dictionary&lt;string, List&lt;int&gt;&gt;</c> would make.</item>
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

        /// <summary>A growable list of ints (List&lt;int&gt;'s growth: 4, then doubling).</summary>
        private sealed class IntList
        {
            private int[] _items = new int[4];
            private int _count;

            public int Count => _count;

            public void Add(int value)
            {
                if (_count == _items.Length)
                {
                    var bigger = new int[_items.Length * 2];
                    for (int i = 0; i < _count; i++) bigger[i] = _items[i];
                    _items = bigger;
                }
                _items[_count++] = value;
            }

            public int this[int index] => _items[index];
        }

        /// <summary>A string-keyed hash table with chained entries in arrays (Dictionary's layout), growing by doubling.</summary>
        private sealed class Table
        {
            private int[] _buckets = new int[16];
            private string[] _keys = new string[16];
            private IntList[] _values = new IntList[16];
            private int[] _next = new int[16];
            private int _count;

            public int Count => _count;

            private static int Hash(string key)
            {
                uint h = 2166136261;
                for (int i = 0; i < key.Length; i++) h = (h ^ key[i]) * 16777619;
                return (int)(h & 0x7FFFFFFF);
            }

            public void Add(string key, IntList value)
            {
                if (_count == _keys.Length) Grow();
                int bucket = Hash(key) & (_buckets.Length - 1);
                _keys[_count] = key;
                _values[_count] = value;
                _next[_count] = _buckets[bucket] - 1;
                _buckets[bucket] = _count + 1;
                _count++;
            }

            public IntList Find(string key)
            {
                for (int e = _buckets[Hash(key) & (_buckets.Length - 1)] - 1; e >= 0; e = _next[e])
                    if (_keys[e] == key) return _values[e];
                return null;
            }

            private void Grow()
            {
                int size = _keys.Length * 2;
                var keys = new string[size];
                var values = new IntList[size];
                for (int i = 0; i < _count; i++) { keys[i] = _keys[i]; values[i] = _values[i]; }
                _keys = keys;
                _values = values;
                _next = new int[size];
                _buckets = new int[size];
                for (int i = 0; i < _count; i++)
                {
                    int bucket = Hash(_keys[i]) & (size - 1);
                    _next[i] = _buckets[bucket] - 1;
                    _buckets[bucket] = i + 1;
                }
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long BuildAndDrop(int entries)
        {
            var table = new Table();
            for (int i = 0; i < entries; i++)
            {
                var list = new IntList();
                for (int j = 0; j <= i % 7; j++) list.Add(i + j);
                table.Add(string.Concat("key", i.ToString()), list);
            }
            long sum = 0;
            for (int i = 0; i < entries; i += 1)
            {
                IntList list = table.Find(string.Concat("key", i.ToString()));
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
