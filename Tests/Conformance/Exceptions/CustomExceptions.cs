#nullable disable
using System;

namespace Cosmos.Conformance
{
    // Exception types of the suite's own. Top level in this namespace, without underscores: the kernel reads
    // type names from symbols (Core/Runtime/TypeNames.cs) and that is where it reads them exactly.

    public class ConformanceException : Exception
    {
        public int Code { get; }
        public ConformanceException(string message, int code) : base(message) { Code = code; }
        public ConformanceException(string message, Exception inner) : base(message, inner) { }
    }

    public sealed class DerivedConformanceException : ConformanceException
    {
        public DerivedConformanceException(string message) : base(message, 7) { }
    }

    /// <summary>Overrides Message, as many real exceptions do.</summary>
    public sealed class ComputedMessageException : Exception
    {
        private readonly int _value;
        public ComputedMessageException(int value) { _value = value; }
        public override string Message => string.Concat("computed ", _value.ToString());
    }
}
