namespace Lmis.BuildingBlocks.Text;

/// <summary>
/// Where a record's quoting breaks RFC 4180, so a refusal can point at the quote to fix rather than at whatever the
/// parser made of it: a quote that never closes swallows the rest of the file into one value, one that closes
/// before its value ends and one inside an unquoted value leave a value nobody wrote.
/// </summary>
public static class CsvQuotes
{
    public enum Problem
    {
        NeverClosed,
        ClosedEarly,
        InUnquotedValue,
    }

    /// <summary>The first misplaced quote of a record's raw text: its line within the record (1-based), its column, and what is wrong.</summary>
    public static (int Line, int Column, Problem Problem)? Find(string rawRecord)
    {
        var (line, column) = (1, 0);
        var atFieldStart = true;
        var quoted = false;
        (int Line, int Column) opened = default;
        for (var i = 0; i < rawRecord.Length; i++)
        {
            var c = rawRecord[i];
            column++;
            if (quoted && c == '"')
            {
                if (i + 1 < rawRecord.Length && rawRecord[i + 1] == '"')
                {
                    (i, column) = (i + 1, column + 1);
                }
                else if (EndsValue(rawRecord, i + 1))
                {
                    quoted = false;
                }
                else
                {
                    return (opened.Line, opened.Column, Problem.ClosedEarly);
                }
            }
            else if (!quoted && c == '"')
            {
                if (!atFieldStart)
                {
                    return (line, column, Problem.InUnquotedValue);
                }

                (quoted, opened) = (true, (line, column));
            }

            // Blanks around a quoted value are trimmed, as the reader trims every value.
            atFieldStart = !quoted && (c is ',' or '\r' or '\n' || (atFieldStart && c is ' ' or '\t'));
            if (c == '\n' || (c == '\r' && (i + 1 == rawRecord.Length || rawRecord[i + 1] != '\n')))
            {
                (line, column) = (line + 1, 0);
            }
        }

        return quoted ? (opened.Line, opened.Column, Problem.NeverClosed) : null;
    }

    private static bool EndsValue(string text, int from)
    {
        while (from < text.Length && text[from] is ' ' or '\t')
        {
            from++;
        }

        return from == text.Length || text[from] is ',' or '\r' or '\n';
    }
}
