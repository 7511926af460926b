#nullable disable
using System;
using System.Runtime.CompilerServices;

namespace Cosmos.Conformance
{
    /// <summary>Exceptions through every kind of call: deep recursion, interface, virtual, delegate, generic.</summary>
    public static class CallKindCases
    {
        public static void Register(CaseList list)
        {
            list.Add("calls.twenty-five-frames", TwentyFiveFrames);
            list.Add("calls.finally-in-each-of-30-frames", FinallyInEachOf30Frames);
            list.Add("calls.interface", Interface);
            list.Add("calls.virtual", Virtual);
            list.Add("calls.delegate", Delegate);
            list.Add("calls.lambda-closure", LambdaClosure);
            list.Add("calls.generic-method", GenericMethod);
            list.Add("calls.generic-class", GenericClass);
            list.Add("calls.mixed-chain", MixedChain);
            list.Add("calls.static-method-group", StaticMethodGroup);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Recurse(int depth)
        {
            if (depth == 0) throw new ConformanceException("at the bottom", 25);
            int below = Recurse(depth - 1);
            return below + 1; // not a tail call: every frame stays on the stack
        }

        private static void TwentyFiveFrames(Transcript t)
        {
            try { Recurse(24); }
            catch (ConformanceException e)
            {
                t.Caught("caught", e);
                t.Line("trace frames naming Recurse", Text.Count(e.StackTrace, "Recurse"));
                t.Line("trace ends at the catching method", Transcript.MentionsInOrder(e.StackTrace, "Recurse", "TwentyFiveFrames"));
            }
        }

        private static int s_finallyCount;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int RecurseWithFinally(int depth)
        {
            try
            {
                if (depth == 0) throw new InvalidOperationException("deep");
                return RecurseWithFinally(depth - 1) + 1;
            }
            finally { s_finallyCount++; }
        }

        private static void FinallyInEachOf30Frames(Transcript t)
        {
            s_finallyCount = 0;
            try { RecurseWithFinally(29); }
            catch (InvalidOperationException) { t.Line("finally blocks run before the catch", s_finallyCount); }
        }

        // Seven implementers, so ilc keeps a real interface dispatch (with one or two it devirtualises).
        private interface IWorker { int Work(int x); }
        private sealed class W1 : IWorker { public int Work(int x) => x + 1; }
        private sealed class W2 : IWorker { public int Work(int x) => x + 2; }
        private sealed class W3 : IWorker { public int Work(int x) => x + 3; }
        private sealed class W4 : IWorker { public int Work(int x) => x + 4; }
        private sealed class W5 : IWorker { public int Work(int x) => x + 5; }
        private sealed class W6 : IWorker { public int Work(int x) => x + 6; }
        private sealed class ThrowingWorker : IWorker
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            public int Work(int x) => throw new ArgumentOutOfRangeException("x", "worker refuses");
        }

        private static IWorker[] Workers() => new IWorker[] { new W1(), new W2(), new W3(), new W4(), new W5(), new W6(), new ThrowingWorker() };

        private static void Interface(Transcript t)
        {
            int total = 0;
            foreach (IWorker w in Workers())
            {
                try { total += w.Work(10); }
                catch (ArgumentOutOfRangeException e) { t.Caught("from the interface call", e); t.Line("param", e.ParamName); }
            }
            t.Line("total of the others", total);
        }

        private abstract class Shape { public abstract int Area(); public virtual string Describe() => "shape"; }
        private sealed class Square : Shape { public override int Area() => 4; }
        private sealed class Broken : Shape
        {
            public override int Area() => throw new NotSupportedException("no area");
            public override string Describe() => throw new InvalidOperationException("no description");
        }

        private static void Virtual(Transcript t)
        {
            Shape[] shapes = { new Square(), new Broken() };
            foreach (Shape s in shapes)
            {
                try { t.Line("area", s.Area()); }
                catch (NotSupportedException e) { t.Caught("abstract override", e); }
                try { t.Line("describe", s.Describe()); }
                catch (InvalidOperationException e) { t.Caught("virtual override", e); }
            }
        }

        private static void Delegate(Transcript t)
        {
            Func<int, int> f = x => x == 0 ? throw new DivideByZeroException("by delegate") : 10 / x;
            Action a = () => throw new FormatException("by action");
            try { t.Line("f(5)", f(5)); t.Line("f(0)", f(0)); }
            catch (DivideByZeroException e) { t.Caught("Func", e); }
            try { a(); }
            catch (FormatException e) { t.Caught("Action", e); }
        }

        private static void LambdaClosure(Transcript t)
        {
            int captured = 0;
            Action<int> bump = n =>
            {
                captured += n;
                if (captured > 5) throw new ConformanceException("captured too big", captured);
            };
            try { for (int i = 1; i < 10; i++) bump(i); }
            catch (ConformanceException e) { t.Line("code", e.Code); }
            t.Line("captured", captured);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static T Pick<T>(T[] items, int index) where T : class
        {
            if (index >= items.Length) throw new ArgumentOutOfRangeException(nameof(index));
            return items[index];
        }

        private static void GenericMethod(Transcript t)
        {
            string[] words = { "a", "b" };
            try { t.Line("pick", Pick(words, 1)); Pick(words, 5); }
            catch (ArgumentOutOfRangeException e) { t.Caught("generic over string", e); }
            object[] objects = { new object() };
            try { Pick(objects, 2); }
            catch (ArgumentOutOfRangeException e) { t.Caught("generic over object", e); }
        }

        private sealed class Stack<T>
        {
            private readonly T[] _items = new T[2];
            private int _count;
            public void Push(T item)
            {
                if (_count == _items.Length) throw new InvalidOperationException("stack full");
                _items[_count++] = item;
            }
            public T Pop()
            {
                if (_count == 0) throw new InvalidOperationException("stack empty");
                return _items[--_count];
            }
        }

        private static void GenericClass(Transcript t)
        {
            var ints = new Stack<int>();
            var strings = new Stack<string>();
            try { ints.Push(1); ints.Push(2); ints.Push(3); }
            catch (InvalidOperationException e) { t.Caught("Stack<int>", e); }
            try { strings.Pop(); }
            catch (InvalidOperationException e) { t.Caught("Stack<string>", e); }
        }

        private interface IStep { int Run(Func<int, int> next, int value); }
        private sealed class Doubler : IStep { public int Run(Func<int, int> next, int value) => next(value * 2); }
        private sealed class Adder : IStep { public int Run(Func<int, int> next, int value) => next(value + 1); }
        private sealed class Checker : IStep
        {
            public int Run(Func<int, int> next, int value) => value > 20 ? throw new OverflowException("too big") : next(value);
        }
        private sealed class P4 : IStep { public int Run(Func<int, int> next, int value) => next(value); }
        private sealed class P5 : IStep { public int Run(Func<int, int> next, int value) => next(value); }
        private sealed class P6 : IStep { public int Run(Func<int, int> next, int value) => next(value); }

        private static int RunChain(IStep[] steps, int index, int value)
        {
            if (index == steps.Length) return value;
            int result = steps[index].Run(v => RunChain(steps, index + 1, v), value);
            return result;
        }

        private static void MixedChain(Transcript t)
        {
            IStep[] steps = { new Doubler(), new P4(), new Adder(), new P5(), new Doubler(), new P6(), new Checker(), new Doubler() };
            for (int start = 1; start <= 9; start += 4)
            {
                try { t.Line("chain result", RunChain(steps, 0, start)); }
                catch (OverflowException e) { t.Caught("through interface, delegate and recursion", e); }
            }
        }

        private static int ThrowsStatic(int x) => throw new NotImplementedException();

        private static void StaticMethodGroup(Transcript t)
        {
            Func<int, int> f = ThrowsStatic;
            try { f(1); }
            catch (NotImplementedException e) { t.Caught("static method through a delegate", e); }
        }
    }
}
