namespace System.Threading.Tasks
{
    /// <summary>
    /// Core's own reaction to a task completing (WhenAll counting, WhenAny, ContinueWith, unwrapping Task.Run):
    /// called at once when the task completes, unlike awaits, whose continuations are queued to the event loop.
    /// Implementations run no user code there; they complete another task or post work to the loop.
    /// </summary>
    internal interface ITaskCompletionListener
    {
        void OnCompleted(Task completed);
    }
}
