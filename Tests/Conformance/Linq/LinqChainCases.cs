#nullable disable
using System;
using System.Collections.Generic;
using System.Linq;

namespace Cosmos.Conformance
{
    /// <summary>Longer LINQ pipelines, each checked against .NET's result.</summary>
    public static class LinqChainCases
    {
        private static string S<T>(IEnumerable<T> items) => string.Join(",", items);

        public static void Register(CaseList list)
        {
            list.Add("linqchain.primes", t =>
            {
                var primes = Enumerable.Range(2, 200).Where(n => Enumerable.Range(2, n - 2).All(d => d * d > n || n % d != 0));
                t.Line("count", primes.Count());
                t.Line("last five", S(primes.Reverse().Take(5)));
                t.Line("twin pairs", primes.Zip(primes.Skip(1), (a, b) => b - a).Count(d => d == 2));
            });
            list.Add("linqchain.histogram", t =>
            {
                var r = new Random(11);
                var rolls = Enumerable.Range(0, 600).Select(_ => r.Next(1, 7) + r.Next(1, 7)).ToList();
                foreach (var g in rolls.GroupBy(x => x).OrderBy(g => g.Key)) t.Line(g.Key.ToString(), new string('#', g.Count() / 10) + " " + g.Count());
            });
            list.Add("linqchain.string-pipeline", t =>
            {
                string text = "the quick brown fox jumps over the lazy dog the end";
                t.Line(S(text.Split(' ').Distinct().OrderBy(w => w.Length).ThenBy(w => w)));
                t.Line(S(text.Where(char.IsLetter).GroupBy(c => c).Where(g => g.Count() > 2).Select(g => g.Key + ":" + g.Count()).OrderBy(s => s)));
                t.Line(string.Concat(text.Split(' ').Select(w => char.ToUpperInvariant(w[0]))));
            });
            list.Add("linqchain.nested-queries", t =>
            {
                var matrix = Enumerable.Range(1, 4).Select(i => Enumerable.Range(1, 4).Select(j => i * j).ToArray()).ToArray();
                t.Line("diagonal", S(matrix.Select((row, i) => row[i])));
                t.Line("row sums", S(matrix.Select(row => row.Sum())));
                t.Line("transpose first row", S(Enumerable.Range(0, 4).Select(c => matrix[c][0])));
                t.Line("flatten distinct count", matrix.SelectMany(r => r).Distinct().Count());
            });
            list.Add("linqchain.dictionary-build", t =>
            {
                var words = new[] { "apple", "avocado", "banana", "blueberry", "cherry", "apricot" };
                var byLetter = words.GroupBy(w => w[0]).ToDictionary(g => g.Key, g => g.OrderBy(w => w).ToList());
                foreach (var kv in byLetter) t.Line(kv.Key.ToString(), S(kv.Value));
                var lookup = words.ToLookup(w => w.Length);
                t.Line("length 6", S(lookup[6]));
            });
            list.Add("linqchain.aggregate-records", t =>
            {
                var sales = new[] { ("north", 120), ("south", 80), ("north", 45), ("east", 200), ("south", 20), ("east", 5) };
                var totals = sales.GroupBy(s => s.Item1).Select(g => (Region: g.Key, Total: g.Sum(s => s.Item2), Max: g.Max(s => s.Item2)))
                                  .OrderByDescending(x => x.Total).ToList();
                foreach (var x in totals) t.Line(x.ToString());
                t.Line("average", sales.Average(s => s.Item2).ToString());
                t.Line("min by", sales.MinBy(s => s.Item2).ToString());
            });
            list.Add("linqchain.set-pipeline", t =>
            {
                var a = Enumerable.Range(1, 30).Where(x => x % 2 == 0);
                var b = Enumerable.Range(1, 30).Where(x => x % 3 == 0);
                t.Line("both", S(a.Intersect(b)));
                t.Line("either count", a.Union(b).Count());
                t.Line("only a", S(a.Except(b).Take(5)));
                t.Line("sequence equal", a.Intersect(b).SequenceEqual(Enumerable.Range(1, 5).Select(x => x * 6)));
            });
            list.Add("linqchain.skip-take-paging", t =>
            {
                var items = Enumerable.Range(1, 23).Select(i => "item" + i).ToList();
                for (int page = 0; page * 5 < items.Count; page++) t.Line("page " + page, S(items.Skip(page * 5).Take(5)));
                t.Line("chunks", items.Chunk(5).Count());
            });
        }
    }
}
