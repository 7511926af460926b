using System.Collections;
using System.Collections.Generic;

namespace System.Linq
{
    public interface IGrouping<out TKey, out TElement> : IEnumerable<TElement>
    {
        TKey Key { get; }
    }

    public interface ILookup<TKey, TElement> : IEnumerable<IGrouping<TKey, TElement>>
    {
        int Count { get; }
        IEnumerable<TElement> this[TKey key] { get; }
        bool Contains(TKey key);
    }

    /// <summary>One group: its key and its elements in source order.</summary>
    public class Grouping<TKey, TElement> : IGrouping<TKey, TElement>, IList<TElement>
    {
        private readonly TKey _key;
        internal readonly List<TElement> Elements = new List<TElement>();

        internal Grouping(TKey key) { _key = key; }

        public TKey Key => _key;
        public int Count => Elements.Count;
        public bool IsReadOnly => true;
        public TElement this[int index] { get => Elements[index]; set => throw new NotSupportedException("Specified method is not supported."); }
        public IEnumerator<TElement> GetEnumerator() => Elements.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => Elements.GetEnumerator();
        public bool Contains(TElement item) => Elements.Contains(item);
        public int IndexOf(TElement item) => Elements.IndexOf(item);
        public void CopyTo(TElement[] array, int arrayIndex) => Elements.CopyTo(array, arrayIndex);
        public void Add(TElement item) => throw new NotSupportedException("Specified method is not supported.");
        public void Clear() => throw new NotSupportedException("Specified method is not supported.");
        public void Insert(int index, TElement item) => throw new NotSupportedException("Specified method is not supported.");
        public bool Remove(TElement item) => throw new NotSupportedException("Specified method is not supported.");
        public void RemoveAt(int index) => throw new NotSupportedException("Specified method is not supported.");
    }

    /// <summary>Groups in the order their keys first appear (as .NET's GroupBy and ToLookup give them). Null keys form a group.</summary>
    public class Lookup<TKey, TElement> : ILookup<TKey, TElement>
    {
        private readonly List<Grouping<TKey, TElement>> _groups = new List<Grouping<TKey, TElement>>();
        private readonly Dictionary<TKey, Grouping<TKey, TElement>> _byKey;
        private Grouping<TKey, TElement> _nullGroup;

        private Lookup(IEqualityComparer<TKey> comparer) { _byKey = new Dictionary<TKey, Grouping<TKey, TElement>>(comparer); }

        internal static Lookup<TKey, TElement> Create<TSource>(IEnumerable<TSource> source, Func<TSource, TKey> keySelector,
            Func<TSource, TElement> elementSelector, IEqualityComparer<TKey> comparer)
        {
            var lookup = new Lookup<TKey, TElement>(comparer);
            foreach (TSource item in source) lookup.GroupFor(keySelector(item)).Elements.Add(elementSelector(item));
            return lookup;
        }

        private Grouping<TKey, TElement> GroupFor(TKey key)
        {
            Grouping<TKey, TElement> group;
            if (key == null)
            {
                if (_nullGroup == null) { _nullGroup = new Grouping<TKey, TElement>(key); _groups.Add(_nullGroup); }
                return _nullGroup;
            }
            if (!_byKey.TryGetValue(key, out group))
            {
                group = new Grouping<TKey, TElement>(key);
                _byKey.Add(key, group);
                _groups.Add(group);
            }
            return group;
        }

        public int Count => _groups.Count;

        public IEnumerable<TElement> this[TKey key]
        {
            get
            {
                if (key == null) return (IEnumerable<TElement>)_nullGroup ?? EmptyArray<TElement>.Value;
                return _byKey.TryGetValue(key, out Grouping<TKey, TElement> group) ? group : EmptyArray<TElement>.Value;
            }
        }

        public bool Contains(TKey key) => key == null ? _nullGroup != null : _byKey.ContainsKey(key);

        public IEnumerator<IGrouping<TKey, TElement>> GetEnumerator()
        {
            foreach (Grouping<TKey, TElement> group in _groups) yield return group;
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public static partial class Enumerable
    {
        private static T Identity<T>(T item) => item;

        public static IEnumerable<IGrouping<TKey, TSource>> GroupBy<TSource, TKey>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector) =>
            GroupBy(source, keySelector, item => item, null);

        public static IEnumerable<IGrouping<TKey, TSource>> GroupBy<TSource, TKey>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector, IEqualityComparer<TKey> comparer) =>
            GroupBy(source, keySelector, item => item, comparer);

        public static IEnumerable<IGrouping<TKey, TElement>> GroupBy<TSource, TKey, TElement>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector, Func<TSource, TElement> elementSelector) =>
            GroupBy(source, keySelector, elementSelector, null);

        public static IEnumerable<IGrouping<TKey, TElement>> GroupBy<TSource, TKey, TElement>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector,
            Func<TSource, TElement> elementSelector, IEqualityComparer<TKey> comparer)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(keySelector, "keySelector");
            Errors.ThrowIfNull(elementSelector, "elementSelector");
            return GroupByIterator(source, keySelector, elementSelector, comparer);
        }

        private static IEnumerable<IGrouping<TKey, TElement>> GroupByIterator<TSource, TKey, TElement>(IEnumerable<TSource> source, Func<TSource, TKey> keySelector,
            Func<TSource, TElement> elementSelector, IEqualityComparer<TKey> comparer)
        {
            foreach (IGrouping<TKey, TElement> group in Lookup<TKey, TElement>.Create(source, keySelector, elementSelector, comparer)) yield return group;
        }

        public static IEnumerable<TResult> GroupBy<TSource, TKey, TResult>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector,
            Func<TKey, IEnumerable<TSource>, TResult> resultSelector)
        {
            Errors.ThrowIfNull(resultSelector, "resultSelector");
            return Select(GroupBy(source, keySelector), group => resultSelector(group.Key, group));
        }

        public static IEnumerable<TResult> Join<TOuter, TInner, TKey, TResult>(this IEnumerable<TOuter> outer, IEnumerable<TInner> inner,
            Func<TOuter, TKey> outerKeySelector, Func<TInner, TKey> innerKeySelector, Func<TOuter, TInner, TResult> resultSelector)
        {
            Errors.ThrowIfNull(outer, "outer");
            Errors.ThrowIfNull(inner, "inner");
            Errors.ThrowIfNull(outerKeySelector, "outerKeySelector");
            Errors.ThrowIfNull(innerKeySelector, "innerKeySelector");
            Errors.ThrowIfNull(resultSelector, "resultSelector");
            return JoinIterator(outer, inner, outerKeySelector, innerKeySelector, resultSelector);
        }

        private static IEnumerable<TResult> JoinIterator<TOuter, TInner, TKey, TResult>(IEnumerable<TOuter> outer, IEnumerable<TInner> inner,
            Func<TOuter, TKey> outerKeySelector, Func<TInner, TKey> innerKeySelector, Func<TOuter, TInner, TResult> resultSelector)
        {
            // A method group, not a lambda: ilc 10's dataflow pass crashes (KeyNotFoundException in
            // CompilerGeneratedState) on a lambda inside an iterator with four type parameters.
            Lookup<TKey, TInner> lookup = Lookup<TKey, TInner>.Create(inner, innerKeySelector, Identity, null);
            foreach (TOuter item in outer)
            {
                TKey key = outerKeySelector(item);
                if (key == null) continue; // .NET's Join never matches null keys
                foreach (TInner match in lookup[key]) yield return resultSelector(item, match);
            }
        }
    }
}
