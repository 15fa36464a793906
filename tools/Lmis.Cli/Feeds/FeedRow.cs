using Lmis.Contracts.Vacancies.V1;

namespace Lmis.Cli.Feeds;

/// <summary>A problem with one row: the column (or field) and value it is about, and why.</summary>
public sealed record RowProblem(string Field, string? Value, string Reason);

/// <summary>
/// One row of a feed file: the vacancy read from it, or (<see cref="Vacancy"/> null) why it could not be read — it is
/// then refused here, and never sent. <see cref="Line"/> is the line it starts on, as an editor shows it.
/// </summary>
public sealed record FeedRow(int Line, string SourceId, Vacancy? Vacancy, IReadOnlyList<RowProblem> Problems);

/// <summary>A feed file read row by row, with how far into the file the reading is (for progress and ETA).</summary>
public interface IVacancyFeed : IDisposable
{
    long Length { get; }

    long Position { get; }

    IEnumerable<FeedRow> Rows();
}

/// <summary>A file that cannot be read as a feed at all (wrong header, not found): nothing of it is sent.</summary>
public sealed class FeedUnreadableException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}

public static class VacancyFeeds
{
    public static readonly string[] Formats = ["csv", "jsonl"];

    /// <summary>Opens a CSV feed, or JSON lines for <c>.jsonl</c>/<c>.ndjson</c> files (or as <paramref name="format"/> says).</summary>
    public static IVacancyFeed Open(string path, string? format)
    {
        format ??= Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".ndjson" ? "jsonl" : "csv";
        Stream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"cannot read {path}: {e.Message}");
        }

        return format == "jsonl" ? new JsonLinesVacancyFeed(stream) : new CsvVacancyFeed(stream);
    }
}
