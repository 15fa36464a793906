namespace Lmis.BuildingBlocks.Text;

/// <summary>Line numbers of CSV records as a person finds them in an editor.</summary>
public static class CsvLines
{
    /// <summary>
    /// The line a record starts on, from the line a parser has reached at its end and the record's raw text: a quoted
    /// value may hold line breaks (CR LF, LF or CR), and the record is then found on its first line, not its last.
    /// </summary>
    public static int StartLine(int endLine, string rawRecord, bool unclosedQuote = false)
    {
        // A record whose quote never closes runs to the end of the file: its last line break is part of its value.
        var text = unclosedQuote ? rawRecord.AsSpan() : rawRecord.AsSpan().TrimEnd("\r\n");
        var breaks = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsBreak(text, i))
            {
                breaks++;
            }
        }

        return endLine - breaks;
    }

    private static bool IsBreak(ReadOnlySpan<char> text, int i) =>
        text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n'));
}
