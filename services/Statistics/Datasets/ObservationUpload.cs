using System.Globalization;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Statistics.Sdmx;
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
    /// <summary>The upload in one line, for the audit trail.</summary>
    public string Summary =>
        $"{Dataflow}: {Received} rows, {Added} added, {Revised} revised, {Unchanged} unchanged, {Rejected} refused{(Stored ? string.Empty : ", nothing stored")}";
}

/// <summary>
/// A member state's SDMX-CSV upload: every row checked against the dataflow's structure (by the reader), its codes
/// against the taxonomy and the region, and its reporting area against the publisher's own member state. Valid rows
/// are stored in batches, each in one write with its events; with <c>allOrNothing</c>, nothing is stored unless every
/// row is valid.
/// </summary>
public sealed class ObservationUpload(
    IObservationStore store, TaxonomyService.TaxonomyServiceClient taxonomy, Region region, TimeProvider time, ObservationMetrics metrics)
{
    private const int BatchSize = 5_000;
    private const int MaxListedErrors = 1_000;

    public async Task<UploadResult> UploadAsync(TextReader text, string publisher, bool allOrNothing, CancellationToken cancellationToken)
    {
        var reader = new SdmxCsvReader(text, known: BuiltInDataflows.All, region: region);
        var classifications = new ClassificationCheck(taxonomy, region);
        var errors = new List<FieldError>();
        var pending = new List<Observation>();
        int received = 0, rejected = 0, added = 0, revised = 0, unchanged = 0;
        async Task FlushAsync()
        {
            if (pending.Count > 0)
            {
                var saved = await store.SaveAsync(pending[0].Structure, pending, publisher, time.GetUtcNow(), cancellationToken);
                (added, revised, unchanged) = (added + saved.Added, revised + saved.Revised, unchanged + saved.Unchanged);
                pending.Clear();
            }
        }

        await foreach (var row in reader.ReadAsync(cancellationToken))
        {
            if (row.Line > 1)
            {
                received++;
            }

            var rowErrors = row.Observation is { } observation
                ? await ProblemsAsync(row.Line, observation, publisher, classifications, cancellationToken)
                : row.Errors;
            if (rowErrors.Count > 0)
            {
                rejected += row.Line > 1 ? 1 : 0;
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
            errors.Add(new FieldError("line 2", null, "no rows after the header: nothing to store"));
        }

        if (!allOrNothing || (errors.Count == 0 && rejected == 0))
        {
            await FlushAsync();
        }

        var stored = added + revised + unchanged > 0;
        var result = new UploadResult(reader.Structure?.Reference.ToString(), received, added, revised, unchanged, rejected, stored, errors);
        metrics.Uploaded(publisher, result);
        return result;
    }

    private async Task<IReadOnlyList<FieldError>> ProblemsAsync(
        int line, Observation observation, string publisher, ClassificationCheck classifications, CancellationToken cancellationToken)
    {
        var problems = new List<FieldError>();
        var area = SqliteObservationStore.AreaOf(observation);
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
