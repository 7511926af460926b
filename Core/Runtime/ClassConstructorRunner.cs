namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// Per-type static-constructor state ilc places next to a type's non-GC statics. A non-zero
    /// address means the constructor has not run yet.
    /// </summary>
    public struct StaticClassConstructionContext
    {
        public nint cctorMethodAddress;
    }

    /// <summary>
    /// Runs static constructors on first access; ilc calls these helpers by name. The kernel is
    /// single-threaded while statics initialise, so there are no locks: the address is cleared before
    /// the call, which also stops a constructor that touches its own type from recursing.
    /// </summary>
    internal static unsafe class ClassConstructorRunner
    {
        private static void EnsureClassConstructorRun(StaticClassConstructionContext* context)
        {
            nint cctor = context->cctorMethodAddress;
            if (cctor == 0) return;
            context->cctorMethodAddress = 0;
            ((delegate*<void>)cctor)();
        }

        private static object CheckStaticClassConstructionReturnGCStaticBase(StaticClassConstructionContext* context, object gcStaticBase)
        {
            EnsureClassConstructorRun(context);
            return gcStaticBase;
        }

        private static nint CheckStaticClassConstructionReturnNonGCStaticBase(StaticClassConstructionContext* context, nint nonGcStaticBase)
        {
            EnsureClassConstructorRun(context);
            return nonGcStaticBase;
        }
    }
}
