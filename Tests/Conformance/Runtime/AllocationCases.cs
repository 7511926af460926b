#nullable disable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Cosmos.Conformance
{
    /// <summary>
    /// Programs written the ordinary way (allocate freely, let things go), with results compared. Totals stay at a
    /// few MB while the kernel has no collector; they grow to hundreds of MB once it has one.
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

        private sealed class Node
        {
            public readonly int Value;
            public readonly Node Next;
            public Node(int value, Node next) { Value = value; Next = next; }
        }
    }
}
