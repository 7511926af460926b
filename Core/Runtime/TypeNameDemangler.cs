using System;

namespace System.Runtime
{
    /// <summary>
    /// ilc's symbol for a type's MethodTable (without "_ZTV&lt;length&gt;") to the type's .NET full name:
    /// "S_P_CoreLib_System_Exception" is System.Exception (the longest module prefix from the symbol map's
    /// "modules" line is dropped and underscores read as dots); the primitive types, Object and String go by
    /// their short names ("String"); "__Array&lt;T&gt;" is T[]; "Boxed_T" (a boxed value's MethodTable) is T;
    /// generic arguments stay as ilc wrote them. Pure span code, tested on the host.
    /// </summary>
    public static class TypeNameDemangler
    {
        private const string ArrayPrefix = "__Array<";
        private const string BoxedPrefix = "Boxed_";

        // The types ilc names without their module and namespace.
        private static readonly string[] s_wellKnown =
        {
            "Object", "String", "Void", "Boolean", "Char", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32",
            "Int64", "UInt64", "IntPtr", "UIntPtr", "Single", "Double",
        };

        /// <summary>Writes the name into <paramref name="into"/>; returns its length (cut at the span's end).</summary>
        public static int Demangle(ReadOnlySpan<char> symbol, Span<char> into, string modulePrefixes)
        {
            if (symbol.Length > BoxedPrefix.Length && StartsWith(symbol, BoxedPrefix))
                return Demangle(symbol.Slice(BoxedPrefix.Length), into, modulePrefixes);
            if (symbol.Length > ArrayPrefix.Length && StartsWith(symbol, ArrayPrefix) && symbol[symbol.Length - 1] == '>')
            {
                int n = Demangle(symbol.Slice(ArrayPrefix.Length, symbol.Length - ArrayPrefix.Length - 1), into.Length >= 2 ? into.Slice(0, into.Length - 2) : into, modulePrefixes);
                return n + Copy("[]", into.Slice(n));
            }
            int skip = PrefixLength(symbol, modulePrefixes);
            int written = 0;
            if (skip == 0 && IsWellKnown(symbol)) written = Copy("System.", into);
            bool generic = false;
            for (int i = skip; i < symbol.Length && written < into.Length; i++)
            {
                char c = symbol[i];
                if (c == '<') generic = true;
                into[written++] = c == '_' && !generic ? '.' : c;
            }
            return written;
        }

        /// <summary>Length of the longest listed module prefix the symbol starts with, its underscore included.</summary>
        private static int PrefixLength(ReadOnlySpan<char> name, string prefixes)
        {
            if (prefixes == null) return 0;
            int best = 0, start = 0;
            for (int i = 0; i <= prefixes.Length; i++)
            {
                if (i < prefixes.Length && prefixes[i] != ' ') continue;
                int length = i - start;
                if (length > 0 && length + 1 < name.Length && name[length] == '_' && length + 1 > best)
                {
                    bool match = true;
                    for (int k = 0; k < length && match; k++) match = name[k] == prefixes[start + k];
                    if (match) best = length + 1;
                }
                start = i + 1;
            }
            return best;
        }

        private static bool IsWellKnown(ReadOnlySpan<char> name)
        {
            for (int i = 0; i < s_wellKnown.Length; i++)
                if (s_wellKnown[i].Length == name.Length && StartsWith(name, s_wellKnown[i])) return true;
            return false;
        }

        private static bool StartsWith(ReadOnlySpan<char> s, string prefix)
        {
            if (s.Length < prefix.Length) return false;
            for (int i = 0; i < prefix.Length; i++) if (s[i] != prefix[i]) return false;
            return true;
        }

        private static int Copy(string s, Span<char> into)
        {
            int n = s.Length < into.Length ? s.Length : into.Length;
            for (int i = 0; i < n; i++) into[i] = s[i];
            return n;
        }
    }
}
