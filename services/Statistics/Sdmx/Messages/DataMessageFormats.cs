using System.Text;
using Lmis.Statistics.Sdmx.Rest;

namespace Lmis.Statistics.Sdmx.Messages;

/// <summary>
/// The kinds of data message LMIS writes, as an SDMX REST data query negotiates them (<see cref="SdmxNegotiation"/>),
/// and the one place that writes a chosen kind. The first offered is the default (no Accept, or <c>*/*</c>). SDMX-CSV
/// 1.0 and 2.0 share a media type and differ by its <c>version</c> parameter; <c>application/xml</c> and
/// <c>text/xml</c> get SDMX-ML StructureSpecificData.
/// </summary>
public static class DataMessageFormats
{
    public static SdmxMessageKind SdmxCsv20 { get; } = new("SDMX-CSV 2.0.0", SdmxCsvWriter.MediaType,
        ["application/vnd.sdmx.data+csv", "text/csv"], "2.0.0", ["csv", "sdmx-csv", "csvfile"]);

    public static SdmxMessageKind SdmxCsv10 { get; } = new("SDMX-CSV 1.0.0", SdmxCsvWriter.MediaTypeV1,
        ["application/vnd.sdmx.data+csv"], "1.0.0", ["sdmx-csv-1.0"]);

    public static SdmxMessageKind SdmxJson20 { get; } = new("SDMX-JSON 2.0.0", SdmxJsonWriter.MediaType,
        ["application/vnd.sdmx.data+json", "application/json"], "2.0.0", ["json", "sdmx-json", "jsondata"]);

    public static SdmxMessageKind SdmxMlStructureSpecific { get; } = new("SDMX-ML 2.1 StructureSpecificData", SdmxMlDataWriter.StructureSpecificMediaType,
        ["application/vnd.sdmx.structurespecificdata+xml", "application/xml", "text/xml"], "2.1", ["structurespecificdata", "xml"]);

    public static SdmxMessageKind SdmxMlGeneric { get; } = new("SDMX-ML 2.1 GenericData", SdmxMlDataWriter.GenericMediaType,
        ["application/vnd.sdmx.genericdata+xml"], "2.1", ["genericdata"]);

    /// <summary>Not SDMX: a table for spreadsheets, asked for by <c>format=plain-csv</c> only.</summary>
    public static SdmxMessageKind PlainCsv { get; } = new("plain CSV", PlainCsvWriter.MediaType, [], null, ["plain-csv"]);

    /// <summary>
    /// SDMX-CSV 2.0 with codes and names (<c>labels=both</c>), as the .Stat Suite asks for it: <c>format=csvfilewithlabels</c>.
    /// A kind of its own because an alias carries no parameters; asked for through Accept it is <see cref="SdmxCsv20"/>
    /// with <c>labels=both</c>.
    /// </summary>
    public static SdmxMessageKind SdmxCsv20WithLabels { get; } = new("SDMX-CSV 2.0.0 with labels", SdmxCsvWriter.MediaType + ";labels=both",
        [], "2.0.0", ["csvfilewithlabels"]);

    public static IReadOnlyList<SdmxMessageKind> Offered { get; } =
        [SdmxCsv20, SdmxCsv10, SdmxJson20, SdmxMlStructureSpecific, SdmxMlGeneric, PlainCsv, SdmxCsv20WithLabels];

    /// <summary>The labels a choice asks for (its <c>labels</c> parameter), or null and why when the value is not one.</summary>
    public static Labels? LabelsOf(SdmxChoice choice, out string? problem)
    {
        problem = null;
        if (!choice.Parameters.TryGetValue("labels", out var labels))
        {
            return choice.Kind == SdmxCsv20WithLabels ? Labels.Both : Labels.Id;
        }

        if (Enum.TryParse<Labels>(labels, ignoreCase: true, out var parsed) && !int.TryParse(labels, out _))
        {
            return parsed;
        }

        problem = $"labels '{labels}': id, both or name";
        return null;
    }

    /// <summary>The Content-Type of a message of this kind written with these options (SDMX-CSV names its labels).</summary>
    public static string ContentType(SdmxMessageKind kind, DataMessageOptions options) =>
        !IsSdmxCsv(kind) ? kind.MediaType
            : options.Labels == Labels.Id ? SdmxCsvMediaType(kind)
            : SdmxCsvMediaType(kind) + ";labels=" + options.Labels.ToString().ToLowerInvariant();

    // Written without blanks and without labels=id (the default): sdmx-rest and other clients compare media types as text.
    private static string SdmxCsvMediaType(SdmxMessageKind kind) => kind == SdmxCsv10 ? SdmxCsvWriter.MediaTypeV1 : SdmxCsvWriter.MediaType;

    /// <summary>Whether a kind can carry what the options ask for; if not, why (answered 501 Not implemented).</summary>
    public static bool CanWrite(SdmxMessageKind kind, DataMessageOptions options, out string? problem)
    {
        problem = kind == PlainCsv ? PlainCsvProblem(options)
            : IsSdmxCsv(kind) ? SdmxCsvProblem(options)
            : SeriesMessageProblem(kind, options);
        return problem is null;
    }

    private static bool IsSdmxCsv(SdmxMessageKind kind) => kind == SdmxCsv20 || kind == SdmxCsv10 || kind == SdmxCsv20WithLabels;

    private static string? PlainCsvProblem(DataMessageOptions options) =>
        options.IncludeHistory ? "plain CSV has no place for when a value was valid: includeHistory needs SDMX-JSON or SDMX-ML"
        : options.Detail != DataDetail.Full ? $"plain CSV is written with every column: detail={Detail(options.Detail)} needs SDMX-CSV, SDMX-JSON or SDMX-ML"
        : null;

    private static string? SdmxCsvProblem(DataMessageOptions options) =>
        options.IncludeHistory
            ? "SDMX-CSV has no place for the validity of a data set: includeHistory is answered in SDMX-JSON or SDMX-ML"
            : null;

    /// <summary>SDMX-JSON and SDMX-ML present series over time, or flat observations.</summary>
    private static string? SeriesMessageProblem(SdmxMessageKind kind, DataMessageOptions options)
    {
        var flat = options.DimensionAtObservation == DataMessageOptions.AllDimensions;
        if (!flat && options.DimensionAtObservation != DataStructure.TimeDimension)
        {
            return $"dimensionAtObservation={options.DimensionAtObservation}: {kind.Name} is written with {DataStructure.TimeDimension} "
                + $"(series over time) or {DataMessageOptions.AllDimensions} (flat) at the observation level; SDMX-CSV is flat whatever is asked";
        }

        return flat && options.Detail is DataDetail.SeriesKeysOnly or DataDetail.NoData
            ? $"detail={Detail(options.Detail)} lists series, and dimensionAtObservation={DataMessageOptions.AllDimensions} has none"
            : null;
    }

    private static string Detail(DataDetail detail) => detail.ToString().ToLowerInvariant();

    public static async Task WriteAsync(
        SdmxMessageKind kind, Stream body, DataStructure structure, IAsyncEnumerable<Observation> observations, DataMessageOptions options,
        CancellationToken cancellationToken)
    {
        if (!CanWrite(kind, options, out var problem))
        {
            throw new NotSupportedException(problem);
        }

        if (kind == SdmxJson20)
        {
            await SdmxJsonWriter.WriteAsync(body, structure, observations, options, cancellationToken);
            return;
        }

        if (kind == SdmxMlStructureSpecific || kind == SdmxMlGeneric)
        {
            var flavour = kind == SdmxMlGeneric ? SdmxMlFlavour.Generic : SdmxMlFlavour.StructureSpecific;
            await SdmxMlDataWriter.WriteAsync(body, flavour, structure, observations, options, cancellationToken);
            return;
        }

        await using var text = new StreamWriter(body, new UTF8Encoding(false), leaveOpen: true);
        if (kind == PlainCsv)
        {
            await PlainCsvWriter.WriteAsync(text, structure, observations, cancellationToken);
            return;
        }

        var version = kind == SdmxCsv10 ? SdmxCsvVersion.V1 : SdmxCsvVersion.V2;
        await SdmxCsvWriter.WriteAsync(text, version, structure, observations, options, cancellationToken: cancellationToken);
    }
}
