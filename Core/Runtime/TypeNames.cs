using Internal.Runtime;

namespace System.Runtime
{
    /// <summary>
    /// Type names without reflection metadata: from the symbol of the type's MethodTable in the kernel's symbol
    /// map. ilc names it "&lt;module&gt;_&lt;namespace and type, dots as underscores&gt;"
    /// (S_P_CoreLib_System_InvalidOperationException); the build lists the module prefixes in the map (its
    /// "modules" line), so the name is the rest with underscores read back as dots (<see cref="TypeNameDemangler"/>).
    /// Exact for types without underscores in their names and not nested (a nested type reads as Outer.Inner,
    /// .NET says Outer+Inner); a type the map does not know reads as "MethodTable_0x...".
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
                for (int i = 0; i < unknown.Length; i++) into[i] = unknown[i];
                return unknown.Length + Number.FormatHex((ulong)type, 1, false, into + unknown.Length, capacity - unknown.Length);
            }
            return TypeNameDemangler.Demangle(new ReadOnlySpan<char>(symbol, n), new Span<char>(into, capacity), ModulePrefixes);
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
