using System;
using System.Runtime.CompilerServices;
using static Cosmos.Kernel.SelfTests.SelfTestRunner;

namespace Cosmos.Kernel.SelfTests
{
    /// <summary>
    /// Smoke tests of exception dispatch in the kernel itself; the full comparison with .NET is the
    /// conformance suite (Tests/Conformance, the runner's conformance boot).
    /// </summary>
    internal static class ExceptionTests
    {
        public static void Register()
        {
            Run("eh.throw-catch", ThrowCatch);
            Run("eh.finally-order", FinallyOrder);
            Run("eh.null-reference", NullReference);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Thrower(string message) => throw new InvalidOperationException(message);

        private static void ThrowCatch()
        {
            string caught = null;
            try
            {
                Thrower("boom");
            }
            catch (InvalidOperationException e)
            {
                caught = e.Message;
            }
            ExpectEqual("boom", caught, "message seen by the catch");
        }

        private static int s_order;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Inner()
        {
            try { Thrower("inner"); }
            finally { s_order = s_order * 10 + 1; }
        }

        private static void FinallyOrder()
        {
            s_order = 0;
            try
            {
                try { Inner(); }
                finally { s_order = s_order * 10 + 2; }
            }
            catch (Exception) { s_order = s_order * 10 + 3; }
            ExpectEqual(123, s_order, "finally blocks inner to outer, then the catch");
        }

        private sealed class Box { public int Value; }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Read(Box b) => b.Value;

        private static void NullReference()
        {
            bool caught = false;
            try { Read(null); }
            catch (NullReferenceException) { caught = true; }
            Expect(caught, "a null dereference became a NullReferenceException");
        }
    }
}
