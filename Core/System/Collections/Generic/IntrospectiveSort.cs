namespace System.Collections.Generic
{
    /// <summary>
    /// The unstable sort behind Array.Sort, List.Sort and span Sort, as .NET documents it: introsort (quicksort with a
    /// median-of-three pivot, heapsort once recursion gets too deep, insertion sort for short runs). Optional items
    /// move with their keys. Elements that compare equal may end in any order, as on .NET.
    /// </summary>
    internal static class IntrospectiveSort
    {
        private const int InsertionSortThreshold = 16;

        public static void Sort<T>(Span<T> keys, IComparer<T> comparer) => Sort(keys, Span<byte>.Empty, comparer);

        public static void Sort<TKey, TItem>(Span<TKey> keys, Span<TItem> items, IComparer<TKey> comparer)
        {
            if (keys.Length < 2) return;
            comparer ??= Comparer<TKey>.Default;
            int depthLimit = 2 * (Log2(keys.Length) + 1);
            try
            {
                IntroSort(keys, items, 0, keys.Length - 1, depthLimit, comparer);
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                throw new InvalidOperationException("Failed to compare two elements in the array.", e);
            }
        }

        private static void IntroSort<TKey, TItem>(Span<TKey> keys, Span<TItem> items, int lo, int hi, int depthLimit, IComparer<TKey> comparer)
        {
            while (hi > lo)
            {
                int size = hi - lo + 1;
                if (size <= InsertionSortThreshold)
                {
                    InsertionSort(keys, items, lo, hi, comparer);
                    return;
                }
                if (depthLimit == 0)
                {
                    HeapSort(keys, items, lo, hi, comparer);
                    return;
                }
                depthLimit--;
                int p = Partition(keys, items, lo, hi, comparer);
                IntroSort(keys, items, p + 1, hi, depthLimit, comparer);
                hi = p - 1;
            }
        }

        /// <summary>Median of three as the pivot, parked at hi - 1; returns the pivot's final place.</summary>
        private static int Partition<TKey, TItem>(Span<TKey> keys, Span<TItem> items, int lo, int hi, IComparer<TKey> comparer)
        {
            int mid = lo + ((hi - lo) >> 1);
            SwapIfGreater(keys, items, lo, mid, comparer);
            SwapIfGreater(keys, items, lo, hi, comparer);
            SwapIfGreater(keys, items, mid, hi, comparer);
            TKey pivot = keys[mid];
            Swap(keys, items, mid, hi - 1);
            int left = lo, right = hi - 1;
            while (left < right)
            {
                while (comparer.Compare(keys[++left], pivot) < 0) { }
                while (comparer.Compare(pivot, keys[--right]) < 0) { }
                if (left >= right) break;
                Swap(keys, items, left, right);
            }
            if (left != hi - 1) Swap(keys, items, left, hi - 1);
            return left;
        }

        private static void InsertionSort<TKey, TItem>(Span<TKey> keys, Span<TItem> items, int lo, int hi, IComparer<TKey> comparer)
        {
            bool hasItems = items.Length != 0;
            for (int i = lo; i < hi; i++)
            {
                int j = i;
                TKey key = keys[i + 1];
                TItem item = hasItems ? items[i + 1] : default;
                while (j >= lo && comparer.Compare(key, keys[j]) < 0)
                {
                    keys[j + 1] = keys[j];
                    if (hasItems) items[j + 1] = items[j];
                    j--;
                }
                keys[j + 1] = key;
                if (hasItems) items[j + 1] = item;
            }
        }

        private static void HeapSort<TKey, TItem>(Span<TKey> keys, Span<TItem> items, int lo, int hi, IComparer<TKey> comparer)
        {
            int n = hi - lo + 1;
            for (int i = n >> 1; i >= 1; i--) SiftDown(keys, items, i, n, lo, comparer);
            for (int i = n; i > 1; i--)
            {
                Swap(keys, items, lo, lo + i - 1);
                SiftDown(keys, items, 1, i - 1, lo, comparer);
            }
        }

        private static void SiftDown<TKey, TItem>(Span<TKey> keys, Span<TItem> items, int i, int n, int lo, IComparer<TKey> comparer)
        {
            while (i <= n >> 1)
            {
                int child = 2 * i;
                if (child < n && comparer.Compare(keys[lo + child - 1], keys[lo + child]) < 0) child++;
                if (comparer.Compare(keys[lo + i - 1], keys[lo + child - 1]) >= 0) return;
                Swap(keys, items, lo + i - 1, lo + child - 1);
                i = child;
            }
        }

        private static void SwapIfGreater<TKey, TItem>(Span<TKey> keys, Span<TItem> items, int i, int j, IComparer<TKey> comparer)
        {
            if (comparer.Compare(keys[i], keys[j]) > 0) Swap(keys, items, i, j);
        }

        private static void Swap<TKey, TItem>(Span<TKey> keys, Span<TItem> items, int i, int j)
        {
            TKey k = keys[i];
            keys[i] = keys[j];
            keys[j] = k;
            if (items.Length == 0) return;
            TItem t = items[i];
            items[i] = items[j];
            items[j] = t;
        }

        private static int Log2(int n)
        {
            int log = 0;
            while ((n >>= 1) != 0) log++;
            return log;
        }
    }
}
