using System.Collections;
using System.Collections.Generic;

namespace System.Linq
{
    public interface IOrderedEnumerable<out TElement> : IEnumerable<TElement>
    {
        IOrderedEnumerable<TElement> CreateOrderedEnumerable<TKey>(Func<TElement, TKey> keySelector, IComparer<TKey> comparer, bool descending);
    }

    /// <summary>
    /// OrderBy/ThenBy: a chain of sort keys, applied when enumerated. The sort is stable as .NET documents: elements
    /// whose keys are all equal keep their source order (ties are broken by source position).
    /// </summary>
    internal abstract class OrderedEnumerable<TElement> : IOrderedEnumerable<TElement>
    {
        internal IEnumerable<TElement> Source;

        public IOrderedEnumerable<TElement> CreateOrderedEnumerable<TKey>(Func<TElement, TKey> keySelector, IComparer<TKey> comparer, bool descending) =>
            Then(keySelector, comparer, descending);

        /// <summary>
        /// What ThenBy calls: a non-virtual generic method. Calling the interface's generic virtual method from shared
        /// code needs the runtime's generic-virtual-method lookup (TypeLoaderExports), which the kernel lacks.
        /// </summary>
        internal IOrderedEnumerable<TElement> Then<TKey>(Func<TElement, TKey> keySelector, IComparer<TKey> comparer, bool descending)
        {
            Errors.ThrowIfNull(keySelector, "keySelector");
            return new OrderedEnumerable<TElement, TKey>(Source, keySelector, comparer, descending, this);
        }

        /// <summary>Computes this level's keys (and its parents') for the elements.</summary>
        internal abstract SortLevel<TElement> BuildLevels(TElement[] elements, SortLevel<TElement> next);

        public IEnumerator<TElement> GetEnumerator()
        {
            TElement[] elements = Source.ToArray();
            SortLevel<TElement> levels = BuildLevels(elements, null);
            var order = new int[elements.Length];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            IntrospectiveSort.Sort(new Span<int>(order), new LevelComparer<TElement>(levels));
            for (int i = 0; i < order.Length; i++) yield return elements[order[i]];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    internal sealed class OrderedEnumerable<TElement, TKey> : OrderedEnumerable<TElement>
    {
        private readonly Func<TElement, TKey> _keySelector;
        private readonly IComparer<TKey> _comparer;
        private readonly bool _descending;
        private readonly OrderedEnumerable<TElement> _parent;

        internal OrderedEnumerable(IEnumerable<TElement> source, Func<TElement, TKey> keySelector, IComparer<TKey> comparer, bool descending, OrderedEnumerable<TElement> parent)
        {
            Source = source;
            _keySelector = keySelector;
            _comparer = comparer ?? Comparer<TKey>.Default;
            _descending = descending;
            _parent = parent;
        }

        internal override SortLevel<TElement> BuildLevels(TElement[] elements, SortLevel<TElement> next)
        {
            var keys = new TKey[elements.Length];
            for (int i = 0; i < elements.Length; i++) keys[i] = _keySelector(elements[i]);
            var level = new SortLevel<TElement, TKey>(keys, _comparer, _descending, next);
            return _parent == null ? level : _parent.BuildLevels(elements, level);
        }
    }

    internal abstract class SortLevel<TElement>
    {
        internal SortLevel<TElement> Next;
        internal abstract int Compare(int a, int b);
    }

    internal sealed class SortLevel<TElement, TKey> : SortLevel<TElement>
    {
        private readonly TKey[] _keys;
        private readonly IComparer<TKey> _comparer;
        private readonly bool _descending;

        internal SortLevel(TKey[] keys, IComparer<TKey> comparer, bool descending, SortLevel<TElement> next)
        {
            _keys = keys;
            _comparer = comparer;
            _descending = descending;
            Next = next;
        }

        internal override int Compare(int a, int b)
        {
            int c = _comparer.Compare(_keys[a], _keys[b]);
            if (c != 0) return _descending ? (c > 0 ? -1 : 1) : c;
            return Next == null ? a - b : Next.Compare(a, b);
        }
    }

    internal sealed class LevelComparer<TElement> : IComparer<int>
    {
        private readonly SortLevel<TElement> _first;
        internal LevelComparer(SortLevel<TElement> first) { _first = first; }
        public int Compare(int a, int b) => _first.Compare(a, b);
    }

    public static partial class Enumerable
    {
        public static IOrderedEnumerable<TSource> OrderBy<TSource, TKey>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector) => OrderBy(source, keySelector, null);

        /// <summary>ThenBy works on this library's own ordered sequences (see <see cref="OrderedEnumerable{TElement}.Then"/>).</summary>
        private static OrderedEnumerable<TSource> AsOrdered<TSource>(IOrderedEnumerable<TSource> source)
        {
            Errors.ThrowIfNull(source, "source");
            if (source is OrderedEnumerable<TSource> ordered) return ordered;
            throw new NotSupportedException("ThenBy over an IOrderedEnumerable that OrderBy did not make needs generic virtual methods, which the kernel does not support yet.");
        }

        public static IOrderedEnumerable<TSource> OrderBy<TSource, TKey>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector, IComparer<TKey> comparer)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(keySelector, "keySelector");
            return new OrderedEnumerable<TSource, TKey>(source, keySelector, comparer, false, null);
        }

        public static IOrderedEnumerable<TSource> OrderByDescending<TSource, TKey>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector) => OrderByDescending(source, keySelector, null);

        public static IOrderedEnumerable<TSource> OrderByDescending<TSource, TKey>(this IEnumerable<TSource> source, Func<TSource, TKey> keySelector, IComparer<TKey> comparer)
        {
            Errors.ThrowIfNull(source, "source");
            Errors.ThrowIfNull(keySelector, "keySelector");
            return new OrderedEnumerable<TSource, TKey>(source, keySelector, comparer, true, null);
        }

        public static IOrderedEnumerable<TSource> Order<TSource>(this IEnumerable<TSource> source) => OrderBy(source, item => item);
        public static IOrderedEnumerable<TSource> OrderDescending<TSource>(this IEnumerable<TSource> source) => OrderByDescending(source, item => item);

        public static IOrderedEnumerable<TSource> ThenBy<TSource, TKey>(this IOrderedEnumerable<TSource> source, Func<TSource, TKey> keySelector) => ThenBy(source, keySelector, null);

        public static IOrderedEnumerable<TSource> ThenBy<TSource, TKey>(this IOrderedEnumerable<TSource> source, Func<TSource, TKey> keySelector, IComparer<TKey> comparer)
        {
            return AsOrdered(source).Then(keySelector, comparer, false);
        }

        public static IOrderedEnumerable<TSource> ThenByDescending<TSource, TKey>(this IOrderedEnumerable<TSource> source, Func<TSource, TKey> keySelector) => ThenByDescending(source, keySelector, null);

        public static IOrderedEnumerable<TSource> ThenByDescending<TSource, TKey>(this IOrderedEnumerable<TSource> source, Func<TSource, TKey> keySelector, IComparer<TKey> comparer)
        {
            return AsOrdered(source).Then(keySelector, comparer, true);
        }
    }
}
