namespace System.Linq
{
    /// <summary>The exceptions LINQ throws, with .NET's messages.</summary>
    internal static class Errors
    {
        public static ArgumentNullException Null(string paramName) => new ArgumentNullException(paramName);
        public static InvalidOperationException NoElements() => new InvalidOperationException("Sequence contains no elements");
        public static InvalidOperationException NoMatch() => new InvalidOperationException("Sequence contains no matching element");
        public static InvalidOperationException MoreThanOne() => new InvalidOperationException("Sequence contains more than one element");
        public static InvalidOperationException MoreThanOneMatch() => new InvalidOperationException("Sequence contains more than one matching element");

        public static void ThrowIfNull(object argument, string paramName)
        {
            if (argument == null) throw new ArgumentNullException(paramName);
        }
    }
}
