namespace System.Collections
{
    /// <summary>A sequence that can be walked (what foreach asks of a non-generic collection).</summary>
    public interface IEnumerable
    {
        IEnumerator GetEnumerator();
    }

    /// <summary>A position in a sequence: MoveNext, then Current.</summary>
    public interface IEnumerator
    {
        bool MoveNext();
        object Current { get; }
        void Reset();
    }
}
