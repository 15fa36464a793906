using System.Text;
using Google.Protobuf;
using Lmis.Contracts.Vacancies.V1;

namespace Lmis.Cli.Feeds;

/// <summary>
/// A vacancy feed as JSON lines: one Vacancy per line in the protocol's JSON form (<c>sourceId</c> or
/// <c>source_id</c>), as a system that already speaks the REST API writes it. Blank lines are skipped.
/// </summary>
public sealed class JsonLinesVacancyFeed(Stream stream) : IVacancyFeed
{
    // A member the protocol does not know is refused by name rather than dropped, as the REST API does.
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    public long Length => stream.Length;

    public long Position => stream.Position;

    public IEnumerable<FeedRow> Rows()
    {
        using var text = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var line = 0;
        while (text.ReadLine() is { } json)
        {
            line++;
            if (string.IsNullOrWhiteSpace(json))
            {
                continue;
            }

            Vacancy? vacancy = null;
            string? problem = null;
            try
            {
                vacancy = Parser.Parse<Vacancy>(json);
            }
            catch (InvalidProtocolBufferException e)
            {
                problem = e.Message;
            }
            catch (InvalidJsonException e)
            {
                problem = e.Message;
            }

            yield return vacancy is not null
                ? new FeedRow(line, vacancy.SourceId, vacancy, [])
                : new FeedRow(line, string.Empty, null, [new RowProblem($"line {line}", null, $"not a Vacancy in JSON: {problem}")]);
        }
    }

    public void Dispose() => stream.Dispose();
}
