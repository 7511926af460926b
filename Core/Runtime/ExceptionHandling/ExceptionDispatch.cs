using System;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime.ExceptionHandling
{
    /// <summary>
    /// .NET's two-pass exception dispatch over ilc's EH clauses, written for this kernel after reading
    /// NativeAOT's (dotnet/runtime nativeaot/Runtime.Base/src/System/Runtime/ExceptionHandling.cs):
    /// <list type="number">
    /// <item>First pass: from the throw site outwards, frame by frame, find the innermost clause that takes
    /// the exception: a typed catch whose type the exception is, or a filter (<c>when</c>) that says yes.
    /// Filters run here, before any finally of an inner frame. Each frame is recorded in the stack trace.
    /// Nobody takes it: the kernel reports it and stops (<see cref="UnhandledExceptionReport"/>).</item>
    /// <item>Second pass: walk the same frames again up to the catching one, running every finally and fault
    /// funclet whose try block the exception leaves, innermost first, each with its frame's callee-saved
    /// registers.</item>
    /// <item>Run the catch funclet and resume where it says, with the catching frame's stack pointer and
    /// callee-saved registers (eh.asm, RhpCallCatchFunclet).</item>
    /// </list>
    /// Nothing is registered at run time: code that does not throw never touches any of this.
    /// </summary>
    public static unsafe class ExceptionDispatch
    {
        /// <summary>A runaway (a fault inside the dispatcher, or a throw in a finally that throws again...) stops here.</summary>
        private const int MaxNestedDispatches = 32;

        private static ExInfo* s_head;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "RhpCallCatchFunclet")]
        private static extern void CallCatchFunclet(object exception, ulong handler, RegisterSet* frame, ExInfo* exInfo, ExInfo** chainHead);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "RhpCallFinallyFunclet")]
        private static extern void CallFinallyFunclet(ulong handler, RegisterSet* frame, ExInfo* exInfo);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "RhpCallFilterFunclet")]
        private static extern int CallFilterFunclet(object exception, ulong filter, RegisterSet* frame);

        // ---- entry points from eh.asm ----

        [RuntimeExport("RhThrowEx")]
        private static void RhThrowEx(object exception, RegisterSet* context)
        {
            // `throw null` throws a NullReferenceException, as on .NET.
            exception ??= new NullReferenceException();
            ExInfo exInfo = default;
            exInfo.Exception = exception;
            exInfo.Kind = ExKind.Throw;
            Dispatch(&exInfo, context);
        }

        [RuntimeExport("RhRethrow")]
        private static void RhRethrow(RegisterSet* context)
        {
            // The newest dispatch still on the chain is the one whose catch funclet executes this `throw;`.
            if (s_head == null) Panic.Fail("rethrow (`throw;`) with no exception being handled");
            ExInfo exInfo = default;
            exInfo.Exception = s_head->Exception;
            exInfo.Kind = ExKind.Rethrow | (s_head->Kind & ~(ExKind.Rethrow | ExKind.InstructionFault));
            Dispatch(&exInfo, context);
        }

        /// <summary>What a CPU fault in managed code becomes (Hal/Interrupts/FaultToException.cs picks it).</summary>
        public enum HardwareFault
        {
            NullReference = 1,
            DivideByZero = 2,
            Overflow = 3,
            /// <summary>Flag: the context's rip is a return address (a fault in a leaf helper), not the faulting instruction.</summary>
            AtReturnAddress = 0x100,
        }

        [RuntimeExport("RhThrowHwEx")]
        private static void RhThrowHwEx(int code, RegisterSet* context)
        {
            Exception exception = (HardwareFault)(code & 0xFF) switch
            {
                HardwareFault.NullReference => new NullReferenceException(),
                HardwareFault.DivideByZero => new DivideByZeroException(),
                HardwareFault.Overflow => new OverflowException(),
                _ => null,
            };
            if (exception == null) Panic.Fail("unknown hardware fault code");
            ExInfo exInfo = default;
            exInfo.Exception = exception;
            exInfo.Kind = ExKind.HardwareFault | ((code & (int)HardwareFault.AtReturnAddress) != 0 ? 0 : ExKind.InstructionFault);
            Dispatch(&exInfo, context);
        }

        // ---- the dispatcher ----

        private static void Dispatch(ExInfo* exInfo, RegisterSet* context)
        {
            int depth = 0;
            for (ExInfo* e = s_head; e != null; e = e->Previous) depth++;
            if (depth >= MaxNestedDispatches)
                Panic.Fail("exception dispatch nested 32 deep: an exception inside the dispatcher, or finally blocks that keep throwing");
            exInfo->Context = context;
            exInfo->CurrentClause = StackFrameIterator.NoClause;
            exInfo->Previous = s_head;
            s_head = exInfo;

            object exception = exInfo->Exception;
            bool instructionFault = (exInfo->Kind & ExKind.InstructionFault) != 0;
            ref StackFrameIterator frame = ref exInfo->FrameIter;

            // ---- first pass: find the handler; run filters; record the stack trace ----
            ulong handlingFrameSp = ulong.MaxValue;
            ulong handler = 0;
            uint catchingClause = StackFrameIterator.NoClause;
            var trace = new StackTraceRecorder(exception as Exception, (exInfo->Kind & ExKind.Rethrow) != 0);
            for (bool valid = frame.Init(context, instructionFault); valid; valid = frame.Next())
            {
                trace.Record(ref frame);
                if (FindFirstPassHandler(exception, ref frame, out catchingClause, out handler))
                {
                    handlingFrameSp = frame.Regs.Rsp;
                    break;
                }
            }
            if (handler == 0) UnhandledExceptionReport.Report(exception, context, instructionFault);

            // ---- second pass: run finally and fault funclets up to the catching frame ----
            for (bool valid = frame.Init(context, instructionFault); valid && frame.Regs.Rsp <= handlingFrameSp; valid = frame.Next())
            {
                if (frame.Regs.Rsp == handlingFrameSp)
                {
                    // Only the clauses inside the catching one.
                    InvokeSecondPass(exInfo, frame.StartClauseIndex, catchingClause);
                    break;
                }
                InvokeSecondPass(exInfo, frame.StartClauseIndex, StackFrameIterator.NoClause);
            }

            // ---- the catch ----
            exInfo->CurrentClause = catchingClause;
            fixed (ExInfo** head = &s_head) CallCatchFunclet(exception, handler, &exInfo->FrameIter.Regs, exInfo, head);
            Panic.Fail("a catch funclet returned to the dispatcher");
        }

        /// <summary>
        /// The innermost clause of this frame that takes the exception. Clauses come innermost first; when the
        /// frame was reached from a running handler, the clauses up to that handler's (and any with the same
        /// try block) were already the earlier exception's business and are skipped.
        /// </summary>
        private static bool FindFirstPassHandler(object exception, ref StackFrameIterator frame, out uint clauseIndex, out ulong handler)
        {
            clauseIndex = StackFrameIterator.NoClause;
            handler = 0;
            if (!frame.Method.HasEhClauses) return false;
            uint codeOffset = frame.CodeOffset;
            uint skipThrough = frame.StartClauseIndex;
            uint lastTryStart = 0, lastTryEnd = 0;
            var clauses = new EhClauseEnumerator(in frame.Method);
            for (uint index = 0; clauses.MoveNext(out EhClause clause); index++)
            {
                if (skipThrough != StackFrameIterator.NoClause)
                {
                    if (index <= skipThrough)
                    {
                        lastTryStart = clause.TryStartOffset;
                        lastTryEnd = clause.TryEndOffset;
                        continue;
                    }
                    if (clause.TryStartOffset == lastTryStart && clause.TryEndOffset == lastTryEnd) continue;
                    skipThrough = StackFrameIterator.NoClause;
                }
                if (clause.Kind == EhClauseKind.Fault || !clause.Contains(codeOffset)) continue;
                bool takes;
                if (clause.Kind == EhClauseKind.Typed)
                {
                    takes = TypeCast.IsInstanceOfAny((MethodTable*)clause.TargetType, exception) != null;
                }
                else
                {
                    takes = RunFilter(exception, clause.FilterAddress, ref frame);
                }
                if (takes)
                {
                    clauseIndex = index;
                    handler = clause.HandlerAddress;
                    return true;
                }
            }
            return false;
        }

        /// <summary>An exception that escapes a filter is swallowed and the filter counts as false (ECMA-335 II.19).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool RunFilter(object exception, ulong filter, ref StackFrameIterator frame)
        {
            try
            {
                fixed (RegisterSet* regs = &frame.Regs) return CallFilterFunclet(exception, filter, regs) != 0;
            }
            catch
            {
                return false;
            }
        }

        private static void InvokeSecondPass(ExInfo* exInfo, uint skipThrough, uint limit)
        {
            ref StackFrameIterator frame = ref exInfo->FrameIter;
            if (!frame.Method.HasEhClauses) return;
            uint codeOffset = frame.CodeOffset;
            uint lastTryStart = 0, lastTryEnd = 0;
            var clauses = new EhClauseEnumerator(in frame.Method);
            for (uint index = 0; index < limit && clauses.MoveNext(out EhClause clause); index++)
            {
                if (skipThrough != StackFrameIterator.NoClause)
                {
                    if (index <= skipThrough)
                    {
                        lastTryStart = clause.TryStartOffset;
                        lastTryEnd = clause.TryEndOffset;
                        continue;
                    }
                    if (clause.TryStartOffset == lastTryStart && clause.TryEndOffset == lastTryEnd) continue;
                    skipThrough = StackFrameIterator.NoClause;
                }
                if (clause.Kind != EhClauseKind.Fault || !clause.Contains(codeOffset)) continue;
                exInfo->CurrentClause = index;
                CallFinallyFunclet(clause.HandlerAddress, &exInfo->FrameIter.Regs, exInfo);
                exInfo->CurrentClause = StackFrameIterator.NoClause;
            }
        }

        /// <summary>
        /// Records the first pass's frames into the exception, once per method activation: a funclet and the
        /// frame of its own method are one line, as in .NET. A rethrow appends to the trace it already has and
        /// leaves out its first frame (the method whose catch rethrows, already the last line).
        /// </summary>
        private ref struct StackTraceRecorder
        {
            private readonly Exception _exception;
            private bool _skipNext;
            private ulong _previousMethod;
            private bool _previousWasFunclet;

            public StackTraceRecorder(Exception exception, bool rethrow)
            {
                _exception = exception;
                _skipNext = rethrow;
                _previousMethod = 0;
                _previousWasFunclet = false;
                if (exception != null && !rethrow) exception.ResetStackTrace();
            }

            public void Record(ref StackFrameIterator frame)
            {
                bool sameActivation = frame.ReachedThroughFunclet
                    || (_previousWasFunclet && !frame.Method.IsFunclet && frame.Method.MethodStart == _previousMethod);
                _previousMethod = frame.Method.MethodStart;
                _previousWasFunclet = frame.Method.IsFunclet;
                if (_skipNext)
                {
                    _skipNext = false;
                    return;
                }
                if (sameActivation || _exception == null) return;
                _exception.AppendStackFrame(frame.ControlPC);
            }
        }
    }
}
