#nullable disable
using System;

namespace Cosmos.Conformance
{
    /// <summary>Span, Memory and the common MemoryExtensions against .NET's.</summary>
    public static class SpanMemoryCases
    {
        public static void Register(CaseList list)
        {
            list.Add("span.basics", t =>
            {
                int[] data = { 5, 1, 4, 2, 3 };
                Span<int> span = data;
                span.Slice(1, 3).Reverse();
                t.Line("reversed middle", string.Join(",", data));
                span.Sort();
                t.Line("sorted", string.Join(",", data));
                t.Line("IndexOf 4", span.IndexOf(4));
                t.Line("Contains 9", span.Contains(9));
                t.Line("ToArray", string.Join(",", span.Slice(3).ToArray()));
                span.Fill(7);
                t.Line("Fill", string.Join(",", data));
                span.Slice(0, 2).Clear();
                t.Line("Clear", string.Join(",", data));
                Span<byte> stack = stackalloc byte[4];
                stack[3] = 9;
                t.Line("stackalloc", stack[3] + stack[0]);
                t.Line("TryCopyTo short", span.TryCopyTo(new int[2]));
            });
            list.Add("span.read-only", t =>
            {
                ReadOnlySpan<char> text = "alpha,beta,gamma";
                int first = text.IndexOf(',');
                int last = text.LastIndexOf(',');
                t.Line("first", new string(text.Slice(0, first)));
                t.Line("middle", new string(text.Slice(first + 1, last - first - 1)));
                t.Line("last", text.Slice(last + 1).ToString());
                t.Line("StartsWith", text.StartsWith("alpha"));
                t.Line("EndsWith", text.EndsWith("gamma"));
                t.Line("IndexOfAny", text.IndexOfAny('b', 'g'));
                t.Line("SequenceCompareTo", Math.Sign("abc".AsSpan().SequenceCompareTo("abd")));
                t.Line("Count", text.Count(','));
                t.Line("BinarySearch", new[] { 1, 3, 5, 7 }.AsSpan().BinarySearch(5));
                int sum = 0;
                foreach (char c in text) if (c == 'a') sum++;
                t.Line("count of a", sum);
            });
            list.Add("span.memory", t =>
            {
                var array = new[] { 10, 20, 30, 40, 50 };
                Memory<int> memory = array;
                Memory<int> tail = memory.Slice(2);
                tail.Span[0] = 33;
                t.Line("through memory", array[2]);
                t.Line("length", tail.Length);
                t.Line("ToArray", string.Join(",", tail.Slice(1, 2).ToArray()));
                ReadOnlyMemory<int> ro = memory;
                t.Line("read-only", ro.Span[4]);
                ReadOnlyMemory<char> chars = "memory of text".AsMemory();
                t.Line("string memory", chars.Slice(10).ToString());
                t.Line("empty", Memory<byte>.Empty.IsEmpty);
                try { memory.Slice(6); } catch (ArgumentOutOfRangeException) { t.Line("slice past the end: ArgumentOutOfRangeException"); }
            });
            list.Add("span.errors", t =>
            {
                Span<int> span = new int[3];
                try { span[3] = 1; } catch (IndexOutOfRangeException e) { t.Caught("index 3", e); }
                try { span.Slice(2, 2); } catch (ArgumentOutOfRangeException e) { t.Caught("slice", e); }
                ReadOnlySpan<char> text = "ab";
                try { t.Line(text[5].ToString()); } catch (IndexOutOfRangeException e) { t.Caught("char index", e); }
            });
        }
    }
}
