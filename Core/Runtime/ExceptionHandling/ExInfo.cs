namespace Internal.Runtime.ExceptionHandling
{
    /// <summary>How an exception came to be thrown.</summary>
    public enum ExKind : byte
    {
        Throw = 1,
        HardwareFault = 2,
        Rethrow = 4,
        /// <summary>The throw site is the faulting instruction itself, not a return address.</summary>
        InstructionFault = 8,
    }

    /// <summary>
    /// One exception being dispatched. It lives in the dispatcher's frame on the stack (so it costs nothing
    /// until something throws) and is chained to the dispatches still in progress: the newest is the one a
    /// <c>throw;</c> rethrows. Kernel/Boot/eh.asm reads <see cref="Previous"/> at offset 0 when a catch resumes
    /// and drops every record the stack has left behind.
    /// </summary>
    public unsafe struct ExInfo
    {
        public ExInfo* Previous;
        public RegisterSet* Context;
        // The exception as a raw reference: a struct with an object field gets the runtime's automatic layout
        // (references first), and eh.asm needs Previous at offset 0. There is no moving GC to update it.
        private nint _exception;
        public ExKind Kind;
        /// <summary>The clause whose funclet is running (the catch's during the catch), or NoClause.</summary>
        public uint CurrentClause;
        /// <summary>The frame this dispatch is at: where its funclets run.</summary>
        public StackFrameIterator FrameIter;

        public object Exception
        {
            get { nint e = _exception; return System.Runtime.CompilerServices.Unsafe.As<nint, object>(ref e); }
            set { _exception = System.Runtime.CompilerServices.Unsafe.As<object, nint>(ref value); }
        }
    }
}
