using Internal.Runtime;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>Base of every array. Layout after the MethodTable: 32-bit length, padding, elements.</summary>
    public abstract unsafe class Array
    {
        private int _numComponents;

        public int Length => _numComponents;

        internal ref byte GetRawArrayData() => ref Unsafe.As<RawArrayData>(this).Data;
    }

    /// <summary>ilc looks for this to give arrays their generic interface implementations.</summary>
    public class Array<T> : Array { }
}

namespace System.Collections
{
    public interface IEnumerable { IEnumerator GetEnumerator(); }
    public interface IEnumerator { bool MoveNext(); object Current { get; } void Reset(); }
}

namespace System.Collections.Generic
{
    public interface IEnumerable<out T> : System.Collections.IEnumerable { new IEnumerator<T> GetEnumerator(); }
    public interface IEnumerator<out T> : System.Collections.IEnumerator, IDisposable { new T Current { get; } }
}
