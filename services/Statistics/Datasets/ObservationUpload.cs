using System.Globalization;
using System.Text;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Mappings;
using Lmis.Statistics.Storage;

namespace Lmis.Statistics.Datasets;

/// <summary>
/// What became of an upload: counts, and every refused row with its reasons (the first 1,000 listed). <see cref="Stored"/>
/// says whether any of its figures are now held (stored, or already held unchanged); when false nothing was written,
/// and the endpoints answer with a refusal, never a success.
/// </summary>
public sealed record UploadResult(
    string? Dataflow, int Received, int Added, int Revised, int Unchanged, int Rejected, bool Stored, IReadOnlyList<FieldError> Errors)
{
    /// <summary>The mapping the file was read through (e.g. <c>ilo-unemployment-rate</c>), when it named another agency's dataflow.</summary>
    public string? Mapping { get; init; }

    /// <summary>The dataflow the file named when it was read through a mapping, e.g. <c>ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0)</c>.</summary>
    public string? MappedFrom { get; init; }

    /// <summary>A validate-only check: every row checked as for storing, nothing stored.</summary>
    public bool CheckOnly { get; init; }

    /// <summary>For a check, whether the upload would have stored figures: valid rows, and no refused one under all-or-nothing.</summary>
    public bool WouldStore { get; init; }

    /// <summary>Whether the answer is a success: an upload that stored figures, or a check that found some it would store.</summary>
    public bool Accepted => CheckOnly ? WouldStore : Stored;

    /// <summary>The upload in one line, for the audit trail.</summary>
    public string Summary =>
        $"{(CheckOnly ? "check (nothing stored) of " : string.Empty)}{Dataflow}{(Mapping is null ? string.Empty : $" (from {MappedFrom} by mapping {Mapping})")}: {Received} rows, {Added} added, {Revised} revised, {Unchanged} unchanged, {Rejected} refused{(Stored ? string.Empty : ", nothing stored")}";
}

/// <summary>What an upload is written in.</summary>
public enum UploadFormat
{
    /// <summary>SDMX-CSV 1.0 or 2.0, UTF-8.</summary>
    SdmxCsv,

    /// <summary>SDMX-ML 2.1, StructureSpecificData or GenericData.</summary>
    SdmxMl,
}

/// <summary>
/// A member state's upload, SDMX-CSV or SDMX-ML, in the region's shape or another agency's (read through its
/// <see cref="SourceMappings">mapping</see>): every row checked against the dataflow's structure (by the reader), its
/// codes against the taxonomy and the region, and its reporting area against the publisher's own member state. Valid
/// rows are stored in batches, each in one write with its events; with <c>allOrNothing</c>, nothing is stored unless
/// every row is valid. A message that stops being readable part-way (XML that is not well-formed) stores nothing
/// more: the batch in hand is dropped. A check (<c>checkOnly</c>) goes through every step but the store.
/// </summary>
public sealed class ObservationUpload(
    IObservationStore store, TaxonomyService.TaxonomyServiceClient taxonomy, Region region, TimeProvider time, ObservationMetrics metrics,
    SourceMappings mappings)
{
    private const int BatchSize = 5_000;
    private const int MaxListedErrors = 1_000;

    /// <summary>Reads and stores an upload (with <paramref name="checkOnly"/>, only checks it); the body is read as it arrives and is not closed.</summary>
    public async Task<UploadResult> UploadAsync(
        Stream body, UploadFormat format, string publisher, bool allOrNothing, bool checkOnly, CancellationToken cancellationToken)
    {
        if (format == UploadFormat.SdmxMl)
        {
            var xml = new SdmxMlReader(body, BuiltInDataflows.All, region, mappings);
            return await UploadAsync(xml, xml.IsObservation, new FieldError("DataSet", null, "no observations: nothing to store"),
                publisher, allOrNothing, checkOnly, cancellationToken);
        }

        // UTF-8; a UTF-16 file with its byte order mark is read as UTF-16. Bytes that are not UTF-8 become U+FFFD, which the reader refuses.
        using var text = new StreamReader(body, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var csv = new SdmxCsvReader(text, known: BuiltInDataflows.All, region: region, mappings: mappings);
        return await UploadAsync(csv, row => row.Line > 1, new FieldError("line 2", null, "no rows after the header: nothing to store"),
            publisher, allOrNothing, checkOnly, cancellationToken);
    }

    private async Task<UploadResult> UploadAsync(
        IObservationReader reader, Func<SdmxRow, bool> isData, FieldError empty, string publisher, bool allOrNothing, bool checkOnly,
        CancellationToken cancellationToken)
    {
        var classifications = new ClassificationCheck(taxonomy, region);
        var errors = new List<FieldError>();
        var pending = new List<Observation>();
        int received = 0, rejected = 0, added = 0, revised = 0, unchanged = 0, wouldStore = 0;
        async Task FlushAsync()
        {
            if (checkOnly)
            {
                wouldStore += pending.Count;
                pending.Clear();
            }
            else if (pending.Count > 0)
            {
                var saved = await store.SaveAsync(pending[0].Structure, pending, publisher, time.GetUtcNow(), cancellationToken);
                (added, revised, unchanged) = (added + saved.Added, revised + saved.Revised, unchanged + saved.Unchanged);
                pending.Clear();
            }
        }

        await foreach (var row in reader.ReadAsync(cancellationToken))
        {
            var data = isData(row);
            if (data)
            {
                received++;
            }

            var rowErrors = row.Observation is { } observation
                ? await ProblemsAsync(row.Line, observation, publisher, classifications, cancellationToken)
                : row.Errors;
            if (rowErrors.Count > 0)
            {
                rejected += data ? 1 : 0;
                errors.AddRange(rowErrors.Take(Math.Max(0, MaxListedErrors - errors.Count)));
                continue;
            }

            if (row.Action == SdmxAction.Delete)
            {
                rejected++;
                errors.Add(new FieldError($"line {row.Line}, ACTION", "D", "observations are never deleted; send a revised value, or OBS_STATUS M"));
                continue;
            }

            pending.Add(row.Observation!);
            if (!allOrNothing && pending.Count == BatchSize)
            {
                await FlushAsync();
            }
        }

        if (received == 0 && errors.Count == 0)
        {
            errors.Add(empty);
        }

        if (!reader.Stopped && (!allOrNothing || (errors.Count == 0 && rejected == 0)))
        {
            await FlushAsync();
        }

        var stored = added + revised + unchanged > 0;
        var result = new UploadResult(reader.Structure?.Reference.ToString(), received, added, revised, unchanged, rejected, stored, errors)
        {
            Mapping = reader.Mapping?.Id,
            MappedFrom = reader.Mapping is null ? null : reader.Named,
            CheckOnly = checkOnly,
            WouldStore = wouldStore > 0,
        };
        if (!checkOnly)
        {
            // The meters count what member states sent to be stored; a check is not an upload.
            metrics.Uploaded(publisher, result);
        }

        return result;
    }

    private async Task<IReadOnlyList<FieldError>> ProblemsAsync(
        int line, Observation observation, string publisher, ClassificationCheck classifications, CancellationToken cancellationToken)
    {
        var problems = new List<FieldError>();
        var area = ObservationSaveTally.ReportingArea(observation);
        if (region.Find(area) is { } member && member.Alpha3 != publisher)
        {
            problems.Add(new FieldError($"line {line}, REF_AREA", area, $"a credential of {publisher} reports {publisher}'s figures only"));
        }

        foreach (var (column, kind, code) in observation.ClassificationCodes())
        {
            if (await classifications.ProblemAsync(kind, code, cancellationToken) is { } problem)
            {
                problems.Add(new FieldError($"line {line}, {column}", code, problem));
            }
        }

        return problems;
    }
}
