using Internal.Runtime;

namespace System.Runtime
{
    /// <summary>
    /// Type names without reflection metadata: from the symbol of the type's MethodTable in the kernel's symbol
    /// map. ilc names it "&lt;module&gt;_&lt;namespace and type, dots as underscores&gt;"
    /// (S_P_CoreLib_System_InvalidOperationException); the build lists the module prefixes in the map (its
    /// "modules" line), so the name is the rest with underscores read back as dots. Exact for types without
    /// underscores in their names and not nested (a nested type reads as Outer.Inner, .NET says Outer+Inner);
    /// a type the map does not know reads as "MethodTable_0x...".
    /// </summary>
    public static unsafe class TypeNames
    {
        /// <summary>Space-separated module prefixes, from the symbol map; the corlib's is always known.</summary>
        public static string ModulePrefixes = "S_P_CoreLib";

        private const int Capacity = 160;

        /// <summary>Writes the full name (namespace and type) into a buffer without allocating; returns its length.</summary>
        public static int WriteFullName(MethodTable* type, char* into, int capacity)
        {
            char* symbol = stackalloc char[Capacity];
            int n = 0;
            if (Panic.SymbolLookup != null)
            {
                nuint start;
                n = Panic.SymbolLookup((nuint)type, symbol, Capacity, &start);
                if (n > 0 && start != (nuint)type) n = 0;
            }
            if (n <= 0)
            {
                const string unknown = "MethodTable_";
                int k = Copy(unknown, into, capacity);
                return k + Number.FormatHex((ulong)type, 1, false, into + k, capacity - k);
            }
            return Demangle(symbol, n, into, capacity);
        }

        /// <summary>
        /// ilc's type symbol (without "_ZTV&lt;length&gt;") to a .NET full name: "S_P_CoreLib_System_Exception" is
        /// System.Exception; the primitive types and Object and String go by their short names ("String");
        /// "__Array&lt;T&gt;" is T[]; "Boxed_T" (a boxed value's MethodTable) is T; generic arguments are left as
        /// ilc wrote them.
        /// </summary>
        public static int Demangle(char* symbol, int length, char* into, int capacity)
        {
            // A boxed value's MethodTable is "Boxed_" + the value type's name; its type is the value type.
            const string boxedPrefix = "Boxed_";
            if (length > boxedPrefix.Length && StartsWith(symbol, length, boxedPrefix))
                return Demangle(symbol + boxedPrefix.Length, length - boxedPrefix.Length, into, capacity);
            const string arrayPrefix = "__Array<";
            if (length > arrayPrefix.Length && StartsWith(symbol, length, arrayPrefix) && symbol[length - 1] == '>')
            {
                int n = Demangle(symbol + arrayPrefix.Length, length - arrayPrefix.Length - 1, into, capacity - 2);
                return n + Copy("[]", into + n, capacity - n);
            }
            int skip = PrefixLength(symbol, length);
            int written = 0;
            if (skip == 0 && IsWellKnownShortName(symbol, length)) written = Copy("System.", into, capacity);
            bool generic = false;
            for (int i = skip; i < length && written < capacity; i++)
            {
                char c = symbol[i];
                if (c == '<') generic = true; // leave generic arguments as ilc wrote them
                into[written++] = c == '_' && !generic ? '.' : c;
            }
            return written;
        }

        private static bool IsWellKnownShortName(char* name, int length)
        {
            for (int i = 0; i < s_wellKnown.Length; i++)
                if (s_wellKnown[i].Length == length && StartsWith(name, length, s_wellKnown[i])) return true;
            return false;
        }

        // The types ilc names without their module and namespace.
        private static readonly string[] s_wellKnown =
        {
            "Object", "String", "Void", "Boolean", "Char", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32",
            "Int64", "UInt64", "IntPtr", "UIntPtr", "Single", "Double",
        };

        private static bool StartsWith(char* s, int length, string prefix)
        {
            if (length < prefix.Length) return false;
            for (int i = 0; i < prefix.Length; i++) if (s[i] != prefix[i]) return false;
            return true;
        }

        private static int Copy(string s, char* into, int capacity)
        {
            int n = s.Length < capacity ? s.Length : capacity;
            for (int i = 0; i < n; i++) into[i] = s[i];
            return n;
        }

        private static int PrefixLength(char* name, int length)
        {
            string prefixes = ModulePrefixes;
            int best = 0;
            int start = 0;
            for (int i = 0; i <= prefixes.Length; i++)
            {
                if (i < prefixes.Length && prefixes[i] != ' ') continue;
                int prefixLength = i - start;
                if (prefixLength > 0 && prefixLength + 1 < length && name[prefixLength] == '_' && prefixLength + 1 > best)
                {
                    bool match = true;
                    for (int k = 0; k < prefixLength && match; k++) match = name[k] == prefixes[start + k];
                    if (match) best = prefixLength + 1;
                }
                start = i + 1;
            }
            return best;
        }

        public static string FullName(MethodTable* type)
        {
            char* buffer = stackalloc char[Capacity];
            return string.Create(new ReadOnlySpan<char>(buffer, WriteFullName(type, buffer, Capacity)));
        }

        public static string Name(MethodTable* type)
        {
            char* buffer = stackalloc char[Capacity];
            int n = WriteFullName(type, buffer, Capacity);
            int lastDot = LastDot(buffer, n);
            return string.Create(new ReadOnlySpan<char>(buffer + lastDot + 1, n - lastDot - 1));
        }

        public static string Namespace(MethodTable* type)
        {
            char* buffer = stackalloc char[Capacity];
            int n = WriteFullName(type, buffer, Capacity);
            int lastDot = LastDot(buffer, n);
            return lastDot < 0 ? null : string.Create(new ReadOnlySpan<char>(buffer, lastDot));
        }

        private static int LastDot(char* name, int length)
        {
            int end = length;
            for (int i = 0; i < length; i++) if (name[i] == '<') { end = i; break; }
            for (int i = end - 1; i >= 0; i--) if (name[i] == '.') return i;
            return -1;
        }
    }
}
