namespace System.Collections.Generic
{
    /// <summary>A typed sequence: what foreach, iterators (yield return) and LINQ work over.</summary>
    public interface IEnumerable<out T> : IEnumerable
    {
        new IEnumerator<T> GetEnumerator();
    }

    public interface IEnumerator<out T> : IEnumerator, IDisposable
    {
        new T Current { get; }
    }
}
