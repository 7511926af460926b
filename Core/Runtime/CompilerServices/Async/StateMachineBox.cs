namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// Where an async method's state machine lives once it first awaits something incomplete. The compiler makes
    /// the state machine a struct on the caller's stack; to resume later it must move to the heap. The builder
    /// copies it into a box once, after storing the box (and the method's task) in the builder, so the stack
    /// copy, which the caller reads the Task from, and the boxed copy, which runs from then on, share both.
    /// The box's MoveNextAction is the continuation every later await registers.
    ///
    /// Plain generic classes and generic methods on the builder structs, no generic virtual methods: the kernel's
    /// runtime cannot dispatch those from shared generic code.
    /// </summary>
    internal abstract class StateMachineBox
    {
        public Action MoveNextAction;

        /// <summary>The box for the running state machine, made and filled on the first incomplete await.</summary>
        public static Action ContinuationFor<TStateMachine>(ref StateMachineBox slot, ref TStateMachine stateMachine)
            where TStateMachine : IAsyncStateMachine
        {
            if (slot == null)
            {
                var box = new StateMachineBox<TStateMachine>();
                slot = box;                      // slot is a field of stateMachine's builder: the copy below carries it
                box.StateMachine = stateMachine;
            }
            return slot.MoveNextAction;
        }
    }

    internal sealed class StateMachineBox<TStateMachine> : StateMachineBox where TStateMachine : IAsyncStateMachine
    {
        public TStateMachine StateMachine;

        public StateMachineBox() { MoveNextAction = MoveNext; }

        private void MoveNext() => StateMachine.MoveNext();
    }
}
