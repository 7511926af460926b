namespace System.Runtime.CompilerServices
{
    // The names the C# compiler looks up to compile async methods and await expressions.

    /// <summary>The state machine the compiler generates for an async method.</summary>
    public interface IAsyncStateMachine
    {
        void MoveNext();
        void SetStateMachine(IAsyncStateMachine stateMachine);
    }

    /// <summary>An awaiter: schedules the continuation for when the awaited operation completes.</summary>
    public interface INotifyCompletion
    {
        void OnCompleted(Action continuation);
    }

    /// <summary>The same without flowing an execution context (the kernel has none, so both are one).</summary>
    public interface ICriticalNotifyCompletion : INotifyCompletion
    {
        void UnsafeOnCompleted(Action continuation);
    }

    public class StateMachineAttribute : Attribute
    {
        public StateMachineAttribute(Type stateMachineType) { StateMachineType = stateMachineType; }
        public Type StateMachineType { get; }
    }

    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class AsyncStateMachineAttribute : StateMachineAttribute
    {
        public AsyncStateMachineAttribute(Type stateMachineType) : base(stateMachineType) { }
    }

    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class IteratorStateMachineAttribute : StateMachineAttribute
    {
        public IteratorStateMachineAttribute(Type stateMachineType) : base(stateMachineType) { }
    }

    /// <summary>Names the builder type of a task-like type (ValueTask), or of one async method.</summary>
    public sealed class AsyncMethodBuilderAttribute : Attribute
    {
        public AsyncMethodBuilderAttribute(Type builderType) { BuilderType = builderType; }
        public Type BuilderType { get; }
    }
}
