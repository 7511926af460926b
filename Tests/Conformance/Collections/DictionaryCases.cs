#nullable disable
using System;
using System.Collections.Generic;

namespace Cosmos.Conformance
{
    /// <summary>Dictionary&lt;TKey,TValue&gt; against .NET's, including its enumeration order after removals.</summary>
    public static class DictionaryCases
    {
        private static string Dump<TKey, TValue>(Dictionary<TKey, TValue> d)
        {
            var parts = new List<string>();
            foreach (KeyValuePair<TKey, TValue> kv in d) parts.Add(kv.Key + "=" + kv.Value);
            return string.Join(" ", parts);
        }

        public static void Register(CaseList list)
        {
            list.Add("dictionary.add-get", t =>
            {
                var d = new Dictionary<string, int>();
                d.Add("one", 1);
                d["two"] = 2;
                d["three"] = 3;
                t.Line("count", d.Count);
                t.Line("two", d["two"]);
                t.Line("ContainsKey one", d.ContainsKey("one"));
                t.Line("ContainsKey four", d.ContainsKey("four"));
                t.Line("ContainsValue 3", d.ContainsValue(3));
                t.Line(Dump(d));
            });
            list.Add("dictionary.overwrite", t =>
            {
                var d = new Dictionary<int, string> { [1] = "a", [2] = "b" };
                d[1] = "A";
                t.Line(Dump(d));
                t.Line("TryAdd 1", d.TryAdd(1, "x"));
                t.Line("TryAdd 3", d.TryAdd(3, "c"));
                t.Line(Dump(d));
            });
            list.Add("dictionary.try-get", t =>
            {
                var d = new Dictionary<string, string> { { "k", "v" } };
                t.Line("found", d.TryGetValue("k", out string v));
                t.Line("value", v);
                t.Line("found missing", d.TryGetValue("x", out v));
                t.Line("value", v);
                t.Line("GetValueOrDefault", d.GetValueOrDefault("x", "dflt"));
            });
            list.Add("dictionary.order-after-remove", t =>
            {
                var d = new Dictionary<int, int>();
                for (int i = 0; i < 8; i++) d[i] = i * 10;
                d.Remove(2);
                d.Remove(5);
                t.Line(Dump(d));
                d[100] = 1;
                d[200] = 2;
                d[300] = 3;
                t.Line(Dump(d));
                t.Line("Remove missing", d.Remove(42));
                t.Line("Remove with value", d.Remove(100, out int removed));
                t.Line("removed", removed);
            });
            list.Add("dictionary.errors", t =>
            {
                var d = new Dictionary<string, int> { { "a", 1 } };
                try { d.Add("a", 2); }
                catch (ArgumentException e) { t.Caught("duplicate", e); }
                try { t.Line("value", d["b"]); }
                catch (KeyNotFoundException e) { t.Caught("missing", e); }
                try { d[null] = 1; }
                catch (ArgumentNullException e) { t.Caught("null key", e); }
                try { d.ContainsKey(null); }
                catch (ArgumentNullException e) { t.Caught("null ContainsKey", e); }
            });
            list.Add("dictionary.keys-values", t =>
            {
                var d = new Dictionary<string, int> { { "x", 24 }, { "y", 25 }, { "z", 26 } };
                t.Line("keys", string.Join(",", d.Keys));
                t.Line("values", string.Join(",", d.Values));
                t.Line("keys count", d.Keys.Count);
                var keys = new string[3];
                d.Keys.CopyTo(keys, 0);
                t.Line("copied", string.Join("", keys));
            });
            list.Add("dictionary.modified-while-enumerating", t =>
            {
                var d = new Dictionary<int, int> { { 1, 1 }, { 2, 2 }, { 3, 3 } };
                foreach (var kv in d) if (kv.Key == 2) d.Remove(kv.Key);
                t.Line("remove allowed", Dump(d));
                try
                {
                    foreach (var kv in d) d[kv.Key + 10] = 0;
                    t.Line("no exception");
                }
                catch (InvalidOperationException e) { t.Caught("add while enumerating", e); }
            });
            list.Add("dictionary.many", t =>
            {
                var d = new Dictionary<int, int>();
                for (int i = 0; i < 5000; i++) d[i * 7919 % 10007] = i;
                t.Line("count", d.Count);
                long sum = 0;
                foreach (var kv in d) sum += kv.Key;
                t.Line("key sum", sum.ToString());
                int removed = 0;
                for (int i = 0; i < 10007; i += 3) if (d.Remove(i)) removed++;
                t.Line("removed", removed);
                t.Line("count", d.Count);
                t.Line("first", d.GetEnumerator().MoveNext());
            });
            list.Add("dictionary.comparer", t =>
            {
                var d = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                d["Hello"] = 1;
                d["HELLO"] = 2;
                t.Line("count", d.Count);
                t.Line("hello", d["hello"]);
                t.Line(Dump(d));
            });
            list.Add("dictionary.struct-keys", t =>
            {
                var d = new Dictionary<(int, int), string>();
                d[(1, 2)] = "a";
                d[(2, 1)] = "b";
                d[(1, 2)] = "c";
                t.Line("count", d.Count);
                t.Line("(1,2)", d[(1, 2)]);
                var e = new Dictionary<long, bool> { { 1L << 40, true }, { -5, false } };
                t.Line("long key", e[1L << 40]);
                var c = new Dictionary<char, int>();
                foreach (char ch in "mississippi") c[ch] = c.TryGetValue(ch, out int n) ? n + 1 : 1;
                t.Line(Dump(c));
            });
            list.Add("dictionary.clear", t =>
            {
                var d = new Dictionary<string, string> { { "a", "b" } };
                d.Clear();
                t.Line("count", d.Count);
                d["c"] = "d";
                t.Line(Dump(d));
            });
            list.Add("dictionary.from-collection", t =>
            {
                var source = new List<KeyValuePair<string, int>> { new("a", 1), new("b", 2) };
                var d = new Dictionary<string, int>(source);
                var copy = new Dictionary<string, int>(d);
                copy["c"] = 3;
                t.Line(Dump(d));
                t.Line(Dump(copy));
                IDictionary<string, int> id = copy;
                t.Line("IDictionary keys", string.Join(",", id.Keys));
                IReadOnlyDictionary<string, int> rd = copy;
                t.Line("IReadOnlyDictionary", rd["b"]);
            });
        }
    }
}
