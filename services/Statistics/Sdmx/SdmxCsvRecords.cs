using System.Globalization;
using System.Text;

namespace Lmis.Statistics.Sdmx;

/// <summary>One record of an SDMX-CSV file: its fields, or why it could not be read, by the line it starts on.</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, string Raw, CsvFault? Fault);

/// <summary>
/// Why a record could not be read: at which line and character (1-based) the fault began, in which field (0-based),
/// the text from there to the end of that line (at most 200 characters), and the reason.
/// </summary>
internal sealed record CsvFault(int Line, int Column, int Field, string? Text, string Reason);

/// <summary>
/// Splits SDMX-CSV text into records (RFC 4180 quoting, CR LF, LF or CR line ends, blanks around fields dropped,
/// blank lines skipped), and tells an unclosed quote from a value that legitimately spans lines.
/// <para>
/// A quoted value may hold line breaks. It is taken for an unclosed quote, and its row refused at the line and column
/// where the quote opened, when it runs to the end of the file, past <see cref="MaxFieldSize"/> characters, into a line
/// that starts the way its own row starts (the same first field and separator: the next row), or when its closing
/// quote is followed by anything but a separator or a line end. Reading then resumes at the line after the one the
/// quote opened on, so the rows it had swallowed are read as rows. docs/statistics.md states the rule for users.
/// </para>
/// </summary>
internal sealed class SdmxCsvRecords(string start, TextReader rest, char separator)
{
    /// <summary>The longest value read; longer is taken for a broken or hostile file (an unclosed quote, most often).</summary>
    public const int MaxFieldSize = 100_000;

    /// <summary>The longest row read, so that no row can fill the memory however many fields it has.</summary>
    public const int MaxRecordSize = 1_000_000;

    private static readonly string FieldLimit = MaxFieldSize.ToString("N0", CultureInfo.InvariantCulture);
    private static readonly string RecordLimit = MaxRecordSize.ToString("N0", CultureInfo.InvariantCulture);

    private const int None = -2;
    private const int End = -1;

    private readonly char[] _buffer = new char[16 * 1024];
    private readonly StringBuilder _raw = new();
    private readonly StringBuilder _value = new();
    private string _replay = start;
    private int _replayPosition;
    private int _position;
    private int _length;
    private int _peeked = None;
    private int _line = 1;
    private int _column = 1;
    private string _lineBreak = "\n";

    /// <summary>The next record, or null at the end of the text.</summary>
    public async ValueTask<CsvRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            _raw.Clear();
            var line = _line;
            var fields = new List<string>();
            var fault = await ReadFieldsAsync(fields, cancellationToken);
            if (fault is null && fields.Count == 0)
            {
                return null;
            }

            if (fault is null && fields.Count == 1 && fields[0].Length == 0 && !_quotedSeen)
            {
                continue; // a blank line
            }

            var raw = _raw.ToString().TrimEnd('\r', '\n');
            return new CsvRecord(line, fields, raw.Length <= 1_000 ? raw : raw[..1_000], fault);
        }
    }

    private bool _quotedSeen;

    /// <summary>Reads one record's fields; at its end the reader stands at the start of the next record.</summary>
    private async ValueTask<CsvFault?> ReadFieldsAsync(List<string> fields, CancellationToken cancellationToken)
    {
        _quotedSeen = false;
        while (true)
        {
            // Blanks before a value are not part of it.
            var c = await NextAsync(cancellationToken);
            while (c is ' ' or '\t')
            {
                c = await NextAsync(cancellationToken);
            }

            if (c == End && fields.Count == 0)
            {
                return null;
            }

            _value.Clear();
            if (c == '"')
            {
                _quotedSeen = true;
                var fault = await ReadQuotedAsync(fields, cancellationToken);
                if (fault is not null)
                {
                    return fault;
                }

                c = await NextAsync(cancellationToken);
                while (c is ' ' or '\t')
                {
                    c = await NextAsync(cancellationToken);
                }

                if (c != separator && c != '\n' && c != End)
                {
                    return await RefuseQuoteAsync(fields.Count, "the quote that opens here closes before more text in the same value: a quote inside a quoted value is written twice (\"\")", cancellationToken);
                }

                fields.Add(_value.ToString());
            }
            else
            {
                var column = _column - 1;
                while (c != separator && c != '\n' && c != End)
                {
                    if (_value.Length == MaxFieldSize)
                    {
                        var line = _line;
                        await SkipLineAsync(cancellationToken);
                        return new CsvFault(line, column, fields.Count, _value.ToString(0, 200),
                            $"character {column}: a value longer than {FieldLimit} characters; the rest of the line was not read");
                    }

                    _value.Append((char)c);
                    c = await NextAsync(cancellationToken);
                }

                fields.Add(_value.ToString().TrimEnd(' ', '\t'));
            }

            if (_raw.Length > MaxRecordSize)
            {
                var line = _line;
                if (c == separator)
                {
                    await SkipLineAsync(cancellationToken);
                }

                return new CsvFault(line, 1, fields.Count - 1, null, $"a row longer than {RecordLimit} characters; it was not read");
            }

            if (c != separator)
            {
                return null;
            }
        }
    }

    private int _openLine;
    private int _openColumn;
    private int _openAt; // where in the row's raw text the quote opened

    /// <summary>Reads a quoted value, the opening quote already read.</summary>
    private async ValueTask<CsvFault?> ReadQuotedAsync(List<string> fields, CancellationToken cancellationToken)
    {
        (_openLine, _openColumn, _openAt) = (_line, _column - 1, _raw.Length - 1);
        var rowStart = fields.Count > 0 ? fields[0] + separator : null;
        var lineStart = -1; // where in the value the current line of it began, once it spans lines
        while (true)
        {
            var c = await NextAsync(cancellationToken);
            if (c == End)
            {
                return await RefuseQuoteAsync(fields.Count, "a quote opens here and is never closed (the value runs to the end of the file)", cancellationToken);
            }

            if (c == '"')
            {
                if (await PeekAsync(cancellationToken) != '"')
                {
                    return null;
                }

                c = await NextAsync(cancellationToken);
            }

            if (_value.Length == MaxFieldSize)
            {
                return await RefuseQuoteAsync(fields.Count, $"a quote opens here and is not closed within {FieldLimit} characters", cancellationToken);
            }

            if (c == '\n')
            {
                _value.Append(_lineBreak); // a value keeps its line breaks as written
                lineStart = _value.Length;
            }
            else
            {
                _value.Append((char)c);
            }

            if (c != '\n' && rowStart is not null && lineStart >= 0 && _value.Length - lineStart == rowStart.Length
                && _value.ToString(lineStart, rowStart.Length) == rowStart)
            {
                return await RefuseQuoteAsync(fields.Count,
                    $"a quote opens here and is not closed before line {_line}, which starts a row ({rowStart}…)", cancellationToken);
            }
        }
    }

    /// <summary>
    /// Refuses the row of a quote that does not close where it should, and goes back to the line after the one it
    /// opened on: what the quote swallowed is read again as rows.
    /// </summary>
    private async ValueTask<CsvFault> RefuseQuoteAsync(int field, string reason, CancellationToken cancellationToken)
    {
        var (line, column) = (_openLine, _openColumn);
        if (_raw.ToString().IndexOfAny(['\r', '\n'], _openAt) < 0)
        {
            // Still on the line the quote opened on: the rest of it belongs to the refused row.
            await SkipLineAsync(cancellationToken);
            var lineText = _raw.ToString()[_openAt..].TrimEnd('\r', '\n');
            return new CsvFault(line, column, field, lineText.Length <= 200 ? lineText : lineText[..200], $"character {column}: {reason}");
        }

        var raw = _raw.ToString();
        var breakAt = raw.IndexOfAny(['\r', '\n'], _openAt);
        var text = raw[_openAt..breakAt];
        var fault = new CsvFault(line, column, field, text.Length <= 200 ? text : text[..200], $"character {column}: {reason}");

        var breakEnd = breakAt + (raw.AsSpan(breakAt).StartsWith("\r\n") ? 2 : 1);
        var peeked = _peeked >= 0 ? ((char)_peeked).ToString() : string.Empty;
        _replay = raw[breakEnd..] + peeked + _replay[_replayPosition..];
        (_replayPosition, _peeked) = (0, None);
        (_line, _column) = (line + 1, 1);
        _raw.Clear();
        _raw.Append(raw, 0, breakEnd);
        return fault;
    }

    private async ValueTask SkipLineAsync(CancellationToken cancellationToken)
    {
        int c;
        do
        {
            c = await NextAsync(cancellationToken);
        }
        while (c != '\n' && c != End);
    }

    /// <summary>
    /// The next character, with CR LF and a lone CR read as '\n' (<see cref="_lineBreak"/> says which it was);
    /// <see cref="End"/> at the end.
    /// </summary>
    private async ValueTask<int> NextAsync(CancellationToken cancellationToken)
    {
        var c = _peeked != None ? _peeked : await ReadCharAsync(cancellationToken);
        _peeked = None;
        if (c == End)
        {
            return End;
        }

        if (c == '\r')
        {
            _lineBreak = await PeekAsync(cancellationToken) == '\n' ? "\r\n" : "\r";
            _peeked = _lineBreak.Length == 2 ? None : _peeked;
            c = '\n';
        }
        else if (c == '\n')
        {
            _lineBreak = "\n";
        }

        if (_raw.Length <= MaxRecordSize + MaxFieldSize)
        {
            if (c == '\n')
            {
                _raw.Append(_lineBreak);
            }
            else
            {
                _raw.Append((char)c);
            }
        }

        if (c == '\n')
        {
            (_line, _column) = (_line + 1, 1);
        }
        else
        {
            _column++;
        }

        return c;
    }

    private async ValueTask<int> PeekAsync(CancellationToken cancellationToken)
    {
        if (_peeked == None)
        {
            _peeked = await ReadCharAsync(cancellationToken);
        }

        return _peeked;
    }

    private async ValueTask<int> ReadCharAsync(CancellationToken cancellationToken)
    {
        if (_replayPosition < _replay.Length)
        {
            return _replay[_replayPosition++];
        }

        if (_position == _length)
        {
            _length = await rest.ReadAsync(_buffer, cancellationToken);
            _position = 0;
            if (_length == 0)
            {
                return End;
            }
        }

        return _buffer[_position++];
    }
}
