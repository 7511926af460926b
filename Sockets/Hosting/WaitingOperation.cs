using System;
using System.Threading;
using System.Threading.Tasks;

namespace Cosmos.Sockets
{
    /// <summary>
    /// One asynchronous socket operation: tried at once (completing synchronously when the stack already allows it),
    /// otherwise tried again on every turn of the event loop (<see cref="SocketHost.Poll"/>) until it succeeds, fails or
    /// is canceled through its token. Completion sets a TaskCompletionSource, whose continuations the event loop runs.
    /// </summary>
    internal abstract class WaitingOperation<T> : IWaitingOperation
    {
        private readonly TaskCompletionSource<T> _completion = new TaskCompletionSource<T>();
        private CancellationToken _token;
        private CancellationTokenRegistration _registration;

        public bool IsDone { get; private set; }

        public int WaitIndex { get; set; } = -1;

        public Task<T> Start(CancellationToken token)
        {
            if (token.IsCancellationRequested)
            {
                IsDone = true;
                _completion.TrySetCanceled(token);
                return _completion.Task;
            }
            TryProgress();
            if (!IsDone)
            {
                _token = token;
                if (token.CanBeCanceled) _registration = token.Register(Cancel);
                SocketHost.Wait(this);
            }
            return _completion.Task;
        }

        public bool TryProgress()
        {
            if (IsDone) return false;
            try
            {
                return Step();
            }
            catch (Exception e)
            {
                Fail(e);
                return true;
            }
        }

        /// <summary>Moves on as far as the stack allows (calling <see cref="Succeed"/> or <see cref="Fail"/> at the end); true if anything changed.</summary>
        protected abstract bool Step();

        protected void Succeed(T value)
        {
            if (IsDone) return;
            Finish();
            _completion.TrySetResult(value);
        }

        protected void Fail(Exception error)
        {
            if (IsDone) return;
            Finish();
            _completion.TrySetException(error);
        }

        /// <summary>Ends the operation from outside (the socket was closed): it fails with the given error.</summary>
        public void Abandon(Exception error) => Fail(error);

        private void Cancel()
        {
            if (IsDone) return;
            Finish();
            _completion.TrySetCanceled(_token);
        }

        private void Finish()
        {
            IsDone = true;
            SocketHost.StopWaiting(this);
            _registration.Dispose();
            OnFinished();
        }

        /// <summary>Gives back what the operation held (a port, say), however it ended: success, failure or cancellation.</summary>
        protected virtual void OnFinished() { }
    }
}
