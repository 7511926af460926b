#nullable disable
using System;
using System.Collections.Generic;

namespace Cosmos.Conformance
{
    /// <summary>List&lt;T&gt; against .NET's: contents, capacity growth, searching, sorting, ranges, enumeration and errors.</summary>
    public static class ListCases
    {
        public static void Register(CaseList list)
        {
            list.Add("list.add-and-index", t =>
            {
                var l = new List<int>();
                for (int i = 0; i < 10; i++) l.Add(i * i);
                t.Line("count", l.Count);
                t.Line("[3]", l[3]);
                t.Line("items", string.Join(",", l));
            });
            list.Add("list.capacity-growth", t =>
            {
                var l = new List<int>();
                t.Line("empty capacity", l.Capacity);
                for (int i = 0; i < 9; i++) { l.Add(i); t.Line("capacity after " + (i + 1), l.Capacity); }
                l.TrimExcess();
                t.Line("after TrimExcess", l.Capacity);
            });
            list.Add("list.insert-remove", t =>
            {
                var l = new List<string> { "a", "b", "c", "d" };
                l.Insert(0, "start");
                l.Insert(5, "end");
                l.Insert(2, "mid");
                t.Line(string.Join(" ", l));
                t.Line("Remove b", l.Remove("b"));
                t.Line("Remove zz", l.Remove("zz"));
                l.RemoveAt(0);
                t.Line(string.Join(" ", l));
                l.RemoveRange(1, 2);
                t.Line(string.Join(" ", l));
                t.Line("RemoveAll len 1", l.RemoveAll(s => s.Length == 1));
                t.Line(string.Join(" ", l));
            });
            list.Add("list.search", t =>
            {
                var l = new List<int> { 5, 3, 9, 3, 7 };
                t.Line("IndexOf 3", l.IndexOf(3));
                t.Line("LastIndexOf 3", l.LastIndexOf(3));
                t.Line("IndexOf 3 from 2", l.IndexOf(3, 2));
                t.Line("IndexOf 4", l.IndexOf(4));
                t.Line("Contains 9", l.Contains(9));
                t.Line("Find > 5", l.Find(x => x > 5));
                t.Line("FindLast > 5", l.FindLast(x => x > 5));
                t.Line("FindIndex even", l.FindIndex(x => x % 2 == 0));
                t.Line("Exists > 8", l.Exists(x => x > 8));
                t.Line("TrueForAll odd", l.TrueForAll(x => x % 2 == 1));
                t.Line("FindAll > 4", string.Join(",", l.FindAll(x => x > 4)));
            });
            list.Add("list.sort", t =>
            {
                var l = new List<int> { 42, -1, 17, 0, 99, 5, 5, 23, -40, 8, 16, 3, 77, 1, 2, 64, 31, 12, 11, 10 };
                l.Sort();
                t.Line(string.Join(",", l));
                l.Sort((a, b) => b.CompareTo(a));
                t.Line(string.Join(",", l));
                l.Reverse();
                t.Line(string.Join(",", l));
                t.Line("BinarySearch 17", l.BinarySearch(17));
                t.Line("BinarySearch 18", l.BinarySearch(18));
            });
            list.Add("list.sort-strings", t =>
            {
                var l = new List<string> { "pear", "apple", "fig", "banana", "cherry", "date" };
                l.Sort();
                t.Line(string.Join(",", l));
                l.Sort((a, b) => a.Length != b.Length ? a.Length - b.Length : string.CompareOrdinal(a, b));
                t.Line(string.Join(",", l));
            });
            list.Add("list.sort-large", t =>
            {
                var l = new List<int>();
                uint x = 12345;
                for (int i = 0; i < 2000; i++) { x = x * 1103515245 + 12345; l.Add((int)(x >> 16) % 1000); }
                l.Sort();
                bool sorted = true;
                for (int i = 1; i < l.Count; i++) if (l[i - 1] > l[i]) sorted = false;
                t.Line("sorted", sorted);
                t.Line("first", l[0]);
                t.Line("last", l[l.Count - 1]);
                t.Line("median", l[1000]);
            });
            list.Add("list.ranges", t =>
            {
                var l = new List<int> { 1, 2, 3, 4, 5, 6 };
                t.Line("GetRange(1,3)", string.Join(",", l.GetRange(1, 3)));
                l.AddRange(new[] { 7, 8 });
                l.InsertRange(0, new List<int> { -1, 0 });
                t.Line(string.Join(",", l));
                t.Line("ToArray length", l.ToArray().Length);
                var copy = new int[12];
                l.CopyTo(copy, 2);
                t.Line("CopyTo", string.Join(",", copy));
                t.Line("ConvertAll", string.Join(",", l.ConvertAll(i => "#" + i)));
            });
            list.Add("list.foreach-modified", t =>
            {
                var l = new List<int> { 1, 2, 3 };
                try
                {
                    foreach (int i in l) if (i == 2) l.Add(4);
                    t.Line("no exception");
                }
                catch (InvalidOperationException e) { t.Caught("add while enumerating", e); }
                int sum = 0;
                foreach (int i in l) sum += i;
                t.Line("sum", sum);
            });
            list.Add("list.errors", t =>
            {
                var l = new List<int> { 1 };
                try { t.Line("value", l[1]); }
                catch (ArgumentOutOfRangeException e) { t.Caught("index 1", e); }
                try { l.Insert(3, 0); }
                catch (ArgumentOutOfRangeException e) { t.Caught("insert 3", e); }
                try { l.RemoveAt(-1); }
                catch (ArgumentOutOfRangeException e) { t.Caught("RemoveAt -1", e); }
                try { new List<int>(-1); }
                catch (ArgumentOutOfRangeException e) { t.Caught("capacity -1", e); }
                try { l.GetRange(0, 2); }
                catch (ArgumentException e) { t.Caught("GetRange past the end", e); }
            });
            list.Add("list.interfaces", t =>
            {
                IList<string> il = new List<string> { "x", "y" };
                il.Add("z");
                ICollection<string> c = il;
                IEnumerable<string> e = c;
                IReadOnlyList<string> r = (List<string>)il;
                t.Line("count", c.Count);
                t.Line("r[2]", r[2]);
                t.Line("IsReadOnly", c.IsReadOnly);
                var sb = new System.Text.StringBuilder();
                foreach (string s in e) sb.Append(s);
                t.Line("walk", sb.ToString());
            });
            list.Add("list.struct-enumerator", t =>
            {
                var l = new List<int> { 4, 5, 6 };
                List<int>.Enumerator en = l.GetEnumerator();
                while (en.MoveNext()) t.Line("current", en.Current);
                t.Line("after end", en.MoveNext());
            });
            list.Add("list.of-structs", t =>
            {
                var l = new List<KeyValuePair<string, int>>();
                l.Add(new KeyValuePair<string, int>("a", 1));
                l.Add(KeyValuePair.Create("b", 2));
                foreach (var kv in l) t.Line(kv.ToString());
                var (k, v) = l[1];
                t.Line(k, v);
            });
            list.Add("list.clear-reuse", t =>
            {
                var l = new List<string>(2) { "a", "b", "c" };
                int capacity = l.Capacity;
                l.Clear();
                t.Line("count", l.Count);
                t.Line("capacity kept", l.Capacity == capacity);
                l.Add("d");
                t.Line(string.Join(",", l));
            });
            list.Add("list.read-only", t =>
            {
                var l = new List<int> { 1, 2 };
                var ro = l.AsReadOnly();
                l.Add(3);
                t.Line("live count", ro.Count);
                try { ((ICollection<int>)ro).Add(4); }
                catch (NotSupportedException e) { t.Caught("add", e); }
            });
        }
    }
}
