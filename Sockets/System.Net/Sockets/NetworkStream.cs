using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace System.Net.Sockets
{
    /// <summary>
    /// .NET's NetworkStream over a connected TCP socket: reads wait for data (0 at the end of the stream), writes
    /// complete once the stack has taken every byte. Socket errors arrive as IOException with the SocketException
    /// inside, with .NET's messages.
    /// </summary>
    public class NetworkStream : Stream
    {
        private readonly Socket _socket;
        private readonly bool _ownsSocket;
        private bool _disposed;

        public NetworkStream(Socket socket) : this(socket, ownsSocket: false) { }

        public NetworkStream(Socket socket, bool ownsSocket)
        {
            if (socket == null) throw new ArgumentNullException(nameof(socket));
            if (socket.SocketType != SocketType.Stream) throw new IOException("The operation is not supported on non-stream sockets.");
            if (!socket.Connected) throw new IOException("The operation is not allowed on non-connected sockets.");
            _socket = socket;
            _ownsSocket = ownsSocket;
        }

        public Socket Socket => _socket;

        public override bool CanRead => !_disposed;
        public override bool CanWrite => !_disposed;
        public override bool CanSeek => false;
        public override bool CanTimeout => true;
        public virtual bool DataAvailable
        {
            get
            {
                ThrowIfDisposed();
                return _socket.Available > 0;
            }
        }

        public override long Length => throw new NotSupportedException("This stream does not support seek operations.");

        public override long Position
        {
            get => throw new NotSupportedException("This stream does not support seek operations.");
            set => throw new NotSupportedException("This stream does not support seek operations.");
        }

        public override int ReadTimeout
        {
            get => _socket.ReceiveTimeout == 0 ? -1 : _socket.ReceiveTimeout;
            set => _socket.ReceiveTimeout = value;
        }

        public override int WriteTimeout
        {
            get => _socket.SendTimeout == 0 ? -1 : _socket.SendTimeout;
            set => _socket.SendTimeout = value;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("This stream does not support seek operations.");

        public override void SetLength(long value) => throw new NotSupportedException("This stream does not support seek operations.");

        public override void Flush() { }

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count)
        {
            ValidateBufferArguments(buffer, offset, count);
            return Socket.Wait(ReadAsync(new Memory<byte>(buffer, offset, count), CancellationToken.None));
        }

        public override int Read(Span<byte> buffer)
        {
            byte[] temporary = new byte[buffer.Length];
            int n = Read(temporary, 0, temporary.Length);
            new ReadOnlySpan<byte>(temporary, 0, n).CopyTo(buffer);
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            ValidateBufferArguments(buffer, offset, count);
            Socket.Wait(WriteAsync(new ReadOnlyMemory<byte>(buffer, offset, count), CancellationToken.None));
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            ValidateBufferArguments(buffer, offset, count);
            return ReadAsync(new Memory<byte>(buffer, offset, count), cancellationToken).AsTask();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            try
            {
                return await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new IOException(string.Concat("Unable to read data from the transport connection: ", e.Message, "."), e);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            ValidateBufferArguments(buffer, offset, count);
            return WriteAsync(new ReadOnlyMemory<byte>(buffer, offset, count), cancellationToken).AsTask();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ThrowIfDisposed();
            try
            {
                await _socket.SendAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new IOException(string.Concat("Unable to write data to the transport connection: ", e.Message, "."), e);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (_disposed) return;
            _disposed = true;
            if (disposing && _ownsSocket) _socket.Dispose();
        }

        private void ThrowIfDisposed()
        {
            if (_disposed) throw new ObjectDisposedException(GetType().FullName);
        }
    }
}
