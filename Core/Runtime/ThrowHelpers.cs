using System.Diagnostics.CodeAnalysis;

namespace System
{
    /// <summary>Cold throw paths for the corlib itself; kept out of line so hot code stays small.</summary>
    internal static class ThrowHelpers
    {
        [DoesNotReturn] internal static void ThrowIndexOutOfRange() => throw new IndexOutOfRangeException();
        [DoesNotReturn] internal static void ThrowArgumentOutOfRange() => throw new ArgumentOutOfRangeException();
        [DoesNotReturn] internal static void ThrowArgumentOutOfRange(string paramName) => throw new ArgumentOutOfRangeException(paramName);
        [DoesNotReturn] internal static void ThrowDestinationTooShort() => throw new ArgumentException("Destination is too short.", "destination");
        [DoesNotReturn] internal static void ThrowNullReference() => throw new NullReferenceException();
        [DoesNotReturn] internal static void ThrowArrayTypeMismatch() => throw new ArrayTypeMismatchException();
        [DoesNotReturn] internal static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);
    }
}

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>Throw helpers ilc calls by name from generated code (range checks, overflow, ...).</summary>
    internal static class ThrowHelpers
    {
        private static void ThrowOverflowException() => throw new System.OverflowException();
        private static void ThrowIndexOutOfRangeException() => throw new System.IndexOutOfRangeException();
        private static void ThrowNullReferenceException() => throw new System.NullReferenceException();
        private static void ThrowDivideByZeroException() => throw new System.DivideByZeroException();
        private static void ThrowArrayTypeMismatchException() => throw new System.ArrayTypeMismatchException();
        private static void ThrowPlatformNotSupportedException() => throw new System.PlatformNotSupportedException();
        private static void ThrowInvalidCastException() => throw new System.InvalidCastException();
        private static void ThrowArgumentException() => throw new System.ArgumentException();
        private static void ThrowArgumentOutOfRangeException() => throw new System.ArgumentOutOfRangeException();
        private static void ThrowNotImplementedException() => throw new System.NotSupportedException("not implemented");
        private static void ThrowFeatureBodyRemoved() => throw new System.NotSupportedException("feature body removed by the compiler");
        private static void ThrowInvalidProgramException() => throw new System.InvalidOperationException("invalid program");
        private static void ThrowInvalidProgramExceptionWithArgument(int id, string argument) => throw new System.InvalidOperationException("invalid program");
        private static void ThrowTypeLoadException() => throw new System.InvalidOperationException("type load failure");
        private static void ThrowTypeLoadExceptionWithArgument(int id, string className, string typeName, string argument) => throw new System.InvalidOperationException("type load failure");
        private static void ThrowMissingMethodException() => throw new System.InvalidOperationException("missing method");
        private static void ThrowMissingFieldException() => throw new System.InvalidOperationException("missing field");
        private static void ThrowFileNotFoundException() => throw new System.InvalidOperationException("file not found");
        private static void ThrowBadImageFormatException() => throw new System.InvalidOperationException("bad image format");
        private static void ThrowMarshalDirectiveException() => throw new System.InvalidOperationException("marshal directive");
        private static void ThrowAmbiguousMatchException() => throw new System.InvalidOperationException("ambiguous match");
        private static void ThrowNotSupportedException() => throw new System.NotSupportedException();
        private static void ThrowUnavailableType() => throw new System.InvalidOperationException("unavailable type");
    }
}
