#nullable disable
using System;
using System.Collections.Generic;

namespace Cosmos.Conformance
{
    /// <summary>HashSet, Queue, Stack and SortedList against .NET's.</summary>
    public static class SetQueueStackCases
    {
        public static void Register(CaseList list)
        {
            list.Add("hashset.add-contains", t =>
            {
                var s = new HashSet<int>();
                t.Line("add 1", s.Add(1));
                t.Line("add 2", s.Add(2));
                t.Line("add 1 again", s.Add(1));
                t.Line("count", s.Count);
                t.Line("contains 2", s.Contains(2));
                t.Line("remove 2", s.Remove(2));
                t.Line("remove 2 again", s.Remove(2));
                t.Line(string.Join(",", s));
            });
            list.Add("hashset.order", t =>
            {
                var s = new HashSet<string> { "delta", "alpha", "charlie", "bravo", "alpha" };
                t.Line(string.Join(",", s));
                s.Remove("alpha");
                s.Add("echo");
                s.Add("foxtrot");
                t.Line(string.Join(",", s));
            });
            list.Add("hashset.set-operations", t =>
            {
                var a = new HashSet<int> { 1, 2, 3, 4, 5 };
                var b = new[] { 4, 5, 6, 7 };
                var u = new HashSet<int>(a); u.UnionWith(b); t.Line("union", string.Join(",", u));
                var i = new HashSet<int>(a); i.IntersectWith(b); t.Line("intersect", string.Join(",", i));
                var e = new HashSet<int>(a); e.ExceptWith(b); t.Line("except", string.Join(",", e));
                var x = new HashSet<int>(a); x.SymmetricExceptWith(b); t.Line("symmetric", string.Join(",", x));
                t.Line("overlaps", a.Overlaps(b));
                t.Line("subset of union", a.IsSubsetOf(u));
                t.Line("proper subset of itself", a.IsProperSubsetOf(a));
                t.Line("superset of intersect", a.IsSupersetOf(i));
                t.Line("set equals", a.SetEquals(new[] { 5, 4, 3, 2, 1, 1 }));
                t.Line("RemoveWhere even", a.RemoveWhere(n => n % 2 == 0));
                t.Line(string.Join(",", a));
            });
            list.Add("hashset.comparer", t =>
            {
                var s = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "A", "a", "B" };
                t.Line("count", s.Count);
                t.Line("contains b", s.Contains("b"));
            });
            list.Add("hashset.many", t =>
            {
                var s = new HashSet<long>();
                for (long i = 0; i < 3000; i++) s.Add(i * i % 1009);
                t.Line("distinct squares mod 1009", s.Count);
            });
            list.Add("queue.fifo", t =>
            {
                var q = new Queue<string>();
                q.Enqueue("a"); q.Enqueue("b"); q.Enqueue("c");
                t.Line("peek", q.Peek());
                t.Line("dequeue", q.Dequeue());
                q.Enqueue("d");
                t.Line("items", string.Join(",", q));
                t.Line("count", q.Count);
                t.Line("contains c", q.Contains("c"));
                t.Line("ToArray", string.Join(",", q.ToArray()));
            });
            list.Add("queue.wraparound", t =>
            {
                var q = new Queue<int>();
                int next = 0, sum = 0;
                for (int round = 0; round < 50; round++)
                {
                    for (int i = 0; i < 3; i++) q.Enqueue(next++);
                    for (int i = 0; i < 2; i++) sum += q.Dequeue();
                }
                t.Line("count", q.Count);
                t.Line("sum", sum);
                t.Line("head", q.Peek());
            });
            list.Add("queue.empty", t =>
            {
                var q = new Queue<int>();
                t.Line("TryDequeue", q.TryDequeue(out int v));
                t.Line("TryPeek", q.TryPeek(out v));
                try { q.Dequeue(); }
                catch (InvalidOperationException e) { t.Caught("dequeue", e); }
                try { q.Peek(); }
                catch (InvalidOperationException e) { t.Caught("peek", e); }
            });
            list.Add("stack.lifo", t =>
            {
                var s = new Stack<int>();
                for (int i = 1; i <= 5; i++) s.Push(i * 10);
                t.Line("peek", s.Peek());
                t.Line("pop", s.Pop());
                t.Line("items", string.Join(",", s));
                t.Line("ToArray", string.Join(",", s.ToArray()));
                t.Line("contains 20", s.Contains(20));
                t.Line("count", s.Count);
                var fromList = new Stack<char>("abc");
                t.Line("from sequence", string.Join(",", fromList));
            });
            list.Add("stack.empty", t =>
            {
                var s = new Stack<string>();
                t.Line("TryPop", s.TryPop(out string v));
                t.Line("value", v);
                try { s.Pop(); }
                catch (InvalidOperationException e) { t.Caught("pop", e); }
                s.Push("x");
                try
                {
                    foreach (string item in s) s.Push("y");
                }
                catch (InvalidOperationException e) { t.Caught("push while enumerating", e); }
            });
            list.Add("sortedlist.order", t =>
            {
                var s = new SortedList<string, int>();
                s["pear"] = 3; s["apple"] = 1; s["fig"] = 7; s["banana"] = 2;
                foreach (var kv in s) t.Line(kv.Key, kv.Value);
                t.Line("keys", string.Join(",", s.Keys));
                t.Line("values", string.Join(",", s.Values));
                t.Line("IndexOfKey fig", s.IndexOfKey("fig"));
                t.Line("IndexOfValue 2", s.IndexOfValue(2));
                s.Remove("apple");
                t.Line("after remove", string.Join(",", s.Keys));
            });
            list.Add("sortedlist.errors", t =>
            {
                var s = new SortedList<int, string> { { 3, "c" }, { 1, "a" } };
                try { s.Add(3, "x"); }
                catch (ArgumentException e) { t.Caught("duplicate", e); }
                try { t.Line(s[2]); }
                catch (KeyNotFoundException e) { t.Caught("missing", e); }
                t.Line("TryGetValue 1", s.TryGetValue(1, out string v));
                t.Line("value", v);
                t.Line("first key", s.Keys[0]);
            });
            list.Add("sorteddictionary.order", t =>
            {
                var d = new SortedDictionary<string, int>(StringComparer.Ordinal);
                foreach (string w in new[] { "kiwi", "Apple", "banana", "apple", "Cherry" }) d[w] = w.Length;
                foreach (var kv in d) t.Line(kv.Key, kv.Value);
                t.Line("keys", string.Join(",", d.Keys));
                t.Line("remove kiwi", d.Remove("kiwi"));
                t.Line("TryGetValue", d.TryGetValue("banana", out int v) + " " + v);
                t.Line("count", d.Count);
                try { t.Line("missing", d["zzz"]); } catch (KeyNotFoundException e) { t.Caught("missing", e); }
                var byInt = new SortedDictionary<int, string> { [30] = "c", [10] = "a", [20] = "b" };
                t.Line("int keys", string.Join(",", byInt.Values));
            });
            list.Add("sortedlist.descending", t =>
            {
                var s = new SortedList<int, int>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
                for (int i = 0; i < 6; i++) s.Add(i * 3 % 7, i);
                t.Line("keys", string.Join(",", s.Keys));
            });
        }
    }
}
