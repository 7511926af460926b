#nullable disable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Cosmos.Conformance
{
    /// <summary>
    /// Programs written the ordinary way (allocate freely, let things go), with results compared. The churn cases
    /// allocate hundreds of MB in total while keeping one or two MB live, far more than the guest's memory, so they
    /// pass only if the collector reclaims what was let go.
    /// </summary>
    public static class AllocationCases
    {
        public static void Register(CaseList list)
        {
            list.Add("alloc.word-frequencies", t =>
            {
                var text = new StringBuilder();
                string[] vocabulary = { "the", "kernel", "boots", "and", "serves", "packets", "quickly", "on", "every", "core" };
                var random = new Random(7);
                for (int i = 0; i < 3000; i++) text.Append(vocabulary[random.Next(vocabulary.Length)]).Append(i % 17 == 0 ? ". " : " ");
                var counts = text.ToString().Split(new[] { ' ', '.' }, StringSplitOptions.RemoveEmptyEntries)
                    .GroupBy(w => w)
                    .Select(g => (Word: g.Key, Count: g.Count()))
                    .OrderByDescending(p => p.Count).ThenBy(p => p.Word)
                    .ToList();
                foreach (var (word, count) in counts) t.Line(word, count);
            });
            list.Add("alloc.dictionary-of-lists", t =>
            {
                var index = new Dictionary<string, List<int>>();
                for (int i = 0; i < 20000; i++)
                {
                    string key = "k" + (i % 997);
                    if (!index.TryGetValue(key, out List<int> values)) index[key] = values = new List<int>();
                    values.Add(i);
                }
                t.Line("keys", index.Count);
                t.Line("k5 count", index["k5"].Count);
                t.Line("k5 last", index["k5"][index["k5"].Count - 1]);
                t.Line("total", index.Values.Sum(v => v.Count));
                t.Line("longest", index.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key);
            });
            list.Add("alloc.linked-structures", t =>
            {
                Node head = null;
                for (int i = 0; i < 5000; i++) head = new Node(i, head);
                long sum = 0;
                int depth = 0;
                for (Node n = head; n != null; n = n.Next) { sum += n.Value; depth++; }
                t.Line("depth", depth);
                t.Line("sum", sum.ToString());
                var tree = new SortedList<int, string>();
                var r = new Random(3);
                for (int i = 0; i < 500; i++) tree[r.Next(10000)] = "v" + i;
                t.Line("sorted keys", tree.Count + " first " + tree.Keys[0] + " last " + tree.Keys[tree.Count - 1]);
            });
            list.Add("alloc.churn-large-buffers", t => Churn(t, 64, 32 * 1024, 10_000));
            list.Add("alloc.churn-small-objects", t =>
            {
                // 1,000,000 rounds of short-lived strings and nodes (about 90 MB), the newest 10,000 strings kept in a queue.
                var recent = new Queue<string>();
                Node chain = null;
                long lengths = 0;
                for (int i = 0; i < 1_000_000; i++)
                {
                    string s = string.Concat("item-", i.ToString());
                    lengths += s.Length;
                    recent.Enqueue(s);
                    if (recent.Count > 10_000) recent.Dequeue();
                    chain = i % 1000 == 0 ? null : new Node(i, chain);
                }
                int depth = 0;
                for (Node n = chain; n != null; n = n.Next) depth++;
                t.Line("lengths", lengths.ToString());
                t.Line("oldest kept", recent.Peek());
                t.Line("chain depth", depth);
            });
            list.Add("alloc.string-building", t =>
            {
                string s = "";
                for (int i = 0; i < 300; i++) s += i % 10;
                t.Line("length", s.Length);
                t.Line("tail", s.Substring(290));
                var parts = Enumerable.Range(0, 2000).Select(i => i.ToString("X")).ToArray();
                string joined = string.Join(":", parts);
                t.Line("joined length", joined.Length);
                t.Line("split back", joined.Split(':').Length);
                t.Line("upper hex count", joined.Count(c => c >= 'A' && c <= 'F'));
            });
        }

        /// <summary>A rolling window of buffers: each new one replaces the oldest, so about Window x size stays live.</summary>
        private static void Churn(Transcript t, int window, int size, int total)
        {
            var live = new byte[window][];
            long allocated = 0;
            for (int i = 0; i < total; i++)
            {
                var buffer = new byte[size];
                buffer[0] = (byte)i;
                buffer[size / 2] = (byte)(i >> 8);
                buffer[size - 1] = (byte)(i * 7);
                live[i % window] = buffer;
                allocated += size;
            }
            long check = 0;
            for (int slot = 0; slot < window; slot++)
            {
                byte[] b = live[slot];
                check = check * 31 + b[0] + b[size / 2] * 3 + b[size - 1] * 5;
            }
            t.Line("allocated MiB", (allocated >> 20).ToString());
            t.Line("live MiB", (((long)window * size) >> 20).ToString());
            t.Line("window check", check.ToString());
        }

        private sealed class Node
        {
            public readonly int Value;
            public readonly Node Next;
            public Node(int value, Node next) { Value = value; Next = next; }
        }
    }
}
