namespace Cosmos.TestRunner;

/// <summary>What one line of the kernel's serial output means to the runner.</summary>
public enum SerialEventKind { Text, TestStart, TestPass, TestFail, TestSummary, PanicStart, PanicEnd, Ready }

public readonly record struct SerialEvent(SerialEventKind Kind, string Line, string? TestName = null, string? Reason = null,
    int Passed = 0, int Failed = 0);

/// <summary>
/// The line protocol between the kernel and the runner (documented in README.md, "Test protocol"):
/// <c>TEST START name</c>, <c>TEST PASS name</c>, <c>TEST FAIL name: reason</c>,
/// <c>TEST SUMMARY passed=N failed=M</c>, <c>*** PANIC: ...</c> through <c>*** END PANIC</c>, and the boot
/// log line ending in <c>kernel: ready</c>. Anything else is plain log text.
/// </summary>
public static class SerialProtocol
{
    public static SerialEvent Parse(string rawLine)
    {
        string line = rawLine.TrimEnd('\r', '\n');
        if (line.StartsWith("TEST START ", StringComparison.Ordinal))
            return new SerialEvent(SerialEventKind.TestStart, line, line["TEST START ".Length..].Trim());
        if (line.StartsWith("TEST PASS ", StringComparison.Ordinal))
            return new SerialEvent(SerialEventKind.TestPass, line, line["TEST PASS ".Length..].Trim());
        if (line.StartsWith("TEST FAIL ", StringComparison.Ordinal))
        {
            string rest = line["TEST FAIL ".Length..];
            int colon = rest.IndexOf(": ", StringComparison.Ordinal);
            return colon < 0
                ? new SerialEvent(SerialEventKind.TestFail, line, rest.Trim(), "(no reason given)")
                : new SerialEvent(SerialEventKind.TestFail, line, rest[..colon].Trim(), rest[(colon + 2)..]);
        }
        if (line.StartsWith("TEST SUMMARY ", StringComparison.Ordinal))
        {
            int passed = ReadCounter(line, "passed="), failed = ReadCounter(line, "failed=");
            return new SerialEvent(SerialEventKind.TestSummary, line, Passed: passed, Failed: failed);
        }
        if (line.Contains("*** PANIC", StringComparison.Ordinal)) return new SerialEvent(SerialEventKind.PanicStart, line);
        if (line.Contains("*** END PANIC", StringComparison.Ordinal)) return new SerialEvent(SerialEventKind.PanicEnd, line);
        if (line.EndsWith("kernel: ready", StringComparison.Ordinal)) return new SerialEvent(SerialEventKind.Ready, line);
        return new SerialEvent(SerialEventKind.Text, line);
    }

    private static int ReadCounter(string line, string key)
    {
        int at = line.IndexOf(key, StringComparison.Ordinal);
        if (at < 0) return -1;
        int start = at + key.Length, end = start;
        while (end < line.Length && char.IsAsciiDigit(line[end])) end++;
        return int.TryParse(line.AsSpan(start, end - start), out int value) ? value : -1;
    }
}
