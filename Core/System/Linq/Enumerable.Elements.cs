using System.Collections.Generic;

namespace System.Linq
{
    /// <summary>Single elements of a sequence: First, Last, Single, ElementAt and their OrDefault forms.</summary>
    public static partial class Enumerable
    {
        public static TSource First<TSource>(this IEnumerable<TSource> source)
        {
            if (!TryGetFirst(source, out TSource first)) throw Errors.NoElements();
            return first;
        }

        public static TSource First<TSource>(this IEnumerable<TSource> source, Func<TSource, bool> predicate)
        {
            if (!TryGetFirst(source, predicate, out TSource first)) throw Errors.NoMatch();
            return first;
        }

        public static TSource FirstOrDefault<TSource>(this IEnumerable<TSource> source) => TryGetFirst(source, out TSource first) ? first : default;
        public static TSource FirstOrDefault<TSource>(this IEnumerable<TSource> source, TSource defaultValue) => TryGetFirst(source, out TSource first) ? first : defaultValue;
        public static TSource FirstOrDefault<TSource>(this IEnumerable<TSource> source, Func<TSource, bool> predicate) => TryGetFirst(source, predicate, out TSource first) ? first : default;

        private static bool TryGetFirst<TSource>(IEnumerable<TSource> source, out TSource first)
        {
            Errors.ThrowIfNull(source, "source");
            if (source is IList<TSource> list)
            {
                first = list.Count > 0 ? list[0] : default;
                return list.Count > 0;
            }
            foreach (TSource item in source)
            {
                first = item;
                return true;
            }
            first = default;
            return false;
        }

        private static bool TryGetFirst<TSource>(IEnumerable<TSource> source, Func<TSource, bool> predicate, out TSource first)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(predicate, "predicate");
            foreach (TSource item in source)
            {
                if (!predicate(item)) continue;
                first = item;
                return true;
            }
            first = default;
            return false;
        }

        public static TSource Last<TSource>(this IEnumerable<TSource> source)
        {
            if (!TryGetLast(source, null, out TSource last)) throw Errors.NoElements();
            return last;
        }

        public static TSource Last<TSource>(this IEnumerable<TSource> source, Func<TSource, bool> predicate)
        {
            Errors.ThrowIfNull(predicate, "predicate");
            if (!TryGetLast(source, predicate, out TSource last)) throw Errors.NoMatch();
            return last;
        }

        public static TSource LastOrDefault<TSource>(this IEnumerable<TSource> source) => TryGetLast(source, null, out TSource last) ? last : default;

        public static TSource LastOrDefault<TSource>(this IEnumerable<TSource> source, Func<TSource, bool> predicate)
        {
            Errors.ThrowIfNull(predicate, "predicate");
            return TryGetLast(source, predicate, out TSource last) ? last : default;
        }

        private static bool TryGetLast<TSource>(IEnumerable<TSource> source, Func<TSource, bool> predicate, out TSource last)
        {
            Errors.ThrowIfNull(source, "source");
            bool found = false;
            last = default;
            foreach (TSource item in source)
            {
                if (predicate != null && !predicate(item)) continue;
                last = item;
                found = true;
            }
            return found;
        }

        public static TSource Single<TSource>(this IEnumerable<TSource> source)
        {
            Errors.ThrowIfNull(source, "source");
            using IEnumerator<TSource> e = source.GetEnumerator();
            if (!e.MoveNext()) throw Errors.NoElements();
            TSource result = e.Current;
            if (e.MoveNext()) throw Errors.MoreThanOne();
            return result;
        }

        public static TSource Single<TSource>(this IEnumerable<TSource> source, Func<TSource, bool> predicate)
        {
            if (!TryGetSingle(source, predicate, out TSource result)) throw Errors.NoMatch();
            return result;
        }

        public static TSource SingleOrDefault<TSource>(this IEnumerable<TSource> source)
        {
            Errors.ThrowIfNull(source, "source");
            using IEnumerator<TSource> e = source.GetEnumerator();
            if (!e.MoveNext()) return default;
            TSource result = e.Current;
            if (e.MoveNext()) throw Errors.MoreThanOne();
            return result;
        }

        public static TSource SingleOrDefault<TSource>(this IEnumerable<TSource> source, Func<TSource, bool> predicate) =>
            TryGetSingle(source, predicate, out TSource result) ? result : default;

        private static bool TryGetSingle<TSource>(IEnumerable<TSource> source, Func<TSource, bool> predicate, out TSource result)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(predicate, "predicate");
            bool found = false;
            result = default;
            foreach (TSource item in source)
            {
                if (!predicate(item)) continue;
                if (found) throw Errors.MoreThanOneMatch();
                result = item;
                found = true;
            }
            return found;
        }

        public static TSource ElementAt<TSource>(this IEnumerable<TSource> source, int index)
        {
            Errors.ThrowIfNull(source, "source");
            if (index >= 0)
            {
                if (source is IList<TSource> list)
                {
                    if (index < list.Count) return list[index];
                }
                else
                {
                    foreach (TSource item in source) if (index-- == 0) return item;
                }
            }
            throw new ArgumentOutOfRangeException("index", "Index was out of range. Must be non-negative and less than the size of the collection.");
        }

        public static TSource ElementAtOrDefault<TSource>(this IEnumerable<TSource> source, int index)
        {
            Errors.ThrowIfNull(source, "source");
            if (index < 0) return default;
            foreach (TSource item in source) if (index-- == 0) return item;
            return default;
        }

        public static IEnumerable<TSource> DefaultIfEmpty<TSource>(this IEnumerable<TSource> source) => DefaultIfEmpty(source, default);

        public static IEnumerable<TSource> DefaultIfEmpty<TSource>(this IEnumerable<TSource> source, TSource defaultValue)
        {
            Errors.ThrowIfNull(source, "source");
            return DefaultIfEmptyIterator(source, defaultValue);
        }

        private static IEnumerable<TSource> DefaultIfEmptyIterator<TSource>(IEnumerable<TSource> source, TSource defaultValue)
        {
            bool any = false;
            foreach (TSource item in source)
            {
                any = true;
                yield return item;
            }
            if (!any) yield return defaultValue;
        }
    }
}
