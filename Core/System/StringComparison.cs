namespace System
{
    /// <summary>
    /// .NET's comparison kinds. The kernel runs as .NET does in invariant-globalization mode: culture comparisons are
    /// ordinal, and ignoring case folds ASCII and Latin-1 (see <see cref="Char.ToUpperInvariant"/>).
    /// </summary>
    public enum StringComparison
    {
        CurrentCulture = 0,
        CurrentCultureIgnoreCase = 1,
        InvariantCulture = 2,
        InvariantCultureIgnoreCase = 3,
        Ordinal = 4,
        OrdinalIgnoreCase = 5,
    }

    [Flags]
    public enum StringSplitOptions
    {
        None = 0,
        RemoveEmptyEntries = 1,
        TrimEntries = 2,
    }
}
