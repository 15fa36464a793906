using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Lmis.Cli.Feeds;

namespace Lmis.Cli.Publishing;

/// <summary>
/// The per-row report of a feed (<c>--errors</c>, default <c>FILE.errors.csv</c>): one row per refusal reason and
/// per warning — line (the feed's own line number), source_id, field, value, reason, kind (<c>refused</c> or
/// <c>warning</c>) — to be opened in a spreadsheet next to the feed and fixed there.
/// </summary>
public sealed class ErrorReport : IDisposable
{
    private readonly FileStream _file;
    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;

    private ErrorReport(FileStream file)
    {
        _file = file;
        _text = new StreamWriter(file, new UTF8Encoding(false), leaveOpen: true);
        // Values come from the feed and the server; a spreadsheet must show them, not run them.
        _csv = new CsvWriter(_text, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape });
    }

    public string Path => _file.Name;

    public int Rows { get; private set; }

    /// <summary>A new report (an old one of the same name is replaced).</summary>
    public static ErrorReport Create(string path)
    {
        var report = new ErrorReport(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read));
        foreach (var column in new[] { "line", "source_id", "field", "value", "reason", "kind" })
        {
            report._csv.WriteField(column);
        }

        report._csv.NextRecord();
        report.Flush();
        return report;
    }

    /// <summary>
    /// The report of an interrupted run, cut back to what it held at the checkpoint: the rows of the batch that was in
    /// flight are written again when that batch is sent again.
    /// </summary>
    public static ErrorReport Resume(string path, long length)
    {
        if (!File.Exists(path) || new FileInfo(path).Length < length || length == 0)
        {
            return Create(path);
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        file.SetLength(length);
        file.Position = length;
        return new ErrorReport(file);
    }

    public void Refused(FeedRow row, string field, string? value, string reason) => Write(row, field, value, reason, "refused");

    public void Warning(FeedRow row, string field, string? value, string reason) => Write(row, field, value, reason, "warning");

    /// <summary>Writes what is buffered to disk and answers the report's length, for the checkpoint.</summary>
    public long Flush()
    {
        _csv.Flush();
        _text.Flush();
        _file.Flush(flushToDisk: true);
        return _file.Length;
    }

    public void Dispose()
    {
        _csv.Dispose();
        _text.Dispose();
        _file.Dispose();
    }

    private void Write(FeedRow row, string field, string? value, string reason, string kind)
    {
        _csv.WriteField(row.Line);
        _csv.WriteField(row.SourceId);
        _csv.WriteField(field);
        _csv.WriteField(value ?? string.Empty);
        _csv.WriteField(reason);
        _csv.WriteField(kind);
        _csv.NextRecord();
        Rows++;
    }
}
