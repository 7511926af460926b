namespace System.Threading
{
    /// <summary>
    /// .NET's Monitor, which the C# <c>lock</c> statement calls. The kernel runs one thread and its event loop never
    /// switches tasks inside a lock (an <c>await</c> cannot appear in one), so entering always succeeds at once; what
    /// is kept is .NET's checking: a null object, and Exit without Enter, throw as they do on .NET.
    /// </summary>
    public static class Monitor
    {
        private static int s_depth; // locks held, for Exit's check (one thread)

        public static void Enter(object obj)
        {
            if (obj == null) throw new ArgumentNullException(nameof(obj));
            s_depth++;
        }

        public static void Enter(object obj, ref bool lockTaken)
        {
            if (lockTaken) throw new ArgumentException("The lockTaken argument must be set to false before calling this method.", nameof(lockTaken));
            Enter(obj);
            lockTaken = true;
        }

        public static bool TryEnter(object obj)
        {
            Enter(obj);
            return true;
        }

        public static void TryEnter(object obj, ref bool lockTaken) => Enter(obj, ref lockTaken);

        public static void Exit(object obj)
        {
            if (obj == null) throw new ArgumentNullException(nameof(obj));
            if (s_depth == 0) throw new SynchronizationLockException("Object synchronization method was called from an unsynchronized block of code.");
            s_depth--;
        }
    }

    public class SynchronizationLockException : SystemException
    {
        public SynchronizationLockException() : base("Object synchronization method was called from an unsynchronized block of code.") { }
        public SynchronizationLockException(string message) : base(message) { }
    }
}
