#nullable disable
using System;

namespace Cosmos.Conformance
{
    /// <summary>
    /// The conformance suite: cases written once, run on .NET (inside cosmos-runner) and in the kernel
    /// (test=conformance), each writing a <see cref="Transcript"/>; the runner's conformance boot compares the
    /// two line by line and reports every difference under the case's name.
    ///
    /// Adding a case: write a static method taking a Transcript in the topic's file (or a new topic file with
    /// a Register method listed below), and add one line to its Register: list.Add("topic.case-name", Method).
    /// Case sources compile against the kernel's corlib too, so they use only what it has (see Transcript).
    /// </summary>
    public static class ConformanceSuite
    {
        public static CaseList All()
        {
            var list = new CaseList();
            DispatchCases.Register(list);
            HandlerCases.Register(list);
            FilterCases.Register(list);
            CallKindCases.Register(list);
            PropertyCases.Register(list);
            FaultCases.Register(list);
            CoreArgumentCases.Register(list);
            ListCases.Register(list);
            DictionaryCases.Register(list);
            SetQueueStackCases.Register(list);
            ComparerCases.Register(list);
            LinqCases.Register(list);
            StringCases.Register(list);
            FormatCases.Register(list);
            EncodingCases.Register(list);
            ParseFormatCases.Register(list);
            MathArrayCases.Register(list);
            LanguageCases.Register(list);
            TimeCases.Register(list);
            SpanMemoryCases.Register(list);
            AllocationCases.Register(list);
            FormatSpecifierCases.Register(list);
            StringOperationCases.Register(list);
            CollectionEdgeCases.Register(list);
            LinqChainCases.Register(list);
            ParseTableCases.Register(list);
            IteratorCases.Register(list);
            AsyncCases.Register(list);
            CombinatorCases.Register(list);
            CancellationCases.Register(list);
            InterlockedCases.Register(list);
            return list;
        }

        /// <summary>
        /// Runs the cases whose name starts with <paramref name="prefix"/> (all with null) and with none of the
        /// comma-separated prefixes in <paramref name="exclude"/> (none excluded with null), calling <paramref name="emit"/>(case, line) for every
        /// line. An exception a case does not catch is its last line.
        /// </summary>
        public static int Run(CaseList cases, Action<string, string> emit, string prefix = null, string exclude = null)
        {
            int run = 0;
            for (int i = 0; i < cases.Count; i++)
            {
                string name = cases.NameAt(i);
                if (!Selected(name, prefix, exclude)) continue;
                var transcript = new Transcript(line => emit(name, line));
                try
                {
                    cases.BodyAt(i)(transcript);
                }
                catch (Exception e)
                {
                    transcript.Caught("uncaught", e);
                }
                run++;
            }
            return run;
        }

        /// <summary>Whether a case runs under a prefix and a comma-separated list of excluded prefixes (both optional),
        /// the same test on both sides.</summary>
        public static bool Selected(string name, string prefix, string exclude)
        {
            if (prefix != null && !Text.StartsWith(name, prefix)) return false;
            if (exclude == null) return true;
            int start = 0;
            for (int i = 0; i <= exclude.Length; i++)
            {
                if (i < exclude.Length && exclude[i] != ',') continue;
                int length = i - start;
                if (length > 0 && length <= name.Length)
                {
                    int k = 0;
                    while (k < length && name[k] == exclude[start + k]) k++;
                    if (k == length) return false;
                }
                start = i + 1;
            }
            return true;
        }
    }

    /// <summary>The registered cases in order (an array list, kept from before the kernel's corlib had List&lt;T&gt;).</summary>
    public sealed class CaseList
    {
        private string[] _names = new string[128];
        private Action<Transcript>[] _bodies = new Action<Transcript>[128];
        private int _count;

        public int Count => _count;
        public string NameAt(int index) => _names[index];
        public Action<Transcript> BodyAt(int index) => _bodies[index];

        public void Add(string name, Action<Transcript> body)
        {
            if (_count == _names.Length)
            {
                var names = new string[_count * 2];
                var bodies = new Action<Transcript>[_count * 2];
                for (int i = 0; i < _count; i++) { names[i] = _names[i]; bodies[i] = _bodies[i]; }
                _names = names;
                _bodies = bodies;
            }
            _names[_count] = name;
            _bodies[_count] = body;
            _count++;
        }
    }
}
