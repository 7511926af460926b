using System.Collections;
using System.Collections.Generic;

namespace System.Net.NetworkInformation
{
    /// <summary>
    /// What .NET's three address collections (IPAddressCollection, UnicastIPAddressInformationCollection,
    /// GatewayIPAddressInformationCollection) share: read-only to the program (Add, Clear and Remove throw
    /// NotSupportedException with .NET's message), filled by the kernel when the snapshot is taken.
    /// </summary>
    internal sealed class ReadOnlyItems<T>
    {
        private readonly List<T> _items = new List<T>();

        public int Count => _items.Count;
        public T this[int index] => _items[index];
        public void Add(T item) => _items.Add(item);
        public bool Contains(T item) => _items.Contains(item);
        public void CopyTo(T[] array, int offset) => _items.CopyTo(array, offset);
        public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();
        public static NotSupportedException ReadOnly() => new NotSupportedException("The collection is read-only.");
    }

    /// <summary>.NET's IPAddressCollection (an interface's DNS and DHCP servers).</summary>
    public class IPAddressCollection : ICollection<IPAddress>
    {
        private readonly ReadOnlyItems<IPAddress> _items = new ReadOnlyItems<IPAddress>();

        protected internal IPAddressCollection() { }

        internal void InternalAdd(IPAddress address) => _items.Add(address);
        internal bool IsEmpty => _items.Count == 0;
        public virtual IPAddress this[int index] => _items[index];
        public virtual int Count => _items.Count;
        public virtual bool IsReadOnly => true;
        public virtual void Add(IPAddress address) => throw ReadOnlyItems<IPAddress>.ReadOnly();
        public virtual void Clear() => throw ReadOnlyItems<IPAddress>.ReadOnly();
        public virtual bool Remove(IPAddress address) => throw ReadOnlyItems<IPAddress>.ReadOnly();
        public virtual bool Contains(IPAddress address) => _items.Contains(address);
        public virtual void CopyTo(IPAddress[] array, int offset) => _items.CopyTo(array, offset);
        public virtual IEnumerator<IPAddress> GetEnumerator() => _items.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>.NET's UnicastIPAddressInformationCollection (an interface's own addresses).</summary>
    public class UnicastIPAddressInformationCollection : ICollection<UnicastIPAddressInformation>
    {
        private readonly ReadOnlyItems<UnicastIPAddressInformation> _items = new ReadOnlyItems<UnicastIPAddressInformation>();

        protected internal UnicastIPAddressInformationCollection() { }

        internal void InternalAdd(UnicastIPAddressInformation address) => _items.Add(address);
        public virtual UnicastIPAddressInformation this[int index] => _items[index];
        public virtual int Count => _items.Count;
        public virtual bool IsReadOnly => true;
        public virtual void Add(UnicastIPAddressInformation address) => throw ReadOnlyItems<UnicastIPAddressInformation>.ReadOnly();
        public virtual void Clear() => throw ReadOnlyItems<UnicastIPAddressInformation>.ReadOnly();
        public virtual bool Remove(UnicastIPAddressInformation address) => throw ReadOnlyItems<UnicastIPAddressInformation>.ReadOnly();
        public virtual bool Contains(UnicastIPAddressInformation address) => _items.Contains(address);
        public virtual void CopyTo(UnicastIPAddressInformation[] array, int offset) => _items.CopyTo(array, offset);
        public virtual IEnumerator<UnicastIPAddressInformation> GetEnumerator() => _items.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>.NET's GatewayIPAddressInformationCollection (an interface's default gateways).</summary>
    public class GatewayIPAddressInformationCollection : ICollection<GatewayIPAddressInformation>
    {
        private readonly ReadOnlyItems<GatewayIPAddressInformation> _items = new ReadOnlyItems<GatewayIPAddressInformation>();

        protected internal GatewayIPAddressInformationCollection() { }

        internal void InternalAdd(GatewayIPAddressInformation address) => _items.Add(address);
        public virtual GatewayIPAddressInformation this[int index] => _items[index];
        public virtual int Count => _items.Count;
        public virtual bool IsReadOnly => true;
        public virtual void Add(GatewayIPAddressInformation address) => throw ReadOnlyItems<GatewayIPAddressInformation>.ReadOnly();
        public virtual void Clear() => throw ReadOnlyItems<GatewayIPAddressInformation>.ReadOnly();
        public virtual bool Remove(GatewayIPAddressInformation address) => throw ReadOnlyItems<GatewayIPAddressInformation>.ReadOnly();
        public virtual bool Contains(GatewayIPAddressInformation address) => _items.Contains(address);
        public virtual void CopyTo(GatewayIPAddressInformation[] array, int offset) => _items.CopyTo(array, offset);
        public virtual IEnumerator<GatewayIPAddressInformation> GetEnumerator() => _items.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
