using System.Text;
using Lmis.Statistics.Sdmx.Rest;

namespace Lmis.Statistics.Sdmx.Messages;

/// <summary>
/// The kinds of data message LMIS writes, as an SDMX REST data query negotiates them (<see cref="SdmxNegotiation"/>),
/// and the one place that writes a chosen kind. The first offered is the default (no Accept, or <c>*/*</c>).
/// </summary>
public static class DataMessageFormats
{
    public static SdmxMessageKind SdmxCsv20 { get; } = new("SDMX-CSV 2.0.0", SdmxCsvWriter.MediaType,
        ["application/vnd.sdmx.data+csv", "text/csv"], "2.0.0", ["csv", "sdmx-csv", "csvfile"]);

    public static SdmxMessageKind SdmxJson20 { get; } = new("SDMX-JSON 2.0.0", SdmxJsonWriter.MediaType,
        ["application/vnd.sdmx.data+json", "application/json"], "2.0.0", ["json", "sdmx-json", "jsondata"]);

    /// <summary>Not SDMX: a table for spreadsheets, asked for by <c>format=plain-csv</c> only.</summary>
    public static SdmxMessageKind PlainCsv { get; } = new("plain CSV", PlainCsvWriter.MediaType, [], null, ["plain-csv"]);

    public static IReadOnlyList<SdmxMessageKind> Offered { get; } = [SdmxCsv20, SdmxJson20, PlainCsv];

    /// <summary>The labels a choice asks for (its <c>labels</c> parameter), or null and why when the value is not one.</summary>
    public static Labels? LabelsOf(SdmxChoice choice, out string? problem)
    {
        problem = null;
        if (!choice.Parameters.TryGetValue("labels", out var labels))
        {
            return Labels.Id;
        }

        if (Enum.TryParse<Labels>(labels, ignoreCase: true, out var parsed) && !int.TryParse(labels, out _))
        {
            return parsed;
        }

        problem = $"labels '{labels}': id, both or name";
        return null;
    }

    /// <summary>Whether a kind can carry what the options ask for; if not, why (answered 501 Not implemented).</summary>
    public static bool CanWrite(SdmxMessageKind kind, DataMessageOptions options, out string? problem)
    {
        problem = null;
        return true;
    }

    public static async Task WriteAsync(
        SdmxMessageKind kind, Stream body, DataStructure structure, IAsyncEnumerable<Observation> observations, DataMessageOptions options,
        CancellationToken cancellationToken)
    {
        if (kind == SdmxJson20)
        {
            await SdmxJsonWriter.WriteAsync(body, structure, observations, options.Sender, options.Prepared, cancellationToken);
            return;
        }

        await using var text = new StreamWriter(body, new UTF8Encoding(false), leaveOpen: true);
        if (kind == PlainCsv)
        {
            await PlainCsvWriter.WriteAsync(text, structure, observations, cancellationToken);
        }
        else
        {
            await SdmxCsvWriter.WriteAsync(text, structure, observations, cancellationToken: cancellationToken);
        }
    }
}
