namespace Cosmos.Drivers.Xen.Hypervisor
{
    /// <summary>
    /// The one way into the hypervisor: a hypercall by number with up to three arguments. Pointer arguments
    /// are addresses the calling code itself dereferences (an HVM guest passes guest-virtual addresses, and
    /// Xen walks the guest's page tables). The kernel's implementation calls into the hypercall page; the host
    /// tests' implementation is a model of Xen that decodes the same structures.
    /// </summary>
    public interface IHypervisor
    {
        long Hypercall(int number, ulong arg0, ulong arg1, ulong arg2);
    }

    /// <summary>
    /// Time and waiting for the bounded waits of the control plane (xenstore replies, backend state changes).
    /// The kernel's implementation reads the TSC clock and halts until the next interrupt; the host tests'
    /// implementation lets the modelled backend run a step.
    /// </summary>
    public interface IPlatformWait
    {
        long Milliseconds { get; }
        void Idle();
    }
}
