#nullable disable
using System;
using System.Collections.Generic;
using System.Linq;

namespace Cosmos.Conformance
{
    public record Point(int X, int Y)
    {
        public double Length => Math.Sqrt(X * X + Y * Y);
    }

    public record Named(string Name, int Rank);

    public sealed record Labelled(string Label, Point At) : Named(Label, 0);

    public readonly record struct Size(int Width, int Height);

    /// <summary>What the C# compiler emits for records, tuples, patterns, closures, iterators and nullables, against .NET.</summary>
    public static class LanguageCases
    {
        private static IEnumerable<int> Fibonacci()
        {
            int a = 0, b = 1;
            while (true)
            {
                yield return a;
                (a, b) = (b, a + b);
            }
        }

        private static IEnumerable<string> WithFinally(List<string> log)
        {
            try
            {
                log.Add("start");
                yield return "one";
                yield return "two";
                log.Add("after two");
            }
            finally
            {
                log.Add("finally");
            }
        }

        private static IEnumerable<int> Checked(int n)
        {
            if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
            for (int i = 0; i < n; i++) yield return i;
        }

        private static string Describe(object o) => o switch
        {
            null => "null",
            int i when i < 0 => "negative int " + i,
            int i => "int " + i,
            string { Length: 0 } => "empty string",
            string s => "string of " + s.Length,
            Point { X: 0, Y: 0 } => "origin",
            Point(var x, var y) when x == y => "diagonal " + x,
            Point p => "point " + p.X + "," + p.Y,
            int[] { Length: > 2 } arr => "array starting " + arr[0],
            IEnumerable<int> seq => "sequence of " + seq.Count(),
            _ => "something else",
        };

        public static void Register(CaseList list)
        {
            list.Add("lang.record-equality", t =>
            {
                var a = new Point(3, 4);
                var b = new Point(3, 4);
                var c = a with { Y = 5 };
                t.Line("a == b", a == b);
                t.Line("Equals", a.Equals(b));
                t.Line("ReferenceEquals", ReferenceEquals(a, b));
                t.Line("a == c", a == c);
                t.Line("hash equal", a.GetHashCode() == b.GetHashCode());
                t.Line("Length", a.Length.ToString());
                var (x, y) = c;
                t.Line("deconstruct", x + "," + y);
            });
            list.Add("lang.record-tostring", t =>
            {
                t.Line(new Point(1, -2).ToString());
                t.Line(new Named("n", 3).ToString());
                t.Line(new Labelled("lbl", new Point(0, 0)).ToString());
                t.Line(new Size(640, 480).ToString());
                t.Line(new Named(null, 0).ToString());
            });
            list.Add("lang.record-inheritance", t =>
            {
                Named plain = new Named("lbl", 0);
                Named derived = new Labelled("lbl", new Point(1, 1));
                t.Line("base equals derived", plain.Equals(derived));
                t.Line("derived equals base", derived.Equals(plain));
                t.Line("derived copy equal", derived == (derived with { }));
                var s1 = new Size(1, 2);
                var s2 = s1 with { Height = 3 };
                t.Line("struct record", s1 == new Size(1, 2));
                t.Line("struct with", s2.Height);
            });
            list.Add("lang.tuples", t =>
            {
                var pair = (Name: "x", Count: 2);
                t.Line(pair.ToString());
                t.Line("named", pair.Name + pair.Count);
                var (n, c) = pair;
                t.Line("deconstruct", n + c);
                t.Line("equal", (1, "a") == (1, "a"));
                t.Line("not equal", (1, "a") != (1, "b"));
                t.Line("Equals", (1, 2, 3).Equals((1, 2, 3)));
                t.Line("CompareTo", (1, 5).CompareTo((2, 0)));
                var list2 = new List<(string, int)> { ("b", 2), ("a", 2), ("c", 1) };
                list2.Sort();
                t.Line("sorted tuples", string.Join(" ", list2));
                (int, (string, bool)) nested = (1, ("n", true));
                t.Line("nested", nested.ToString());
                t.Line("swap", Swap(1, 2).ToString());
                t.Line("null member", ((string)null, 1).ToString());
            });
            list.Add("lang.pattern-matching", t =>
            {
                object[] things = { null, -5, 7, "", "abc", new Point(0, 0), new Point(2, 2), new Point(1, 3), new[] { 9, 8, 7 }, new List<int> { 1, 2 }, 2.5 };
                foreach (object o in things) t.Line(Describe(o));
                int code = 404;
                string text = code switch { >= 200 and < 300 => "ok", 404 or 410 => "gone", _ => "other" };
                t.Line("relational", text);
                int[] arr = { 1, 2, 3, 4 };
                t.Line("list pattern", arr is [1, _, .., 4]);
                t.Line("list pattern slice", arr is [_, .. var middle, _] ? string.Join(",", middle) : "no");
            });
            list.Add("lang.closures", t =>
            {
                var actions = new List<Func<int>>();
                for (int i = 0; i < 3; i++) actions.Add(() => i * 10);
                t.Line("loop variable per iteration", string.Join(",", actions.Select(f => f())));
                int counter = 0;
                Action increment = () => counter++;
                increment(); increment();
                t.Line("captured counter", counter);
                Func<int, Func<int, int>> adder = a => b => a + b;
                t.Line("curried", adder(3)(4));
                Func<int, int> fact = null;
                fact = n => n <= 1 ? 1 : n * fact(n - 1);
                t.Line("recursive lambda", fact(10));
                static int Twice(int v) => v * 2;
                Func<int, int> group = Twice;
                t.Line("static local via delegate", group(21));
                int local = 5;
                int AddLocal(int v) => v + local;
                t.Line("local function", AddLocal(1));
            });
            list.Add("lang.iterators", t =>
            {
                t.Line("fibonacci", string.Join(",", Fibonacci().Take(12)));
                var log = new List<string>();
                foreach (string s in WithFinally(log)) { log.Add("got " + s); if (s == "one") break; }
                t.Line("early break runs finally", string.Join(";", log));
                log.Clear();
                foreach (string s in WithFinally(log)) log.Add("got " + s);
                t.Line("full run", string.Join(";", log));
                IEnumerable<int> lazy = Checked(-1);
                t.Line("argument check deferred", "no throw yet");
                try { foreach (int i in lazy) { } } catch (ArgumentOutOfRangeException e) { t.Caught("on enumeration", e); }
                IEnumerable<int> twice = Checked(3);
                t.Line("enumerated twice", string.Join(",", twice) + " / " + string.Join(",", twice));
                using (IEnumerator<int> e = Checked(2).GetEnumerator())
                {
                    t.Line("MoveNext", e.MoveNext());
                    t.Line("Current", e.Current);
                }
            });
            list.Add("lang.nullables", t =>
            {
                int? a = null;
                int? b = 5;
                t.Line("a ?? 7", a ?? 7);
                t.Line("a + b has value", (a + b).HasValue);
                t.Line("b * 2", (b * 2).Value);
                t.Line("GetValueOrDefault", a.GetValueOrDefault(-1));
                t.Line("b ToString", b.ToString());
                t.Line("a ToString empty", a.ToString().Length);
                t.Line("a == null", a == null);
                t.Line("b > 3", b > 3);
                t.Line("a < 3", a < 3);
                string s = null;
                t.Line("s?.Length ?? -1", s?.Length ?? -1);
                t.Line("Nullable equals", b.Equals(5));
            });
            list.Add("lang.generics-and-interfaces", t =>
            {
                var shapes = new List<IShape> { new Square(2), new Circle(1), new Square(3), new Rect(2, 5), new Circle(2), new Tri(3, 4) };
                t.Line("areas", string.Join(" ", shapes.Select(s => s.Area().ToString("F2"))));
                t.Line("names", string.Join(" ", shapes.Select(s => s.Name)));
                t.Line("largest", shapes.MaxBy(s => s.Area()).Name);
                t.Line("generic max", Largest(new[] { 3, 9, 2 }) + " " + Largest(new[] { "pear", "apple" }));
                var boxes = new Box<string>[] { new("a"), new("b") };
                t.Line("generic class", string.Join("", boxes.Select(b => b.Value)));
            });
            list.Add("lang.enums", t =>
            {
                var c = Colour.Green;
                t.Line("value", (int)c);
                t.Line("compare", c > Colour.Red);
                t.Line("flags", ((int)(Access.Read | Access.Write)).ToString());
                t.Line("HasFlag-like", ((Access.Read | Access.Write) & Access.Write) != 0);
                var byColour = new Dictionary<Colour, int> { [Colour.Red] = 1, [Colour.Blue] = 3 };
                t.Line("enum key", byColour[Colour.Blue]);
                var sorted = new List<Colour> { Colour.Blue, Colour.Red, Colour.Green };
                sorted.Sort();
                t.Line("sorted", string.Join(",", sorted.Select(x => (int)x)));
                t.Line("distinct", new[] { Colour.Red, Colour.Red, Colour.Blue }.Distinct().Count());
            });
        }

        private static (int, int) Swap(int a, int b) => (b, a);

        private static T Largest<T>(T[] items) where T : IComparable<T>
        {
            T best = items[0];
            foreach (T item in items) if (item.CompareTo(best) > 0) best = item;
            return best;
        }

        private enum Colour { Red = 1, Green = 2, Blue = 3 }

        [Flags]
        private enum Access { None = 0, Read = 1, Write = 2, Execute = 4 }

        private sealed class Box<T>
        {
            public T Value;
            public Box(T value) { Value = value; }
        }

        private interface IShape
        {
            double Area();
            string Name { get; }
        }

        private sealed class Square : IShape { private readonly double _s; public Square(double s) { _s = s; } public double Area() => _s * _s; public string Name => "square"; }
        private sealed class Circle : IShape { private readonly double _r; public Circle(double r) { _r = r; } public double Area() => Math.PI * _r * _r; public string Name => "circle"; }
        private sealed class Rect : IShape { private readonly double _w, _h; public Rect(double w, double h) { _w = w; _h = h; } public double Area() => _w * _h; public string Name => "rect"; }
        private sealed class Tri : IShape { private readonly double _b, _h; public Tri(double b, double h) { _b = b; _h = h; } public double Area() => _b * _h / 2; public string Name => "triangle"; }
    }
}
