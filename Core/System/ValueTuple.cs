using System.Collections.Generic;
using System.Text;

namespace System
{
    // .NET's value tuples: what (a, b) in C# is. Equality and ordering go element by element through the default
    // comparers; ToString is "(a, b)" with empty text for nulls.
    public struct ValueTuple<T1> : IEquatable<ValueTuple<T1>>, IComparable<ValueTuple<T1>>
    {
        public T1 Item1;

        public ValueTuple(T1 item1) { Item1 = item1; }

        public bool Equals(ValueTuple<T1> other) => EqualityComparer<T1>.Default.Equals(Item1, other.Item1);
        public override bool Equals(object obj) => obj is ValueTuple<T1> other && Equals(other);

        public override int GetHashCode()
        {
            int h = 17;
            h = h * 31 + (Item1?.GetHashCode() ?? 0);
            return h;
        }

        public int CompareTo(ValueTuple<T1> other)
        {
            int c;
            if ((c = Comparer<T1>.Default.Compare(Item1, other.Item1)) != 0) return c;
            return 0;
        }

        public override string ToString()
        {
            var sb = new StringBuilder();
            sb.Append('(');
            sb.Append(Item1?.ToString());
            sb.Append(')');
            return sb.ToString();
        }
    }

    public struct ValueTuple<T1, T2> : IEquatable<ValueTuple<T1, T2>>, IComparable<ValueTuple<T1, T2>>
    {
        public T1 Item1;
        public T2 Item2;

        public ValueTuple(T1 item1, T2 item2) { Item1 = item1; Item2 = item2; }

        public bool Equals(ValueTuple<T1, T2> other) => EqualityComparer<T1>.Default.Equals(Item1, other.Item1) && EqualityComparer<T2>.Default.Equals(Item2, other.Item2);
        public override bool Equals(object obj) => obj is ValueTuple<T1, T2> other && Equals(other);

        public override int GetHashCode()
        {
            int h = 17;
            h = h * 31 + (Item1?.GetHashCode() ?? 0);
            h = h * 31 + (Item2?.GetHashCode() ?? 0);
            return h;
        }

        public int CompareTo(ValueTuple<T1, T2> other)
        {
            int c;
            if ((c = Comparer<T1>.Default.Compare(Item1, other.Item1)) != 0) return c;
            if ((c = Comparer<T2>.Default.Compare(Item2, other.Item2)) != 0) return c;
            return 0;
        }

        public override string ToString()
        {
            var sb = new StringBuilder();
            sb.Append('(');
            sb.Append(Item1?.ToString());
            sb.Append(", ");
            sb.Append(Item2?.ToString());
            sb.Append(')');
            return sb.ToString();
        }
    }

    public struct ValueTuple<T1, T2, T3> : IEquatable<ValueTuple<T1, T2, T3>>, IComparable<ValueTuple<T1, T2, T3>>
    {
        public T1 Item1;
        public T2 Item2;
        public T3 Item3;

        public ValueTuple(T1 item1, T2 item2, T3 item3) { Item1 = item1; Item2 = item2; Item3 = item3; }

        public bool Equals(ValueTuple<T1, T2, T3> other) => EqualityComparer<T1>.Default.Equals(Item1, other.Item1) && EqualityComparer<T2>.Default.Equals(Item2, other.Item2) && EqualityComparer<T3>.Default.Equals(Item3, other.Item3);
        public override bool Equals(object obj) => obj is ValueTuple<T1, T2, T3> other && Equals(other);

        public override int GetHashCode()
        {
            int h = 17;
            h = h * 31 + (Item1?.GetHashCode() ?? 0);
            h = h * 31 + (Item2?.GetHashCode() ?? 0);
            h = h * 31 + (Item3?.GetHashCode() ?? 0);
            return h;
        }

        public int CompareTo(ValueTuple<T1, T2, T3> other)
        {
            int c;
            if ((c = Comparer<T1>.Default.Compare(Item1, other.Item1)) != 0) return c;
            if ((c = Comparer<T2>.Default.Compare(Item2, other.Item2)) != 0) return c;
            if ((c = Comparer<T3>.Default.Compare(Item3, other.Item3)) != 0) return c;
            return 0;
        }

        public override string ToString()
        {
            var sb = new StringBuilder();
            sb.Append('(');
            sb.Append(Item1?.ToString());
            sb.Append(", ");
            sb.Append(Item2?.ToString());
            sb.Append(", ");
            sb.Append(Item3?.ToString());
            sb.Append(')');
            return sb.ToString();
        }
    }

    public struct ValueTuple<T1, T2, T3, T4> : IEquatable<ValueTuple<T1, T2, T3, T4>>, IComparable<ValueTuple<T1, T2, T3, T4>>
    {
        public T1 Item1;
        public T2 Item2;
        public T3 Item3;
        public T4 Item4;

        public ValueTuple(T1 item1, T2 item2, T3 item3, T4 item4) { Item1 = item1; Item2 = item2; Item3 = item3; Item4 = item4; }

        public bool Equals(ValueTuple<T1, T2, T3, T4> other) => EqualityComparer<T1>.Default.Equals(Item1, other.Item1) && EqualityComparer<T2>.Default.Equals(Item2, other.Item2) && EqualityComparer<T3>.Default.Equals(Item3, other.Item3) && EqualityComparer<T4>.Default.Equals(Item4, other.Item4);
        public override bool Equals(object obj) => obj is ValueTuple<T1, T2, T3, T4> other && Equals(other);

        public override int GetHashCode()
        {
            int h = 17;
            h = h * 31 + (Item1?.GetHashCode() ?? 0);
            h = h * 31 + (Item2?.GetHashCode() ?? 0);
            h = h * 31 + (Item3?.GetHashCode() ?? 0);
            h = h * 31 + (Item4?.GetHashCode() ?? 0);
            return h;
        }

        public int CompareTo(ValueTuple<T1, T2, T3, T4> other)
        {
            int c;
            if ((c = Comparer<T1>.Default.Compare(Item1, other.Item1)) != 0) return c;
            if ((c = Comparer<T2>.Default.Compare(Item2, other.Item2)) != 0) return c;
            if ((c = Comparer<T3>.Default.Compare(Item3, other.Item3)) != 0) return c;
            if ((c = Comparer<T4>.Default.Compare(Item4, other.Item4)) != 0) return c;
            return 0;
        }

        public override string ToString()
        {
            var sb = new StringBuilder();
            sb.Append('(');
            sb.Append(Item1?.ToString());
            sb.Append(", ");
            sb.Append(Item2?.ToString());
            sb.Append(", ");
            sb.Append(Item3?.ToString());
            sb.Append(", ");
            sb.Append(Item4?.ToString());
            sb.Append(')');
            return sb.ToString();
        }
    }

    public struct ValueTuple<T1, T2, T3, T4, T5> : IEquatable<ValueTuple<T1, T2, T3, T4, T5>>, IComparable<ValueTuple<T1, T2, T3, T4, T5>>
    {
        public T1 Item1;
        public T2 Item2;
        public T3 Item3;
        public T4 Item4;
        public T5 Item5;

        public ValueTuple(T1 item1, T2 item2, T3 item3, T4 item4, T5 item5) { Item1 = item1; Item2 = item2; Item3 = item3; Item4 = item4; Item5 = item5; }

        public bool Equals(ValueTuple<T1, T2, T3, T4, T5> other) => EqualityComparer<T1>.Default.Equals(Item1, other.Item1) && EqualityComparer<T2>.Default.Equals(Item2, other.Item2) && EqualityComparer<T3>.Default.Equals(Item3, other.Item3) && EqualityComparer<T4>.Default.Equals(Item4, other.Item4) && EqualityComparer<T5>.Default.Equals(Item5, other.Item5);
        public override bool Equals(object obj) => obj is ValueTuple<T1, T2, T3, T4, T5> other && Equals(other);

        public override int GetHashCode()
        {
            int h = 17;
            h = h * 31 + (Item1?.GetHashCode() ?? 0);
            h = h * 31 + (Item2?.GetHashCode() ?? 0);
            h = h * 31 + (Item3?.GetHashCode() ?? 0);
            h = h * 31 + (Item4?.GetHashCode() ?? 0);
            h = h * 31 + (Item5?.GetHashCode() ?? 0);
            return h;
        }

        public int CompareTo(ValueTuple<T1, T2, T3, T4, T5> other)
        {
            int c;
            if ((c = Comparer<T1>.Default.Compare(Item1, other.Item1)) != 0) return c;
            if ((c = Comparer<T2>.Default.Compare(Item2, other.Item2)) != 0) return c;
            if ((c = Comparer<T3>.Default.Compare(Item3, other.Item3)) != 0) return c;
            if ((c = Comparer<T4>.Default.Compare(Item4, other.Item4)) != 0) return c;
            if ((c = Comparer<T5>.Default.Compare(Item5, other.Item5)) != 0) return c;
            return 0;
        }

        public override string ToString()
        {
            var sb = new StringBuilder();
            sb.Append('(');
            sb.Append(Item1?.ToString());
            sb.Append(", ");
            sb.Append(Item2?.ToString());
            sb.Append(", ");
            sb.Append(Item3?.ToString());
            sb.Append(", ");
            sb.Append(Item4?.ToString());
            sb.Append(", ");
            sb.Append(Item5?.ToString());
            sb.Append(')');
            return sb.ToString();
        }
    }

    public static class ValueTuple
    {
        public static ValueTuple<T1, T2> Create<T1, T2>(T1 item1, T2 item2) => new ValueTuple<T1, T2>(item1, item2);
        public static ValueTuple<T1, T2, T3> Create<T1, T2, T3>(T1 item1, T2 item2, T3 item3) => new ValueTuple<T1, T2, T3>(item1, item2, item3);
    }
}
