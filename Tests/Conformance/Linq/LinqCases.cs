#nullable disable
using System;
using System.Collections.Generic;
using System.Linq;

namespace Cosmos.Conformance
{
    /// <summary>LINQ to objects against .NET's: results, deferred execution, stability of ordering, and errors.</summary>
    public static class LinqCases
    {
        private sealed class Person
        {
            public string Name;
            public string City;
            public int Age;
            public Person(string name, string city, int age) { Name = name; City = city; Age = age; }
        }

        private static readonly Person[] People =
        {
            new Person("Ann", "Oslo", 31), new Person("Bob", "Rome", 25), new Person("Cid", "Oslo", 25),
            new Person("Dee", "Lima", 40), new Person("Eve", "Rome", 31), new Person("Fay", "Oslo", 19),
        };

        private static string S<T>(IEnumerable<T> items) => string.Join(",", items);

        public static void Register(CaseList list)
        {
            list.Add("linq.where-select", t =>
            {
                int[] n = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
                t.Line(S(n.Where(x => x % 2 == 0).Select(x => x * x)));
                t.Line(S(n.Where((x, i) => i % 3 == 0)));
                t.Line(S(n.Select((x, i) => x * i)));
            });
            list.Add("linq.deferred", t =>
            {
                var source = new List<int> { 1, 2 };
                int calls = 0;
                IEnumerable<int> q = source.Select(x => { calls++; return x * 10; });
                t.Line("calls before", calls);
                source.Add(3);
                t.Line(S(q));
                t.Line("calls after", calls);
                t.Line(S(q));
                t.Line("calls after twice", calls);
            });
            list.Add("linq.select-many", t =>
            {
                string[] words = { "ab", "cde", "" };
                t.Line(S(words.SelectMany(w => w.ToCharArray())));
                t.Line(S(words.SelectMany(w => w.ToCharArray(), (w, c) => w.Length + ":" + c)));
            });
            list.Add("linq.order-by-stable", t =>
            {
                t.Line(S(People.OrderBy(p => p.Age).Select(p => p.Name)));
                t.Line(S(People.OrderByDescending(p => p.Age).Select(p => p.Name)));
                t.Line(S(People.OrderBy(p => p.City).ThenBy(p => p.Age).Select(p => p.Name)));
                t.Line(S(People.OrderBy(p => p.City).ThenByDescending(p => p.Name).Select(p => p.Name)));
                t.Line(S(People.OrderByDescending(p => p.Age).ThenBy(p => p.City).ThenBy(p => p.Name).Select(p => p.Name)));
            });
            list.Add("linq.order-large-stable", t =>
            {
                var items = Enumerable.Range(0, 500).Select(i => (Key: i * 37 % 10, Index: i)).ToList();
                var sorted = items.OrderBy(x => x.Key).ToList();
                bool stable = true;
                for (int i = 1; i < sorted.Count; i++)
                    if (sorted[i - 1].Key == sorted[i].Key && sorted[i - 1].Index > sorted[i].Index) stable = false;
                t.Line("stable", stable);
                t.Line("first", sorted[0].ToString());
                t.Line("last", sorted[sorted.Count - 1].ToString());
            });
            list.Add("linq.group-by", t =>
            {
                foreach (var g in People.GroupBy(p => p.City))
                    t.Line(g.Key, S(g.Select(p => p.Name)));
                foreach (var g in People.GroupBy(p => p.Age, p => p.Name))
                    t.Line(g.Key.ToString(), S(g));
                t.Line(S(People.GroupBy(p => p.City, (city, ps) => city + "=" + ps.Count())));
            });
            list.Add("linq.to-collections", t =>
            {
                var d = People.ToDictionary(p => p.Name, p => p.Age);
                t.Line("Eve", d["Eve"]);
                t.Line("keys", S(d.Keys));
                List<string> l = People.Select(p => p.City).ToList();
                t.Line("list", S(l));
                string[] a = People.Select(p => p.Name).Where(n => n.Contains('e')).ToArray();
                t.Line("array", S(a));
                HashSet<string> h = People.Select(p => p.City).ToHashSet();
                t.Line("set", S(h));
                try { People.ToDictionary(p => p.City); }
                catch (ArgumentException e) { t.Caught("duplicate key", e); }
            });
            list.Add("linq.first-last-single", t =>
            {
                int[] n = { 3, 8, 12, 5 };
                t.Line("First", n.First());
                t.Line("First > 6", n.First(x => x > 6));
                t.Line("FirstOrDefault > 100", n.FirstOrDefault(x => x > 100));
                t.Line("Last", n.Last());
                t.Line("Last < 10", n.Last(x => x < 10));
                t.Line("LastOrDefault empty", new int[0].LastOrDefault());
                t.Line("Single == 12", n.Single(x => x == 12));
                t.Line("SingleOrDefault == 7", n.SingleOrDefault(x => x == 7));
                t.Line("ElementAt 2", n.ElementAt(2));
                t.Line("ElementAtOrDefault 9", n.ElementAtOrDefault(9));
                t.Line("FirstOrDefault string", new string[0].FirstOrDefault() ?? "(null)");
            });
            list.Add("linq.element-errors", t =>
            {
                int[] empty = { };
                int[] n = { 1, 2, 3 };
                try { empty.First(); } catch (InvalidOperationException e) { t.Caught("First empty", e); }
                try { n.First(x => x > 5); } catch (InvalidOperationException e) { t.Caught("First no match", e); }
                try { n.Single(); } catch (InvalidOperationException e) { t.Caught("Single many", e); }
                try { n.Single(x => x > 1); } catch (InvalidOperationException e) { t.Caught("Single many match", e); }
                try { empty.Last(); } catch (InvalidOperationException e) { t.Caught("Last empty", e); }
                try { n.ElementAt(5); } catch (ArgumentOutOfRangeException e) { t.Caught("ElementAt 5", e); }
                try { empty.Max(); } catch (InvalidOperationException e) { t.Caught("Max empty", e); }
                try { empty.Average(); } catch (InvalidOperationException e) { t.Caught("Average empty", e); }
                try { empty.Aggregate((a, b) => a + b); } catch (InvalidOperationException e) { t.Caught("Aggregate empty", e); }
            });
            list.Add("linq.null-arguments", t =>
            {
                IEnumerable<int> none = null;
                try { none.Where(x => true); } catch (ArgumentNullException e) { t.Caught("Where source", e); }
                try { new[] { 1 }.Select((Func<int, int>)null); } catch (ArgumentNullException e) { t.Caught("Select selector", e); }
                try { none.Count(); } catch (ArgumentNullException e) { t.Caught("Count", e); }
                try { new[] { 1 }.OrderBy((Func<int, int>)null); } catch (ArgumentNullException e) { t.Caught("OrderBy", e); }
            });
            list.Add("linq.quantifiers", t =>
            {
                int[] n = { 2, 4, 6, 7 };
                t.Line("Any", n.Any());
                t.Line("Any empty", new int[0].Any());
                t.Line("Any odd", n.Any(x => x % 2 == 1));
                t.Line("All even", n.All(x => x % 2 == 0));
                t.Line("All on empty", new int[0].All(x => false));
                t.Line("Contains 6", n.Contains(6));
                t.Line("Count", n.Count());
                t.Line("Count even", n.Count(x => x % 2 == 0));
                t.Line("Count of iterator", n.Where(x => x > 3).Count());
                t.Line("LongCount", n.LongCount().ToString());
                t.Line("SequenceEqual", n.SequenceEqual(new List<int> { 2, 4, 6, 7 }));
                t.Line("SequenceEqual shorter", n.SequenceEqual(new[] { 2, 4 }));
            });
            list.Add("linq.aggregates", t =>
            {
                int[] n = { 5, -2, 9, 14, 3 };
                t.Line("Sum", n.Sum());
                t.Line("Min", n.Min());
                t.Line("Max", n.Max());
                t.Line("Average", n.Average().ToString());
                t.Line("Sum selector", People.Sum(p => p.Age));
                t.Line("Max selector", People.Max(p => p.Age));
                t.Line("Min string", People.Min(p => p.Name));
                t.Line("Max string", People.Select(p => p.City).Max());
                t.Line("MinBy", People.MinBy(p => p.Age).Name);
                t.Line("MaxBy", People.MaxBy(p => p.Age).Name);
                t.Line("Aggregate", n.Aggregate((a, b) => a * 2 + b));
                t.Line("Aggregate seed", n.Aggregate("", (s, x) => s + x + ";"));
                t.Line("long Sum", new long[] { 1L << 40, 1L << 40 }.Sum().ToString());
                t.Line("double Sum", new[] { 0.5, 0.25, 0.125 }.Sum().ToString());
                try { new[] { int.MaxValue, 1 }.Sum(); } catch (OverflowException e) { t.Caught("int Sum overflow", e); }
                t.Line("Min of empty strings", new string[0].Min() ?? "(null)");
            });
            list.Add("linq.distinct-set-ops", t =>
            {
                int[] a = { 1, 2, 2, 3, 1, 4 };
                int[] b = { 3, 4, 5, 5 };
                t.Line("Distinct", S(a.Distinct()));
                t.Line("Union", S(a.Union(b)));
                t.Line("Intersect", S(a.Intersect(b)));
                t.Line("Except", S(a.Except(b)));
                t.Line("Concat", S(a.Concat(b)));
                t.Line("DistinctBy", S(People.DistinctBy(p => p.City).Select(p => p.Name)));
                t.Line("Distinct ignore case", S(new[] { "a", "A", "b" }.Distinct(StringComparer.OrdinalIgnoreCase)));
            });
            list.Add("linq.partitioning", t =>
            {
                var n = Enumerable.Range(1, 10);
                t.Line("Take 3", S(n.Take(3)));
                t.Line("Skip 7", S(n.Skip(7)));
                t.Line("Take 0", S(n.Take(0)));
                t.Line("Take 20", S(n.Take(20)));
                t.Line("Skip -1", S(n.Skip(-1).Take(2)));
                t.Line("TakeWhile < 4", S(n.TakeWhile(x => x < 4)));
                t.Line("SkipWhile < 8", S(n.SkipWhile(x => x < 8)));
                t.Line("Skip then Take", S(n.Skip(2).Take(3)));
                t.Line("Chunk", S(n.Chunk(4).Select(c => "[" + S(c) + "]")));
            });
            list.Add("linq.generation", t =>
            {
                t.Line("Range", S(Enumerable.Range(-2, 5)));
                t.Line("Repeat", S(Enumerable.Repeat("ab", 3)));
                t.Line("Empty", Enumerable.Empty<int>().Count());
                t.Line("Reverse", S(Enumerable.Range(1, 4).Reverse()));
                t.Line("Append Prepend", S(Enumerable.Range(1, 2).Append(9).Prepend(0)));
                t.Line("Zip", S(Enumerable.Range(1, 3).Zip(new[] { "a", "b" }, (i, s) => s + i)));
                t.Line("DefaultIfEmpty", S(new int[0].DefaultIfEmpty(7)));
                try { Enumerable.Range(0, -1); } catch (ArgumentOutOfRangeException e) { t.Caught("Range -1", e); }
            });
            list.Add("linq.join", t =>
            {
                var cities = new[] { ("Oslo", "NO"), ("Rome", "IT"), ("Paris", "FR") };
                var q = People.Join(cities, p => p.City, c => c.Item1, (p, c) => p.Name + "@" + c.Item2);
                t.Line(S(q));
            });
            list.Add("linq.cast-oftype", t =>
            {
                object[] mixed = { 1, "two", 3, "four", 5.0 };
                t.Line("OfType string", S(mixed.OfType<string>()));
                t.Line("OfType int", S(mixed.OfType<int>()));
                try { t.Line(S(mixed.Cast<string>())); }
                catch (InvalidCastException) { t.Line("Cast threw InvalidCastException"); }
            });
            list.Add("linq.lookup", t =>
            {
                ILookup<int, string> byLength = new[] { "one", "two", "three", "four", "five", "six" }.ToLookup(s => s.Length);
                t.Line("count", byLength.Count);
                t.Line("3", S(byLength[3]));
                t.Line("4", S(byLength[4]));
                t.Line("7", S(byLength[7]));
                t.Line("contains 5", byLength.Contains(5));
            });
            list.Add("linq.query-syntax", t =>
            {
                var q = from p in People
                        where p.Age > 20
                        orderby p.City, p.Name descending
                        select p.City + ":" + p.Name;
                t.Line(S(q));
                var g = from p in People
                        group p.Name by p.Age into ages
                        orderby ages.Key
                        select ages.Key + "=" + string.Join("+", ages);
                t.Line(S(g));
                var pairs = from a in Enumerable.Range(1, 3)
                            from b in Enumerable.Range(a, 2)
                            select a * 10 + b;
                t.Line(S(pairs));
            });
            list.Add("linq.over-collections", t =>
            {
                var d = new Dictionary<string, int> { { "b", 2 }, { "a", 1 }, { "c", 3 } };
                t.Line(S(d.Where(kv => kv.Value > 1).Select(kv => kv.Key)));
                t.Line(S(d.OrderBy(kv => kv.Key).Select(kv => kv.Value)));
                var q = new Queue<int>(new[] { 5, 6, 7 });
                t.Line("queue sum", q.Sum());
                var s = new Stack<int>(new[] { 1, 2, 3 });
                t.Line("stack first", s.First());
                var hs = new HashSet<int> { 9, 8, 7 };
                t.Line("set ordered", S(hs.OrderBy(x => x)));
                t.Line("string chars", S("hello".Where(char.IsLetter).Distinct()));
            });
        }
    }
}
