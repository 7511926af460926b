#nullable disable
using System;
using System.Collections.Generic;
using System.Linq;

namespace Cosmos.Conformance
{
    /// <summary>Less travelled paths of the collections: growth after removals, reuse, capacities, enumerators' ends.</summary>
    public static class CollectionEdgeCases
    {
        private static string S<T>(IEnumerable<T> items) => string.Join(",", items);

        public static void Register(CaseList list)
        {
            list.Add("edge.list-capacity", t =>
            {
                var l = new List<int>(10) { 1, 2, 3 };
                t.Line("capacity", l.Capacity);
                l.Capacity = 3;
                t.Line("shrunk", l.Capacity);
                try { l.Capacity = 2; } catch (ArgumentOutOfRangeException e) { t.Caught("below count", e); }
                t.Line("EnsureCapacity", l.EnsureCapacity(20));
            });
            list.Add("edge.list-nulls", t =>
            {
                var l = new List<string> { null, "a", null };
                t.Line("IndexOf null", l.IndexOf(null));
                t.Line("Contains null", l.Contains(null));
                t.Line("Remove null", l.Remove(null));
                t.Line("count", l.Count);
                l.Sort();
                t.Line("sorted with null", string.Join(",", l.Select(s => s ?? "(null)")));
            });
            list.Add("edge.list-of-nullable", t =>
            {
                var l = new List<int?> { 3, null, 1 };
                l.Sort();
                t.Line(string.Join(",", l.Select(v => v.HasValue ? v.Value.ToString() : "null")));
                t.Line("IndexOf null", l.IndexOf(null));
                t.Line("Max", l.Max().ToString());
            });
            list.Add("edge.dictionary-reuse-order", t =>
            {
                var d = new Dictionary<string, int>();
                foreach (string k in new[] { "a", "b", "c", "d", "e" }) d[k] = k[0];
                d.Remove("b"); d.Remove("d"); d.Remove("a");
                d["x"] = 1; d["y"] = 2;
                t.Line(S(d.Keys));
                d.Clear();
                d["z"] = 0;
                t.Line(S(d.Keys));
                t.Line("EnsureCapacity at least", d.EnsureCapacity(50) >= 50);
            });
            list.Add("edge.dictionary-int-keys", t =>
            {
                var d = new Dictionary<int, string>();
                for (int i = -5; i <= 5; i++) d[i * 1000003] = i.ToString();
                t.Line(S(d.Values));
                t.Line("negative", d[-5000015]);
                t.Line("TryAdd existing", d.TryAdd(0, "x"));
            });
            list.Add("edge.hashset-misc", t =>
            {
                var s = new HashSet<string> { "one", "two" };
                t.Line("TryGetValue", s.TryGetValue("two", out string actual) + " " + actual);
                var arr = new string[3];
                s.CopyTo(arr, 1);
                t.Line("CopyTo", string.Join(",", arr.Select(x => x ?? "-")));
                s.Add(null);
                t.Line("null member", s.Contains(null));
                t.Line("count", s.Count);
                var empty = new HashSet<int>();
                t.Line("empty subset", empty.IsSubsetOf(new[] { 1 }));
                t.Line("empty proper subset of empty", empty.IsProperSubsetOf(new int[0]));
                t.Line("overlaps empty", new HashSet<int> { 1 }.Overlaps(new int[0]));
            });
            list.Add("edge.queue-after-wrap", t =>
            {
                var q = new Queue<int>(4);
                for (int i = 0; i < 4; i++) q.Enqueue(i);
                q.Dequeue(); q.Dequeue();
                q.Enqueue(4); q.Enqueue(5); q.Enqueue(6);
                t.Line("items", S(q));
                t.Line("ToArray", S(q.ToArray()));
                q.TrimExcess();
                t.Line("peek", q.Peek());
                var e = q.GetEnumerator();
                try { t.Line("Current before MoveNext", e.Current); } catch (InvalidOperationException ex) { t.Caught("Current", ex); }
            });
            list.Add("edge.stack-copy", t =>
            {
                var s = new Stack<string>(new[] { "a", "b", "c" });
                var arr = new string[5];
                s.CopyTo(arr, 1);
                t.Line(string.Join(",", arr.Select(x => x ?? "-")));
                s.Clear();
                t.Line("count", s.Count);
                t.Line("TryPeek", s.TryPeek(out _));
            });
            list.Add("edge.sortedlist-index", t =>
            {
                var s = new SortedList<int, string>();
                for (int i = 10; i > 0; i -= 3) s.Add(i, "v" + i);
                t.Line(S(s.Keys));
                t.Line("GetKeyAtIndex 1", s.GetKeyAtIndex(1));
                t.Line("GetValueAtIndex 2", s.GetValueAtIndex(2));
                s.RemoveAt(0);
                t.Line("after RemoveAt", S(s.Keys));
                t.Line("ContainsValue v7", s.ContainsValue("v7"));
                s[5] = "five";
                t.Line("indexer insert", S(s.Values));
                try { s.RemoveAt(10); } catch (ArgumentOutOfRangeException e) { t.Caught("RemoveAt 10", e); }
            });
            list.Add("edge.nested-generics", t =>
            {
                var d = new Dictionary<string, Dictionary<int, List<string>>>();
                d["outer"] = new Dictionary<int, List<string>> { [1] = new List<string> { "x" } };
                d["outer"][1].Add("y");
                d["outer"][2] = new List<string>();
                t.Line("inner", S(d["outer"][1]));
                t.Line("count", d["outer"].Count);
                var sets = new List<HashSet<char>> { new HashSet<char>("hello"), new HashSet<char>("world") };
                t.Line("union", new string(sets.SelectMany(x => x).Distinct().ToArray()));
                var tupleKeys = new Dictionary<(string, int), List<(int, int)>>();
                tupleKeys[("a", 1)] = new List<(int, int)> { (1, 2) };
                t.Line("tuple key", tupleKeys[("a", 1)][0].ToString());
            });
            list.Add("edge.collection-expressions", t =>
            {
                List<int> l = [1, 2, 3];
                int[] a = [.. l, 4];
                HashSet<string> h = ["x", "y", "x"];
                t.Line("list", S(l));
                t.Line("spread", S(a));
                t.Line("set", h.Count);
                Span<int> span = [5, 6];
                t.Line("span", span[1]);
            });
            list.Add("edge.enumerator-dispose", t =>
            {
                var l = new List<int> { 1, 2 };
                using (var e = l.GetEnumerator()) { e.MoveNext(); t.Line("first", e.Current); }
                IEnumerator<int> boxed = ((IEnumerable<int>)l).GetEnumerator();
                boxed.MoveNext(); boxed.MoveNext();
                t.Line("boxed second", boxed.Current);
                t.Line("boxed end", boxed.MoveNext());
                boxed.Dispose();
                var d = new Dictionary<int, int> { [1] = 2 };
                foreach (KeyValuePair<int, int> kv in (IEnumerable<KeyValuePair<int, int>>)d) t.Line("dictionary via interface", kv.Key + "=" + kv.Value);
            });
        }
    }
}
