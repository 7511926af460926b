using System.Text;

namespace System
{
    /// <summary>
    /// Composite formatting: "{index[,alignment][:format]}" items with "{{" and "}}" as literal braces, each value
    /// formatted through IFormattable when it has it (integer format specifiers, see <see cref="Number"/>).
    /// </summary>
    public sealed partial class String
    {
        public static string Format(string format, object arg0) => Format(format, new[] { arg0 });
        public static string Format(string format, object arg0, object arg1) => Format(format, new[] { arg0, arg1 });
        public static string Format(string format, object arg0, object arg1, object arg2) => Format(format, new[] { arg0, arg1, arg2 });
        public static string Format(IFormatProvider provider, string format, params object[] args) => Format(format, args);

        public static string Format(string format, params object[] args)
        {
            ArgumentNullException.ThrowIfNull(format, "format");
            ArgumentNullException.ThrowIfNull(args, "args");
            var sb = new StringBuilder(format.Length + 8 * args.Length);
            int i = 0;
            while (i < format.Length)
            {
                char c = format[i++];
                if (c == '}')
                {
                    if (i < format.Length && format[i] == '}') { sb.Append('}'); i++; continue; }
                    throw BadFormat(format, i, "Unexpected closing brace without a corresponding opening brace.");
                }
                if (c != '{') { sb.Append(c); continue; }
                if (i < format.Length && format[i] == '{') { sb.Append('{'); i++; continue; }

                int index = ReadNumber(format, ref i);
                if (index < 0) throw BadFormat(format, i, "Expected an ASCII digit.");
                if (index >= args.Length) throw new FormatException("Index (zero based) must be greater than or equal to zero and less than the size of the argument list.");
                int alignment = 0;
                SkipSpaces(format, ref i);
                if (i < format.Length && format[i] == ',')
                {
                    i++;
                    SkipSpaces(format, ref i);
                    bool leftAlign = i < format.Length && format[i] == '-';
                    if (leftAlign) i++;
                    alignment = ReadNumber(format, ref i);
                    if (alignment < 0) throw BadFormat(format, i, "Expected an ASCII digit.");
                    if (leftAlign) alignment = -alignment;
                    SkipSpaces(format, ref i);
                }
                string itemFormat = null;
                if (i < format.Length && format[i] == ':')
                {
                    int start = ++i;
                    while (i < format.Length && format[i] != '}') i++;
                    itemFormat = format.Substring(start, i - start);
                }
                if (i >= format.Length || format[i] != '}') throw BadFormat(format, i, "Expected '}'.");
                i++;
                AppendAligned(sb, FormatItem(args[index], itemFormat), alignment);
            }
            return sb.ToString();
        }

        internal static string FormatItem(object value, string format)
        {
            if (value is IFormattable formattable) return formattable.ToString(format, null);
            return value?.ToString() ?? Empty;
        }

        internal static void AppendAligned(StringBuilder sb, string text, int alignment)
        {
            int pad = (alignment < 0 ? -alignment : alignment) - text.Length;
            if (alignment > 0 && pad > 0) sb.Append(' ', pad);
            sb.Append(text);
            if (alignment < 0 && pad > 0) sb.Append(' ', pad);
        }

        private static int ReadNumber(string format, ref int i)
        {
            int start = i, value = 0;
            while (i < format.Length && format[i] >= '0' && format[i] <= '9' && value < 1000000) value = value * 10 + (format[i++] - '0');
            return i == start ? -1 : value;
        }

        private static void SkipSpaces(string format, ref int i)
        {
            while (i < format.Length && format[i] == ' ') i++;
        }

        /// <summary>.NET's wording: the offset where parsing stopped, and "ends prematurely" when that is the end.</summary>
        private static FormatException BadFormat(string format, int offset, string reason) =>
            new FormatException(string.Concat("Input string was not in a correct format. Failure to parse near offset ", offset.ToString(), ". ",
                                              offset >= format.Length ? "Format item ends prematurely." : reason));
    }
}

namespace System.Runtime.CompilerServices
{
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
    public sealed class InterpolatedStringHandlerAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    public sealed class InterpolatedStringHandlerArgumentAttribute : Attribute
    {
        public InterpolatedStringHandlerArgumentAttribute(string argument) { }
        public InterpolatedStringHandlerArgumentAttribute(params string[] arguments) { }
    }

    /// <summary>What the C# compiler builds $"..." strings with: literals and holes appended in order.</summary>
    [InterpolatedStringHandler]
    public ref struct DefaultInterpolatedStringHandler
    {
        private StringBuilder _builder;

        public DefaultInterpolatedStringHandler(int literalLength, int formattedCount) =>
            _builder = new StringBuilder(literalLength + 11 * formattedCount);

        public DefaultInterpolatedStringHandler(int literalLength, int formattedCount, IFormatProvider provider) : this(literalLength, formattedCount) { }

        public void AppendLiteral(string value) => _builder.Append(value);
        public void AppendFormatted(string value) => _builder.Append(value);
        public void AppendFormatted(string value, int alignment = 0, string format = null) => string.AppendAligned(_builder, value ?? "", alignment);
        public void AppendFormatted(ReadOnlySpan<char> value) => _builder.Append(value);
        public void AppendFormatted(ReadOnlySpan<char> value, int alignment = 0, string format = null) => string.AppendAligned(_builder, new string(value), alignment);
        public void AppendFormatted(object value, int alignment = 0, string format = null) => string.AppendAligned(_builder, string.FormatItem(value, format), alignment);

        public void AppendFormatted<T>(T value)
        {
            if (value is IFormattable formattable) _builder.Append(formattable.ToString(null, null));
            else if (value != null) _builder.Append(value.ToString());
        }

        public void AppendFormatted<T>(T value, string format)
        {
            if (value is IFormattable formattable) _builder.Append(formattable.ToString(format, null));
            else if (value != null) _builder.Append(value.ToString());
        }

        public void AppendFormatted<T>(T value, int alignment) => AppendFormatted(value, alignment, null);

        public void AppendFormatted<T>(T value, int alignment, string format) =>
            string.AppendAligned(_builder, value is IFormattable f ? f.ToString(format, null) : value?.ToString() ?? "", alignment);

        public override string ToString() => _builder.ToString();

        public string ToStringAndClear()
        {
            string s = _builder.ToString();
            _builder = null;
            return s;
        }
    }
}
