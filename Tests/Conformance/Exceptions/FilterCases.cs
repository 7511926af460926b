#nullable disable
using System;
using System.Runtime.CompilerServices;

namespace Cosmos.Conformance
{
    /// <summary>Exception filters (catch ... when): when they run, what they see, what their exceptions do.</summary>
    public static class FilterCases
    {
        public static void Register(CaseList list)
        {
            list.Add("filter.true-catches", TrueCatches);
            list.Add("filter.false-passes-on", FalsePassesOn);
            list.Add("filter.runs-before-inner-finally", RunsBeforeInnerFinally);
            list.Add("filter.sees-the-exception", SeesTheException);
            list.Add("filter.throwing-filter-is-false", ThrowingFilterIsFalse);
            list.Add("filter.fault-in-filter-is-false", FaultInFilterIsFalse);
            list.Add("filter.inner-and-outer-order", InnerAndOuterOrder);
            list.Add("filter.with-type-and-condition", WithTypeAndCondition);
            list.Add("filter.on-rethrow-runs-again", OnRethrowRunsAgain);
            list.Add("filter.catch-inside-filter", CatchInsideFilter);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Throw(string message) => throw new InvalidOperationException(message);

        private static bool Log(Transcript t, string what, bool result)
        {
            t.Line(what, result);
            return result;
        }

        private static void TrueCatches(Transcript t)
        {
            try { Throw("x"); }
            catch (Exception) when (Log(t, "filter", true)) { t.Line("handler"); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void FalseFilterFrame(Transcript t)
        {
            try { Throw("passes"); }
            catch (Exception) when (Log(t, "inner filter", false)) { t.Line("wrong handler"); }
        }

        private static void FalsePassesOn(Transcript t)
        {
            try { FalseFilterFrame(t); }
            catch (InvalidOperationException e) { t.Caught("outer catch", e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InnerWithFinally(Transcript t)
        {
            try { Throw("two passes"); }
            finally { t.Line("inner finally (second pass)"); }
        }

        private static void RunsBeforeInnerFinally(Transcript t)
        {
            // .NET runs filters in the first pass, before any finally below the catching frame.
            try { InnerWithFinally(t); }
            catch (Exception) when (Log(t, "outer filter (first pass)", true)) { t.Line("handler (after the finally)"); }
        }

        private static void SeesTheException(Transcript t)
        {
            try { throw new ConformanceException("seen", 42); }
            catch (ConformanceException e) when (e.Code == 42 && e.Message == "seen") { t.Line("filter matched on Code and Message"); }
        }

        private static bool ThrowingFilter(Transcript t)
        {
            t.Line("filter throws");
            throw new FormatException("from the filter");
        }

        private static void ThrowingFilterIsFalse(Transcript t)
        {
            try
            {
                try { Throw("original"); }
                catch (Exception) when (ThrowingFilter(t)) { t.Line("wrong handler"); }
            }
            catch (FormatException) { t.Line("wrong: the filter's exception escaped"); }
            catch (InvalidOperationException e) { t.Caught("the original goes on", e); }
        }

        private sealed class Holder { public string Name = "never read: the holder is null"; }

        private static void FaultInFilterIsFalse(Transcript t)
        {
            Holder h = null;
            try
            {
                try { Throw("original"); }
                catch (Exception) when (h.Name.Length > 0) { t.Line("wrong handler"); }
            }
            catch (InvalidOperationException e) { t.Caught("null dereference in the filter is false", e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InnerFrame(Transcript t)
        {
            try
            {
                try { Throw("ordered"); }
                finally { t.Line("innermost finally"); }
            }
            catch (Exception) when (Log(t, "inner filter", false)) { }
            finally { t.Line("inner frame finally"); }
        }

        private static void InnerAndOuterOrder(Transcript t)
        {
            try { InnerFrame(t); }
            catch (Exception) when (Log(t, "outer filter", true)) { t.Line("outer handler"); }
        }

        private static void WithTypeAndCondition(Transcript t)
        {
            for (int i = 0; i < 3; i++)
            {
                try
                {
                    if (i == 2) throw new ArgumentException("two");
                    throw new ConformanceException("code", i);
                }
                catch (ConformanceException e) when (e.Code == 1) { t.Line("code 1 clause", i); }
                catch (ConformanceException) { t.Line("other code clause", i); }
                catch (ArgumentException e) when (Log(t, "argument filter", true)) { t.Caught("argument clause", e); }
            }
        }

        private static void OnRethrowRunsAgain(Transcript t)
        {
            int filterRuns = 0;
            try
            {
                try { Throw("again"); }
                catch (InvalidOperationException) { t.Line("first handler rethrows"); throw; }
            }
            catch (Exception) when (++filterRuns > 0) { t.Line("outer filter runs", filterRuns); }
        }

        private static bool FilterWithItsOwnTry(Transcript t)
        {
            try { Throw("inside filter"); }
            catch (InvalidOperationException e) { t.Caught("caught inside the filter", e); }
            return true;
        }

        private static void CatchInsideFilter(Transcript t)
        {
            try { throw new FormatException("outer"); }
            catch (FormatException e) when (FilterWithItsOwnTry(t)) { t.Caught("handler", e); }
        }
    }
}
