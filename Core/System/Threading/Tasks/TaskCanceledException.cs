namespace System.Threading.Tasks
{
    /// <summary>What awaiting (or waiting on) a canceled task throws when no OperationCanceledException of its own is stored.</summary>
    public class TaskCanceledException : OperationCanceledException
    {
        private const string DefaultMessage = "A task was canceled.";
        private readonly Task _task;

        public TaskCanceledException() : base(DefaultMessage) { }
        public TaskCanceledException(string message) : base(message ?? DefaultMessage) { }
        public TaskCanceledException(string message, Exception innerException) : base(message ?? DefaultMessage, innerException) { }
        public TaskCanceledException(string message, Exception innerException, CancellationToken token) : base(message ?? DefaultMessage, innerException, token) { }
        public TaskCanceledException(Task task) : base(DefaultMessage, task != null ? task.CancellationTokenForException : default) { _task = task; }

        public Task Task => _task;
    }
}
