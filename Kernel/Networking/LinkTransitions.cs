namespace Cosmos.Kernel.Networking
{
    /// <summary>What a look at the link found (see <see cref="LinkTransitions.Observe"/>).</summary>
    public enum LinkEvent : byte
    {
        None,
        Down,
        Up,
        /// <summary>The link went down and came back between two looks (the change count moved, the state is as before: up).</summary>
        Bounced,
    }

    /// <summary>
    /// The link's transitions from the driver's link bit and its count of link changes (each seen through a configuration-change
    /// notification, virtio 1.2 §5.1.4). Pure arithmetic, so host tests run it unchanged (<see cref="LinkWatch"/> acts on it).
    /// </summary>
    public struct LinkTransitions
    {
        private bool _started, _up;
        private long _changes;

        /// <summary>One look at the link bit and the change count; says what happened since the last look (the first look only records).</summary>
        public LinkEvent Observe(bool linkUp, long changes)
        {
            if (!_started)
            {
                _started = true;
                _up = linkUp;
                _changes = changes;
                return LinkEvent.None;
            }
            if (changes == _changes && linkUp == _up) return LinkEvent.None;
            bool wasUp = _up;
            _up = linkUp;
            _changes = changes;
            if (wasUp && !linkUp) return LinkEvent.Down;
            if (!wasUp && linkUp) return LinkEvent.Up;
            // Same state, yet changes were counted: up-down-up is a bounce; down-up-down is still down (nothing to do).
            return linkUp ? LinkEvent.Bounced : LinkEvent.None;
        }
    }
}
