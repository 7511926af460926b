using System.Collections.Generic;

namespace System.Linq
{
    /// <summary>Materialising a sequence: ToArray, ToList, ToDictionary, ToHashSet, ToLookup.</summary>
    public static partial class Enumerable
    {
        public static TSource[] ToArray<TSource>(this IEnumerable<TSource> source)
        {
            Errors.ThrowIfNull(source, "source");
            if (source is ICollection<TSource> c)
            {
                var array = new TSource[c.Count];
                c.CopyTo(array, 0);
                return array;
            }
            return new List<TSource>(source).ToArray();
        }

        public static List<TSource> ToList<TSource>(this IEnumerable<TSource> source)
        {
            Errors.ThrowIfNull(source, "source");
            return new List<TSource>(source);
        }

        public static HashSet<TSource> ToHashSet<TSource>(this IEnumerable<TSource> source) => new HashSet<TSource>(source);
        public static HashSet<TSource> ToHashSet<TSource>(this IEnumerable<TSource> source, IEqualityComparer<TSource> comparer) => new HashSet<TSource>(source, comparer);

        public static Dictionary<TKey, TSource> ToDictionary<TSource, TKey>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector) =>
            ToDictionary(source, keySelector, item => item, null);

        public static Dictionary<TKey, TSource> ToDictionary<TSource, TKey>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector, IEqualityComparer<TKey> comparer) =>
            ToDictionary(source, keySelector, item => item, comparer);

        public static Dictionary<TKey, TElement> ToDictionary<TSource, TKey, TElement>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector, Func<TSource, TElement> elementSelector) =>
            ToDictionary(source, keySelector, elementSelector, null);

        public static Dictionary<TKey, TElement> ToDictionary<TSource, TKey, TElement>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector,
            Func<TSource, TElement> elementSelector, IEqualityComparer<TKey> comparer)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(keySelector, "keySelector");
            Errors.ThrowIfNull(elementSelector, "elementSelector");
            var dictionary = new Dictionary<TKey, TElement>(comparer);
            foreach (TSource item in source) dictionary.Add(keySelector(item), elementSelector(item));
            return dictionary;
        }

        public static Dictionary<TKey, TValue> ToDictionary<TKey, TValue>(this IEnumerable<KeyValuePair<TKey, TValue>> source) =>
            new Dictionary<TKey, TValue>(source);

        public static ILookup<TKey, TSource> ToLookup<TSource, TKey>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(keySelector, "keySelector");
            return Lookup<TKey, TSource>.Create(source, keySelector, item => item, null);
        }

        public static ILookup<TKey, TElement> ToLookup<TSource, TKey, TElement>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector, Func<TSource, TElement> elementSelector)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(keySelector, "keySelector");
            Errors.ThrowIfNull(elementSelector, "elementSelector");
            return Lookup<TKey, TElement>.Create(source, keySelector, elementSelector, null);
        }
    }
}
