using Cosmos.Drivers.Xen.Spec;

namespace Cosmos.Drivers.Xen.Hypervisor
{
    /// <summary>Typed wrappers over the hypercalls the front ends use. Results are 0 or a negated Xen errno.</summary>
    public sealed unsafe class Hypercalls
    {
        private readonly IHypervisor _hypervisor;

        public Hypercalls(IHypervisor hypervisor) => _hypervisor = hypervisor;

        public IHypervisor Hypervisor => _hypervisor;

        public int EventChannelOp(int command, void* argument) =>
            (int)_hypervisor.Hypercall(HypercallNumber.EventChannelOp, (ulong)command, (ulong)argument, 0);

        public int MemoryOp(int command, void* argument) =>
            (int)_hypervisor.Hypercall(HypercallNumber.MemoryOp, (ulong)command, (ulong)argument, 0);

        public int HvmOp(int command, void* argument) =>
            (int)_hypervisor.Hypercall(HypercallNumber.HvmOp, (ulong)command, (ulong)argument, 0);

        public int GrantTableOp(int command, void* argument, uint count) =>
            (int)_hypervisor.Hypercall(HypercallNumber.GrantTableOp, (ulong)command, (ulong)argument, count);

        /// <summary>XENMEM_add_to_physmap for our own domain: puts a Xen-owned frame at guest frame <paramref name="guestFrame"/>.</summary>
        public int AddToPhysmap(uint space, ulong index, ulong guestFrame)
        {
            AddToPhysmap request = default;
            request.DomainId = DomainId.Self;
            request.Space = space;
            request.Index = index;
            request.GuestFrame = guestFrame;
            return MemoryOp(Spec.MemoryOp.AddToPhysmap, &request);
        }

        public int GetHvmParam(int index, out ulong value)
        {
            HvmParam param = default;
            param.DomainId = DomainId.Self;
            param.Index = (uint)index;
            int result = HvmOp(Spec.HvmOp.GetParam, &param);
            value = param.Value;
            return result;
        }

        public int SetHvmParam(int index, ulong value)
        {
            HvmParam param = default;
            param.DomainId = DomainId.Self;
            param.Index = (uint)index;
            param.Value = value;
            return HvmOp(Spec.HvmOp.SetParam, &param);
        }

        /// <summary>A short name for a negated errno, for log lines.</summary>
        public static string ErrorName(int result)
        {
            switch (-result)
            {
                case 0: return "ok";
                case XenErrno.EPERM: return "EPERM";
                case XenErrno.ENOENT: return "ENOENT";
                case XenErrno.EINVAL: return "EINVAL";
                case XenErrno.ENOMEM: return "ENOMEM";
                case XenErrno.EFAULT: return "EFAULT";
                case XenErrno.ENOSYS: return "ENOSYS";
                case XenErrno.EAGAIN: return "EAGAIN";
                case XenErrno.EACCES: return "EACCES";
                case XenErrno.EBUSY: return "EBUSY";
                case XenErrno.EEXIST: return "EEXIST";
                case XenErrno.ENOSPC: return "ENOSPC";
                default: return "error";
            }
        }
    }
}
