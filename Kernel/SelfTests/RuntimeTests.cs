using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using Cosmos.Hal.Cpu;
using static Cosmos.Kernel.SelfTests.SelfTestRunner;

namespace Cosmos.Kernel.SelfTests
{
    /// <summary>The runtime features the compiler's output depends on, each proven in the kernel itself.</summary>
    internal static unsafe class RuntimeTests
    {
        public static void Register()
        {
            Run("runtime.static-reference-fields", StaticReferenceFields);
            Run("runtime.static-constructors", StaticConstructors);
            Run("runtime.interface-dispatch", InterfaceDispatchSevenImplementers);
            Run("runtime.generics", Generics);
            Run("runtime.delegates", Delegates);
            Run("runtime.boxing", Boxing);
            Run("runtime.span", Spans);
            Run("runtime.integer-formatting", IntegerFormatting);
            Run("runtime.string-from-span", StringFromSpan);
            Run("runtime.try-finally", TryFinally);
            Run("runtime.casts", Casts);
        }

        // ---- statics ----
        private sealed class Registry
        {
            public static string Name = string.Concat("reg", "istry"); // built at run time: a real GC static
            public static int[] Numbers = new int[] { 3, 1, 4, 1, 5 };
            public static object Lock = new object();
        }

        private static void StaticReferenceFields()
        {
            // The trap (TOOLCHAIN.md): ilc 10 stores 32-bit relative pointers in the GC static region.
            // If they were misread, the statics would sit near address 0 instead of in the heap.
            Expect(Internal.Runtime.CompilerHelpers.StartupCodeHelpers.InitializedStaticBases > 0, "no GC static bases were initialised");
            ExpectEqual("registry", Registry.Name, "static string");
            ExpectEqual(5, Registry.Numbers.Length, "static array length");
            ExpectEqual(14, Registry.Numbers[0] + Registry.Numbers[1] + Registry.Numbers[2] + Registry.Numbers[3] + Registry.Numbers[4], "static array sum");
            object o = Registry.Lock;
            ulong address = (ulong)Unsafe.As<object, nint>(ref o);
            Expect(address >= CpuNative.KernelImageStart(), "static object lies below the kernel image (statics not initialised?)");
            Registry.Name = "changed";
            ExpectEqual("changed", Registry.Name, "static write");
        }

        private static class CountedInit
        {
            public static int Runs;
            public static readonly int Value;
            public static readonly string Text;
            static CountedInit()
            {
                Runs++;
                Value = Compute();
                Text = string.Concat("init-", Value.ToString());
            }
            [MethodImpl(MethodImplOptions.NoInlining)] private static int Compute() => 6 * 7;
        }

        private static void StaticConstructors()
        {
            ExpectEqual(42, CountedInit.Value, "value set by the static constructor");
            ExpectEqual("init-42", CountedInit.Text, "reference set by the static constructor");
            int again = CountedInit.Value;
            ExpectEqual(1, CountedInit.Runs, "static constructor run count");
            ExpectEqual(42, again, "second read");
        }

        // ---- interface dispatch: seven implementers defeat ilc's devirtualisation into type checks ----
        private interface IShape
        {
            int Area();
            int Corners { get; }
        }

        private sealed class Square : IShape { public int Side; public int Area() => Side * Side; public int Corners => 4; }
        private sealed class Rect : IShape { public int W, H; public int Area() => W * H; public int Corners => 4; }
        private sealed class Triangle : IShape { public int B, H; public int Area() => B * H / 2; public int Corners => 3; }
        private class Polygon : IShape { public virtual int Area() => 100; public virtual int Corners => 5; }
        private sealed class Hexagon : Polygon { public override int Area() => 600; public override int Corners => 6; }
        private struct Dot : IShape { public int Area() => 0; public int Corners => 1; }
        private sealed class Generic<T> : IShape { public T Value; public int Area() => 7; public int Corners => 8; }
        private sealed class Explicit : IShape { int IShape.Area() => 11; int IShape.Corners => 9; }

        private static void InterfaceDispatchSevenImplementers()
        {
            long before = InterfaceDispatch.Resolutions + InterfaceDispatch.CacheHits;
            IShape[] shapes =
            {
                new Square { Side = 3 }, new Rect { W = 2, H = 5 }, new Triangle { B = 4, H = 3 }, new Polygon(),
                new Hexagon(), new Dot(), new Generic<string> { Value = "x" }, new Explicit(),
            };
            int area = 0, corners = 0;
            for (int round = 0; round < 3; round++)
                for (int i = 0; i < shapes.Length; i++) { area += Sum(shapes[i]); corners += shapes[i].Corners; }
            ExpectEqual(3 * (9 + 10 + 6 + 100 + 600 + 0 + 7 + 11), area, "sum of areas through the interface");
            ExpectEqual(3 * (4 + 4 + 3 + 5 + 6 + 1 + 8 + 9), corners, "sum of corners through the interface");
            long after = InterfaceDispatch.Resolutions + InterfaceDispatch.CacheHits;
            Expect(after - before >= shapes.Length, "calls did not go through the runtime's interface dispatch");
        }

        [MethodImpl(MethodImplOptions.NoInlining)] private static int Sum(IShape s) => s.Area();

        // ---- generics ----
        private sealed class Stack<T>
        {
            private T[] _items = new T[4];
            private int _count;
            public int Count => _count;
            public void Push(T item)
            {
                if (_count == _items.Length)
                {
                    var bigger = new T[_items.Length * 2];
                    for (int i = 0; i < _count; i++) bigger[i] = _items[i];
                    Allocator.Free(_items);
                    _items = bigger;
                }
                _items[_count++] = item;
            }
            public T Pop() => _items[--_count];
        }

        private struct Pair { public long A; public int B; }

        private static T Largest<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;

        private struct Version : IComparable<Version>
        {
            public int N;
            public int CompareTo(Version other) => N - other.N;
        }

        private static void Generics()
        {
            var ints = new Stack<int>();
            for (int i = 0; i < 100; i++) ints.Push(i);
            long sum = 0;
            while (ints.Count > 0) sum += ints.Pop();
            ExpectEqual(4950, sum, "Stack<int>");

            var pairs = new Stack<Pair>();
            for (int i = 0; i < 10; i++) pairs.Push(new Pair { A = 1L << (32 + i), B = i });
            Pair top = pairs.Pop();
            ExpectEqual(1L << 41, top.A, "Stack<struct> long field");
            ExpectEqual(9, top.B, "Stack<struct> int field");

            var strings = new Stack<string>();
            strings.Push("alpha");
            strings.Push("beta");
            ExpectEqual("beta", strings.Pop(), "Stack<string>");
            ExpectEqual(7, Largest(new Version { N = 3 }, new Version { N = 7 }).N, "constrained generic method over a struct");
        }

        // ---- delegates ----
        private sealed class Counter
        {
            public int Total;
            public void Add(int n) => Total += n;
        }

        private static int Twice(int x) => 2 * x;

        private static void Delegates()
        {
            Func<int, int> byStatic = Twice;
            ExpectEqual(14, byStatic(7), "static method delegate");

            var counter = new Counter();
            Action<int> byInstance = counter.Add;
            byInstance(5);
            byInstance(6);
            ExpectEqual(11, counter.Total, "instance method delegate");

            int captured = 100;
            Func<int, int> closure = x => x + captured;
            captured = 200;
            ExpectEqual(201, closure(1), "lambda with a captured variable");

            Func<int, int>[] chain = { Twice, x => x + 1, x => x * x };
            int v = 3;
            for (int i = 0; i < chain.Length; i++) v = chain[i](v);
            ExpectEqual(49, v, "array of delegates");
        }

        // ---- boxing ----
        private static void Boxing()
        {
            object boxed = 42;
            Expect(boxed is int, "boxed int is int");
            Expect(!(boxed is long), "boxed int is not long");
            ExpectEqual(42, (int)boxed, "unbox");
            object boxedStruct = new Pair { A = 5, B = 6 };
            Pair p = (Pair)boxedStruct;
            ExpectEqual(11, p.A + p.B, "boxed struct round trip");
            IShape viaInterface = new Dot();
            ExpectEqual(1, viaInterface.Corners, "struct called through an interface (boxed)");
            object n = 7L;
            ExpectEqual("7", n.ToString(), "virtual call on a boxed long");
        }

        // ---- spans ----
        private static void Spans()
        {
            Span<int> stack = stackalloc int[16];
            for (int i = 0; i < stack.Length; i++) stack[i] = i;
            Span<int> middle = stack.Slice(4, 8);
            ExpectEqual(4, middle[0], "slice start");
            ExpectEqual(11, middle[7], "slice end");
            int sum = 0;
            foreach (int x in middle) sum += x;
            ExpectEqual(60, sum, "foreach over a span");

            byte[] array = new byte[32];
            Span<byte> bytes = array;
            bytes.Fill(0xAB);
            ExpectEqual(0xAB, array[31], "Fill writes the array");
            // Overlapping copy forward by 3.
            for (int i = 0; i < 10; i++) bytes[i] = (byte)i;
            bytes.Slice(0, 10).CopyTo(bytes.Slice(3));
            ExpectEqual(0, bytes[3], "overlapping CopyTo first element");
            ExpectEqual(9, bytes[12], "overlapping CopyTo last element");
            ReadOnlySpan<char> text = "kernel".AsSpan().Slice(2);
            Expect(text.SequenceEqual("rnel"), "ReadOnlySpan<char> slice");
        }

        // ---- formatting ----
        private static void IntegerFormatting()
        {
            ExpectEqual("0", 0.ToString(), "zero");
            ExpectEqual("-123", (-123).ToString(), "negative");
            ExpectEqual("-2147483648", int.MinValue.ToString(), "int.MinValue");
            ExpectEqual("9223372036854775807", long.MaxValue.ToString(), "long.MaxValue");
            ExpectEqual("18446744073709551615", ulong.MaxValue.ToString(), "ulong.MaxValue");
            ExpectEqual("00c0ffee", 0xC0FFEE.ToString("x8"), "hex padded");
            ExpectEqual("FF", ((byte)255).ToString("X"), "hex upper");
            Span<char> buffer = stackalloc char[8];
            Expect(4242.TryFormat(buffer, out int written) && written == 4 && buffer[0] == '4' && buffer[3] == '2', "TryFormat into a span");
        }

        // ---- try/finally ----
        private static int s_finallyRuns;

        private static int ReturnsFromTry()
        {
            try { return 1; }
            finally { s_finallyRuns++; }
        }

        private static void TryFinally()
        {
            s_finallyRuns = 0;
            ExpectEqual(1, ReturnsFromTry(), "value returned from inside try");
            int order = 0;
            try
            {
                try { order = order * 10 + 1; }
                finally { order = order * 10 + 2; s_finallyRuns++; }
                order = order * 10 + 3;
            }
            finally { order = order * 10 + 4; s_finallyRuns++; }
            ExpectEqual(1234, order, "nested try/finally order");
            for (int i = 0; i < 3; i++)
            {
                try { if (i == 1) continue; }
                finally { s_finallyRuns++; }
            }
            ExpectEqual(6, s_finallyRuns, "finally blocks run (return, nested, continue)");
        }

        // ---- casts ----
        private static void Casts()
        {
            object square = new Square { Side = 2 };
            Expect(square is IShape, "class is its interface");
            Expect(square is Square, "class is itself");
            Expect(!(square is Polygon), "unrelated class");
            object hexagon = new Hexagon();
            Expect(hexagon is Polygon, "derived is base");
            Expect(hexagon as Square == null, "as returns null on mismatch");
            object[] objects = new string[2];
            objects[0] = "fits";
            ExpectEqual("fits", (string)objects[0], "covariant array store of the right type");
        }
    
        /// <summary>"new string(span)" reaches String.Ctor (ilc's constructor redirection); Xen's xenstore text uses it.</summary>
        private static void StringFromSpan()
        {
            Span<char> chars = stackalloc char[5];
            chars[0] = 'x'; chars[1] = 'e'; chars[2] = 'n'; chars[3] = 'b'; chars[4] = 's';
            string text = new string(chars);
            ExpectEqual(5, text.Length, "length");
            ExpectEqual("xenbs", text, "content");
            ExpectEqual("", new string(ReadOnlySpan<char>.Empty), "empty");
            // char.ToString() is the character, as on .NET (it was "object", which named net1 "netobject").
            char digit = (char)('0' + text.Length - 4);
            ExpectEqual("1", digit.ToString(), "char.ToString");
            ExpectEqual("net1", string.Concat("net", digit.ToString()), "concatenated char");
        }
}
}
