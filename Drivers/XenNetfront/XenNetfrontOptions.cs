namespace Cosmos.Drivers.XenNetfront
{
    /// <summary>Choices for the netfront; <see cref="Default"/> is what the kernel uses unless told otherwise.</summary>
    public struct XenNetfrontOptions
    {
        /// <summary>The xenbus node, relative to our domain's xenstore home.</summary>
        public string NodePath;
        /// <summary>How long to wait for the backend to reach InitWait, and then Connected.</summary>
        public int ConnectTimeoutMilliseconds;
        /// <summary>Receive pages posted to the backend (at most the ring size, 256).</summary>
        public int ReceiveBuffers;
        /// <summary>Accept packets spread over several slots when the backend offers feature-sg.</summary>
        public bool ScatterGather;

        public static XenNetfrontOptions Default => new XenNetfrontOptions
        {
            NodePath = "device/vif/0",
            ConnectTimeoutMilliseconds = 30_000,
            ReceiveBuffers = 256,
            ScatterGather = true,
        };
    }
}
