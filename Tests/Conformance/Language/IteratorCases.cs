#nullable disable
using System;
using System.Collections.Generic;
using System.Linq;

namespace Cosmos.Conformance
{
    /// <summary>Iterator state machines as the C# compiler writes them: nesting, recursion, try/finally, generic ones.</summary>
    public static class IteratorCases
    {
        private sealed class Tree
        {
            public int Value;
            public Tree Left, Right;
            public Tree(int value, Tree left = null, Tree right = null) { Value = value; Left = left; Right = right; }

            public IEnumerable<int> InOrder()
            {
                if (Left != null) foreach (int v in Left.InOrder()) yield return v;
                yield return Value;
                if (Right != null) foreach (int v in Right.InOrder()) yield return v;
            }
        }

        private static IEnumerable<T> Interleave<T>(IEnumerable<T> a, IEnumerable<T> b)
        {
            using var ea = a.GetEnumerator();
            using var eb = b.GetEnumerator();
            bool moreA = true, moreB = true;
            while (moreA || moreB)
            {
                if (moreA && (moreA = ea.MoveNext())) yield return ea.Current;
                if (moreB && (moreB = eb.MoveNext())) yield return eb.Current;
            }
        }

        private static IEnumerable<int> Throwing(List<string> log)
        {
            try
            {
                yield return 1;
                throw new InvalidOperationException("from the iterator");
            }
            finally
            {
                log.Add("iterator finally");
            }
        }

        public static void Register(CaseList list)
        {
            list.Add("iter.recursive-tree", t =>
            {
                var tree = new Tree(5, new Tree(3, new Tree(1), new Tree(4)), new Tree(8, null, new Tree(9)));
                t.Line(string.Join(",", tree.InOrder()));
                t.Line("sum", tree.InOrder().Sum());
            });
            list.Add("iter.generic-interleave", t =>
            {
                t.Line(string.Join(",", Interleave(new[] { 1, 3, 5, 7 }, new[] { 2, 4 })));
                t.Line(string.Join(",", Interleave(new[] { "a" }, new[] { "x", "y", "z" })));
            });
            list.Add("iter.exception-runs-finally", t =>
            {
                var log = new List<string>();
                try
                {
                    foreach (int v in Throwing(log)) log.Add("got " + v);
                }
                catch (InvalidOperationException e) { log.Add("caught " + e.Message); }
                t.Line(string.Join("; ", log));
            });
            list.Add("iter.lazy-pipeline-order", t =>
            {
                var log = new List<string>();
                var q = Enumerable.Range(1, 3).Select(x => { log.Add("select " + x); return x; }).Where(x => { log.Add("where " + x); return x != 2; });
                foreach (int x in q) log.Add("use " + x);
                t.Line(string.Join("; ", log));
            });
            list.Add("iter.closures-in-iterators", t =>
            {
                IEnumerable<Func<int>> Makers()
                {
                    for (int i = 0; i < 3; i++)
                    {
                        int captured = i * i;
                        yield return () => captured + 1;
                    }
                }
                t.Line(string.Join(",", Makers().Select(f => f())));
            });
        }
    }
}
