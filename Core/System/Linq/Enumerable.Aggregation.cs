using System.Collections.Generic;

namespace System.Linq
{
    /// <summary>Answers about a whole sequence: Any, All, Count, Contains, Sum, Min, Max, Average, Aggregate.</summary>
    public static partial class Enumerable
    {
        public static bool Any<TSource>(this IEnumerable<TSource> source)
        {
            Errors.ThrowIfNull(source, "source");
            if (source is ICollection<TSource> c) return c.Count != 0;
            using IEnumerator<TSource> e = source.GetEnumerator();
            return e.MoveNext();
        }

        public static bool Any<TSource>(this IEnumerable<TSource> source, Func<TSource, bool> predicate)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(predicate, "predicate");
            foreach (TSource item in source) if (predicate(item)) return true;
            return false;
        }

        public static bool All<TSource>(this IEnumerable<TSource> source, Func<TSource, bool> predicate)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(predicate, "predicate");
            foreach (TSource item in source) if (!predicate(item)) return false;
            return true;
        }

        public static int Count<TSource>(this IEnumerable<TSource> source)
        {
            Errors.ThrowIfNull(source, "source");
            if (source is ICollection<TSource> c) return c.Count;
            if (source is IReadOnlyCollection<TSource> r) return r.Count;
            int count = 0;
            using IEnumerator<TSource> e = source.GetEnumerator();
            while (e.MoveNext()) count = checked(count + 1);
            return count;
        }

        public static int Count<TSource>(this IEnumerable<TSource> source, Func<TSource, bool> predicate)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(predicate, "predicate");
            int count = 0;
            foreach (TSource item in source) if (predicate(item)) count = checked(count + 1);
            return count;
        }

        public static long LongCount<TSource>(this IEnumerable<TSource> source)
        {
            Errors.ThrowIfNull(source, "source");
            long count = 0;
            foreach (TSource _ in source) count++;
            return count;
        }

        public static bool Contains<TSource>(this IEnumerable<TSource> source, TSource value)
        {
            Errors.ThrowIfNull(source, "source");
            if (source is ICollection<TSource> c) return c.Contains(value);
            return Contains(source, value, null);
        }

        public static bool Contains<TSource>(this IEnumerable<TSource> source, TSource value, IEqualityComparer<TSource> comparer)
        {
            Errors.ThrowIfNull(source, "source");
            comparer ??= EqualityComparer<TSource>.Default;
            foreach (TSource item in source) if (comparer.Equals(item, value)) return true;
            return false;
        }

        public static bool SequenceEqual<TSource>(this IEnumerable<TSource> first, IEnumerable<TSource> second)
        {
            Errors.ThrowIfNull(first, "first");
            Errors.ThrowIfNull(second, "second");
            EqualityComparer<TSource> comparer = EqualityComparer<TSource>.Default;
            using IEnumerator<TSource> a = first.GetEnumerator();
            using IEnumerator<TSource> b = second.GetEnumerator();
            while (a.MoveNext())
                if (!b.MoveNext() || !comparer.Equals(a.Current, b.Current)) return false;
            return !b.MoveNext();
        }

        public static int Sum(this IEnumerable<int> source)
        {
            Errors.ThrowIfNull(source, "source");
            int sum = 0;
            foreach (int v in source) sum = checked(sum + v);
            return sum;
        }

        public static long Sum(this IEnumerable<long> source)
        {
            Errors.ThrowIfNull(source, "source");
            long sum = 0;
            foreach (long v in source) sum = checked(sum + v);
            return sum;
        }

        public static double Sum(this IEnumerable<double> source)
        {
            Errors.ThrowIfNull(source, "source");
            double sum = 0;
            foreach (double v in source) sum += v;
            return sum;
        }

        public static int Sum<TSource>(this IEnumerable<TSource> source, Func<TSource, int> selector) => Sum(Select(source, selector));
        public static long Sum<TSource>(this IEnumerable<TSource> source, Func<TSource, long> selector) => Sum(Select(source, selector));
        public static double Sum<TSource>(this IEnumerable<TSource> source, Func<TSource, double> selector) => Sum(Select(source, selector));

        public static double Average(this IEnumerable<int> source)
        {
            Errors.ThrowIfNull(source, "source");
            long sum = 0;
            long count = 0;
            foreach (int v in source) { sum = checked(sum + v); count++; }
            if (count == 0) throw Errors.NoElements();
            return (double)sum / count;
        }

        public static double Average(this IEnumerable<double> source)
        {
            Errors.ThrowIfNull(source, "source");
            double sum = 0;
            long count = 0;
            foreach (double v in source) { sum += v; count++; }
            if (count == 0) throw Errors.NoElements();
            return sum / count;
        }

        public static double Average<TSource>(this IEnumerable<TSource> source, Func<TSource, int> selector) => Average(Select(source, selector));
        public static double Average<TSource>(this IEnumerable<TSource> source, Func<TSource, double> selector) => Average(Select(source, selector));

        public static int Min(this IEnumerable<int> source) => Min<int>(source);
        public static int Max(this IEnumerable<int> source) => Max<int>(source);
        public static long Min(this IEnumerable<long> source) => Min<long>(source);
        public static long Max(this IEnumerable<long> source) => Max<long>(source);
        public static double Min(this IEnumerable<double> source) => Min<double>(source);
        public static double Max(this IEnumerable<double> source) => Max<double>(source);
        public static int Min<TSource>(this IEnumerable<TSource> source, Func<TSource, int> selector) => Min<int>(Select(source, selector));
        public static int Max<TSource>(this IEnumerable<TSource> source, Func<TSource, int> selector) => Max<int>(Select(source, selector));
        public static TResult Min<TSource, TResult>(this IEnumerable<TSource> source, Func<TSource, TResult> selector) => Min(Select(source, selector));
        public static TResult Max<TSource, TResult>(this IEnumerable<TSource> source, Func<TSource, TResult> selector) => Max(Select(source, selector));

        /// <summary>
        /// The smallest element by Comparer&lt;T&gt;.Default. As .NET: an empty sequence of a value type throws; of a
        /// reference (or nullable) type it gives null, and nulls are skipped.
        /// </summary>
        public static TSource Min<TSource>(this IEnumerable<TSource> source) => Extreme(source, -1);
        public static TSource Max<TSource>(this IEnumerable<TSource> source) => Extreme(source, 1);

        private static TSource Extreme<TSource>(IEnumerable<TSource> source, int wanted)
        {
            Errors.ThrowIfNull(source, "source");
            Comparer<TSource> comparer = Comparer<TSource>.Default;
            TSource best = default;
            bool found = false;
            foreach (TSource item in source)
            {
                if (item == null) continue;
                if (!found || Math.Sign(comparer.Compare(item, best)) == wanted)
                {
                    best = item;
                    found = true;
                }
            }
            if (!found && default(TSource) != null) throw Errors.NoElements();
            return best;
        }

        public static TSource MinBy<TSource, TKey>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector) => ExtremeBy(source, keySelector, -1);
        public static TSource MaxBy<TSource, TKey>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector) => ExtremeBy(source, keySelector, 1);

        private static TSource ExtremeBy<TSource, TKey>(IEnumerable<TSource> source, Func<TSource, TKey> keySelector, int wanted)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(keySelector, "keySelector");
            Comparer<TKey> comparer = Comparer<TKey>.Default;
            TSource best = default;
            TKey bestKey = default;
            bool found = false;
            foreach (TSource item in source)
            {
                TKey key = keySelector(item);
                if (!found || Math.Sign(comparer.Compare(key, bestKey)) == wanted)
                {
                    best = item;
                    bestKey = key;
                    found = true;
                }
            }
            if (!found && default(TSource) != null) throw Errors.NoElements();
            return best;
        }

        public static TSource Aggregate<TSource>(this IEnumerable<TSource> source, Func<TSource, TSource, TSource> func)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(func, "func");
            using IEnumerator<TSource> e = source.GetEnumerator();
            if (!e.MoveNext()) throw Errors.NoElements();
            TSource result = e.Current;
            while (e.MoveNext()) result = func(result, e.Current);
            return result;
        }

        public static TAccumulate Aggregate<TSource, TAccumulate>(this IEnumerable<TSource> source, TAccumulate seed, Func<TAccumulate, TSource, TAccumulate> func)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(func, "func");
            TAccumulate result = seed;
            foreach (TSource item in source) result = func(result, item);
            return result;
        }

        public static TResult Aggregate<TSource, TAccumulate, TResult>(this IEnumerable<TSource> source, TAccumulate seed,
            Func<TAccumulate, TSource, TAccumulate> func, Func<TAccumulate, TResult> resultSelector) =>
            resultSelector(Aggregate(source, seed, func));
    }
}
