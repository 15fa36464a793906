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

    /// <summary>
    /// Where a quote that does not close as RFC 4180 says opens in a record's raw text — 1-based line within the
    /// record and column — or null when every quote closes. A quote closes at a lone <c>"</c> followed by the
    /// separator or the end of the line; one that never does runs on into the following lines, and a parser then
    /// reads them as part of one value, so the place to fix is where it opened.
    /// </summary>
    public static (int Line, int Column)? UnclosedQuote(string rawRecord, char separator = ',')
    {
        var text = rawRecord.AsSpan();
        var (line, column) = (1, 1);
        var atFieldStart = true;
        (int Line, int Column)? open = null;
        for (var i = 0; i < text.Length; i++, column++)
        {
            var c = text[i];
            if (open is null)
            {
                if (c == '"' && atFieldStart)
                {
                    open = (line, column);
                }

                atFieldStart = c == separator || c is '\r' or '\n';
            }
            else if (c == '"')
            {
                if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    i++;
                    column++;
                    continue;
                }

                // A closing quote must end the value.
                if (i + 1 < text.Length && text[i + 1] != separator && text[i + 1] is not ('\r' or '\n'))
                {
                    return open;
                }

                open = null;
                atFieldStart = false;
            }

            if (IsBreak(text, i))
            {
                (line, column) = (line + 1, 0);
            }
        }

        return open;
    }

    private static bool IsBreak(ReadOnlySpan<char> text, int i) =>
        text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n'));
}
