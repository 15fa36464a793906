namespace Lmis.BuildingBlocks.Text;

/// <summary>Line numbers of CSV records as a person finds them in an editor.</summary>
public static class CsvLines
{
    /// <summary>
    /// The line a record starts on, from the line a parser has reached at its end and the record's raw text: a quoted
    /// value may hold line breaks (CR LF, LF or CR), and the record is then found on its first line, not its last.
    /// </summary>
    public static int StartLine(int endLine, string rawRecord)
    {
        var text = rawRecord.AsSpan().TrimEnd("\r\n");
        var breaks = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                breaks++;
            }
        }

        return endLine - breaks;
    }
}
