using System.Threading.Tasks;

namespace System
{
    /// <summary>.NET's IAsyncDisposable: what `await using` calls.</summary>
    public interface IAsyncDisposable
    {
        ValueTask DisposeAsync();
    }
}
