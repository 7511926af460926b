using Internal.Runtime;
using System.Runtime.CompilerServices;

namespace System.Runtime
{
    /// <summary>
    /// Cast and array-store checks; ilc calls these by name for <c>is</c>, <c>as</c>, casts and
    /// stores into arrays of reference type. Supported: classes and their bases, interfaces listed
    /// in the type's interface map, arrays of the exact element type. Generic variance is not.
    /// </summary>
    public static unsafe class TypeCast
    {
        private static bool IsAssignable(MethodTable* source, MethodTable* target)
        {
            if (source == target) return true;
            if (target->IsInterface) return source->ImplementsInterface(target);
            if (source->IsArray)
            {
                // Array covariance for reference types: string[] is object[].
                if (!target->IsArray) return source->BaseType == null && !target->IsInterface && target->BaseType == null; // object
                MethodTable* se = source->ElementTypeHandle, te = target->ElementTypeHandle;
                return !se->IsValueType && !te->IsValueType && IsAssignable(se, te);
            }
            return source->IsSubclassOf(target);
        }

        public static object IsInstanceOfAny(MethodTable* targetType, object obj)
        {
            if (obj == null) return null;
            return IsAssignable(obj.GetMethodTable(), targetType) ? obj : null;
        }

        public static object IsInstanceOfInterface(MethodTable* targetType, object obj)
        {
            if (obj == null) return null;
            return obj.GetMethodTable()->ImplementsInterface(targetType) ? obj : null;
        }

        public static object IsInstanceOfClass(MethodTable* targetType, object obj)
        {
            if (obj == null) return null;
            return obj.GetMethodTable()->IsSubclassOf(targetType) ? obj : null;
        }

        public static object IsInstanceOfException(MethodTable* targetType, object obj) => IsInstanceOfAny(targetType, obj);

        public static object CheckCastAny(MethodTable* targetType, object obj)
        {
            if (obj == null || IsAssignable(obj.GetMethodTable(), targetType)) return obj;
            return FailCast(obj, targetType);
        }

        public static object CheckCastInterface(MethodTable* targetType, object obj)
        {
            if (obj == null || obj.GetMethodTable()->ImplementsInterface(targetType)) return obj;
            return FailCast(obj, targetType);
        }

        public static object CheckCastClass(MethodTable* targetType, object obj)
        {
            if (obj == null || obj.GetMethodTable()->IsSubclassOf(targetType)) return obj;
            return FailCast(obj, targetType);
        }

        public static object CheckCastClassSpecial(MethodTable* targetType, object obj) => CheckCastClass(targetType, obj);

        /// <summary>As .NET: InvalidCastException "Unable to cast object of type 'A' to type 'B'."</summary>
        internal static object FailCast(object obj, MethodTable* target)
        {
            throw new InvalidCastException(string.Concat("Unable to cast object of type '", TypeNames.FullName(obj.GetMethodTable()),
                string.Concat("' to type '", TypeNames.FullName(target), "'.")));
        }

        public static void StelemRef(object[] array, nint index, object obj)
        {
            if ((nuint)index >= (uint)array.Length) ThrowHelpers.ThrowIndexOutOfRange();
            ref object element = ref Unsafe.As<ArrayElement[]>(array)[index].Value;
            if (obj != null)
            {
                MethodTable* elementType = array.GetMethodTable()->ElementTypeHandle;
                if (!IsAssignable(obj.GetMethodTable(), elementType)) ThrowHelpers.ThrowArrayTypeMismatch();
            }
            element = obj;
        }

        public static ref object LdelemaRef(object[] array, nint index, MethodTable* elementType)
        {
            if ((nuint)index >= (uint)array.Length) ThrowHelpers.ThrowIndexOutOfRange();
            if (array.GetMethodTable()->ElementTypeHandle != elementType) ThrowHelpers.ThrowArrayTypeMismatch();
            return ref Unsafe.As<ArrayElement[]>(array)[index].Value;
        }

        private struct ArrayElement
        {
            public object Value;
        }
    }
}
