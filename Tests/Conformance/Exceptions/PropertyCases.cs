#nullable disable
using System;
using System.Runtime.CompilerServices;

namespace Cosmos.Conformance
{
    /// <summary>What an exception object tells: Message, InnerException, StackTrace, ToString(), its type.</summary>
    public static class PropertyCases
    {
        public static void Register(CaseList list)
        {
            list.Add("props.default-messages", DefaultMessages);
            list.Add("props.exception-default-message", ExceptionDefaultMessage);
            list.Add("props.custom-message", CustomMessage);
            list.Add("props.overridden-message", OverriddenMessage);
            list.Add("props.inner-exception-chain", InnerExceptionChain);
            list.Add("props.get-base-exception", GetBaseException);
            list.Add("props.type-names", TypeNames);
            list.Add("props.type-identity", TypeIdentity);
            list.Add("props.tostring", ToStringText);
            list.Add("props.tostring-with-inner", ToStringWithInner);
            list.Add("props.stack-trace-before-throw", StackTraceBeforeThrow);
            list.Add("props.stack-trace-frames", StackTraceFrames);
            list.Add("props.argument-messages", ArgumentMessages);
            list.Add("props.hierarchy", Hierarchy);
            list.Add("props.object-disposed", ObjectDisposed);
        }

        private static void DefaultMessages(Transcript t)
        {
            Exception[] all =
            {
                new SystemException(), new InvalidOperationException(), new ArgumentException(), new ArgumentNullException(),
                new ArgumentOutOfRangeException(), new ArithmeticException(), new OverflowException(), new DivideByZeroException(),
                new IndexOutOfRangeException(), new NullReferenceException(), new InvalidCastException(), new NotSupportedException(),
                new PlatformNotSupportedException(), new NotImplementedException(), new ArrayTypeMismatchException(),
                new FormatException(), new TimeoutException(), new OutOfMemoryException(),
                new System.Collections.Generic.KeyNotFoundException(),
            };
            foreach (Exception e in all) t.Caught("new()", e);
        }

        private static void ExceptionDefaultMessage(Transcript t)
        {
            t.Line("Exception", new Exception().Message);
            t.Line("custom type", new ComputedMessageException(3).Message);
            t.Line("null message given", new Exception(null).Message);
        }

        private static void CustomMessage(Transcript t)
        {
            t.Line("message", new InvalidOperationException("custom text").Message);
            t.Line("empty message", new FormatException("").Message);
        }

        private static void OverriddenMessage(Transcript t)
        {
            try { throw new ComputedMessageException(12); }
            catch (Exception e) { t.Caught("caught", e); }
        }

        private static void InnerExceptionChain(Transcript t)
        {
            var innermost = new FormatException("innermost");
            var middle = new InvalidOperationException("middle", innermost);
            var outer = new ConformanceException("outer", middle);
            for (Exception e = outer; e != null; e = e.InnerException) t.Caught("level", e);
            t.Line("no inner", new Exception("x").InnerException == null);
        }

        private static void GetBaseException(Transcript t)
        {
            var root = new ArgumentException("root");
            var e = new Exception("top", new Exception("mid", root));
            t.Line("base is the root", ReferenceEquals(e.GetBaseException(), root));
            t.Line("base of a lone exception is itself", ReferenceEquals(root.GetBaseException(), root));
        }

        private static void TypeNames(Transcript t)
        {
            object[] things = { new InvalidOperationException(), new ArgumentNullException(), new ConformanceException("x", 1), new DerivedConformanceException("y"), "a string", new object() };
            foreach (object o in things)
            {
                Type type = o.GetType();
                t.Line(string.Concat("Name ", type.Name, " FullName ", type.FullName), string.Concat("Namespace ", type.Namespace));
            }
        }

        private static void TypeIdentity(Transcript t)
        {
            Exception a = new FormatException("a"), b = new FormatException("b");
            t.Line("same type, same Type object", a.GetType() == b.GetType());
            t.Line("typeof equals GetType", a.GetType() == typeof(FormatException));
            t.Line("different types differ", a.GetType() == typeof(Exception));
            t.Line("ToString of a Type", typeof(ArgumentException).ToString());
        }

        private static void ToStringText(Transcript t)
        {
            t.ExceptionText("not thrown", new InvalidOperationException("text"));
            t.ExceptionText("empty message", new FormatException(""));
            try { throw new ConformanceException("thrown", 1); }
            catch (Exception e) { t.ExceptionText("thrown", e); }
        }

        private static void ToStringWithInner(Transcript t)
        {
            try
            {
                try { throw new ArgumentException("inner problem", "arg"); }
                catch (Exception e) { throw new InvalidOperationException("outer problem", e); }
            }
            catch (Exception e) { t.ExceptionText("with inner", e); }
        }

        private static void StackTraceBeforeThrow(Transcript t)
        {
            var e = new Exception("never thrown");
            t.Line("StackTrace is null", e.StackTrace == null);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void LevelThree() => throw new InvalidOperationException("three");

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int LevelTwo()
        {
            LevelThree();
            return 2;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int LevelOne()
        {
            int r = LevelTwo();
            return r + 1;
        }

        private static void StackTraceFrames(Transcript t)
        {
            try { LevelOne(); }
            catch (Exception e)
            {
                string trace = e.StackTrace;
                t.Line("names LevelThree", Transcript.Mentions(trace, "LevelThree"));
                t.Line("names LevelTwo", Transcript.Mentions(trace, "LevelTwo"));
                t.Line("names LevelOne", Transcript.Mentions(trace, "LevelOne"));
                t.Line("names the catching method", Transcript.Mentions(trace, "StackTraceFrames"));
                t.Line("innermost first", Transcript.MentionsInOrder(trace, "LevelThree", "LevelTwo") && Transcript.MentionsInOrder(trace, "LevelTwo", "LevelOne"));
                t.Line("nothing beyond the catching method", !Transcript.Mentions(trace, "ConformanceSuite"));
                t.Line("lines start with '   at '", Text.StartsWith(trace, "   at "));
            }
        }

        private static void ArgumentMessages(Transcript t)
        {
            t.Caught("ArgumentException(message, param)", new ArgumentException("bad", "p"));
            t.Caught("ArgumentException(message)", new ArgumentException("bad"));
            t.Caught("ArgumentNullException(param)", new ArgumentNullException("p"));
            t.Caught("ArgumentNullException(param, message)", new ArgumentNullException("p", "missing"));
            t.Caught("ArgumentOutOfRangeException(param)", new ArgumentOutOfRangeException("p"));
            t.Caught("ArgumentOutOfRangeException(param, message)", new ArgumentOutOfRangeException("p", "too far"));
            t.Caught("ArgumentOutOfRangeException(param, value, message)", new ArgumentOutOfRangeException("p", 42, "too far"));
            t.Line("ParamName", new ArgumentNullException("who").ParamName);
            t.Line("ParamName unset", new ArgumentException("m").ParamName);
            try { ArgumentNullException.ThrowIfNull((object)null, "thing"); }
            catch (ArgumentNullException e) { t.Caught("ThrowIfNull", e); }
        }

        private static void Hierarchy(Transcript t)
        {
            Exception e = new ArgumentNullException("p");
            t.Line("is ArgumentException", e is ArgumentException);
            t.Line("is SystemException", e is SystemException);
            t.Line("is InvalidOperationException", e is InvalidOperationException);
            t.Line("DivideByZero is Arithmetic", new DivideByZeroException() is ArithmeticException);
            t.Line("Overflow is Arithmetic", new OverflowException() is ArithmeticException);
            t.Line("PlatformNotSupported is NotSupported", new PlatformNotSupportedException() is NotSupportedException);
            t.Line("ObjectDisposed is InvalidOperation", new ObjectDisposedException("o") is InvalidOperationException);
            try { throw new DerivedConformanceException("derived"); }
            catch (ConformanceException c) { t.Line("caught as base, code", c.Code); t.Line("type", c.GetType().Name); }
        }

        private static void ObjectDisposed(Transcript t)
        {
            t.Caught("with name", new ObjectDisposedException("Connection"));
            t.Line("ObjectName", new ObjectDisposedException("Connection").ObjectName);
        }
    }
}
