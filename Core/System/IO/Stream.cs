using System.Threading;
using System.Threading.Tasks;

namespace System.IO
{
    /// <summary>
    /// .NET's Stream, the parts a network program uses: synchronous and asynchronous read and write over arrays, spans
    /// and memory, flush, copy, dispose. The asynchronous methods a derived class does not override run the synchronous
    /// ones and return a completed task (.NET queues them to the thread pool; there is one thread here). A stream that
    /// can really wait (NetworkStream) overrides them.
    /// </summary>
    public abstract class Stream : IDisposable, IAsyncDisposable
    {
        public abstract bool CanRead { get; }
        public abstract bool CanWrite { get; }
        public abstract bool CanSeek { get; }
        public virtual bool CanTimeout => false;
        public abstract long Length { get; }
        public abstract long Position { get; set; }

        public virtual int ReadTimeout
        {
            get => throw new InvalidOperationException("Timeouts are not supported on this stream.");
            set => throw new InvalidOperationException("Timeouts are not supported on this stream.");
        }

        public virtual int WriteTimeout
        {
            get => throw new InvalidOperationException("Timeouts are not supported on this stream.");
            set => throw new InvalidOperationException("Timeouts are not supported on this stream.");
        }

        public abstract int Read(byte[] buffer, int offset, int count);
        public abstract void Write(byte[] buffer, int offset, int count);
        public abstract void Flush();
        public abstract long Seek(long offset, SeekOrigin origin);
        public abstract void SetLength(long value);

        public virtual int Read(Span<byte> buffer)
        {
            byte[] array = new byte[buffer.Length];
            int n = Read(array, 0, array.Length);
            if ((uint)n > (uint)buffer.Length) throw new IOException("The stream returned more bytes than asked for.");
            new ReadOnlySpan<byte>(array, 0, n).CopyTo(buffer);
            return n;
        }

        public virtual void Write(ReadOnlySpan<byte> buffer)
        {
            byte[] array = buffer.ToArray();
            Write(array, 0, array.Length);
        }

        public virtual int ReadByte()
        {
            Span<byte> one = stackalloc byte[1];
            return Read(one) == 0 ? -1 : one[0];
        }

        public virtual void WriteByte(byte value)
        {
            ReadOnlySpan<byte> one = stackalloc byte[1] { value };
            Write(one);
        }

        /// <summary>Reads exactly buffer.Length bytes, or throws EndOfStreamException.</summary>
        public void ReadExactly(Span<byte> buffer)
        {
            while (buffer.Length > 0)
            {
                int n = Read(buffer);
                if (n == 0) throw new EndOfStreamException();
                buffer = buffer.Slice(n);
            }
        }

        public Task<int> ReadAsync(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None);

        public virtual Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            ValidateBufferArguments(buffer, offset, count);
            return ReadAsync(new Memory<byte>(buffer, offset, count), cancellationToken).AsTask();
        }

        public virtual ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<int>(cancellationToken);
            try
            {
                return new ValueTask<int>(Read(buffer.Span));
            }
            catch (Exception e)
            {
                return ValueTask.FromException<int>(e);
            }
        }

        public Task WriteAsync(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None);

        public virtual Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            ValidateBufferArguments(buffer, offset, count);
            return WriteAsync(new ReadOnlyMemory<byte>(buffer, offset, count), cancellationToken).AsTask();
        }

        public virtual ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
            try
            {
                Write(buffer.Span);
                return default;
            }
            catch (Exception e)
            {
                return ValueTask.FromException(e);
            }
        }

        public Task FlushAsync() => FlushAsync(CancellationToken.None);

        public virtual Task FlushAsync(CancellationToken cancellationToken)
        {
            if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
            try
            {
                Flush();
                return Task.CompletedTask;
            }
            catch (Exception e)
            {
                return Task.FromException(e);
            }
        }

        public void CopyTo(Stream destination) => CopyTo(destination, 81920);

        public virtual void CopyTo(Stream destination, int bufferSize)
        {
            if (destination == null) throw new ArgumentNullException(nameof(destination));
            if (bufferSize <= 0) throw new ArgumentOutOfRangeException(nameof(bufferSize));
            byte[] buffer = new byte[bufferSize];
            int n;
            while ((n = Read(buffer, 0, buffer.Length)) > 0) destination.Write(buffer, 0, n);
        }

        public Task CopyToAsync(Stream destination) => CopyToAsync(destination, 81920, CancellationToken.None);

        public Task CopyToAsync(Stream destination, CancellationToken cancellationToken) => CopyToAsync(destination, 81920, cancellationToken);

        public virtual async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
        {
            if (destination == null) throw new ArgumentNullException(nameof(destination));
            if (bufferSize <= 0) throw new ArgumentOutOfRangeException(nameof(bufferSize));
            byte[] buffer = new byte[bufferSize];
            int n;
            while ((n = await ReadAsync(new Memory<byte>(buffer), cancellationToken).ConfigureAwait(false)) > 0)
                await destination.WriteAsync(new ReadOnlyMemory<byte>(buffer, 0, n), cancellationToken).ConfigureAwait(false);
        }

        public virtual void Close()
        {
            Dispose(true);
        }

        public void Dispose() => Close();

        protected virtual void Dispose(bool disposing) { }

        public virtual ValueTask DisposeAsync()
        {
            try
            {
                Dispose();
                return default;
            }
            catch (Exception e)
            {
                return ValueTask.FromException(e);
            }
        }

        protected static void ValidateBufferArguments(byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset), "Non-negative number required.");
            if ((uint)count > (uint)(buffer.Length - offset)) throw new ArgumentOutOfRangeException(nameof(count), "Offset and length were out of bounds for the array or count is greater than the number of elements from index to the end of the source collection.");
        }
    }
}
