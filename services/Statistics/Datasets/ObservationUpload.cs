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

/// <summary>
/// An SDMX REST data query, <c>/sdmx/data/{flow}/{key}?startPeriod=&amp;endPeriod=&amp;asOf=</c>: the dataflow as
/// <c>RCM,DF_UNE_RT,1.0</c> or just <c>DF_UNE_RT</c>; the key as the dimension values in order, joined by '.', an
/// empty position for any value and '+' between alternatives (<c>MEX+GTM.A..</c>). A key that does not fit the
/// dataflow is refused with the reason, rather than answered with nothing.
/// </summary>
public static class DataQuery
{
    public static ObservationQuery Parse(string flow, string? key, string? startPeriod, string? endPeriod, string? asOf, Region region)
    {
        var parts = flow.Split(',', StringSplitOptions.TrimEntries);
        var structure = parts.Length switch
        {
            1 => BuiltInDataflows.All.FirstOrDefault(s => s.Id == parts[0]),
            3 => BuiltInDataflows.Find(new StructureReference(parts[0], parts[1], parts[2])),
            _ => null,
        } ?? throw new NotFoundException(
            $"No dataflow '{flow}'. Dataflows: {string.Join(", ", BuiltInDataflows.All.Select(s => $"{s.Agency},{s.Id},{s.Version}"))}.");

        var errors = new List<FieldError>();
        var allowed = new HashSet<string>?[structure.Dimensions.Count];
        if (!string.IsNullOrEmpty(key) && key != "all")
        {
            var positions = key.Split('.');
            if (positions.Length != structure.Dimensions.Count)
            {
                errors.Add(new FieldError("key", key,
                    $"{positions.Length} positions; {structure.Id} has {structure.Dimensions.Count} dimensions: {string.Join('.', structure.Dimensions.Select(d => d.Id))}"));
            }
            else
            {
                for (var i = 0; i < positions.Length; i++)
                {
                    if (positions[i].Length == 0)
                    {
                        continue;
                    }

                    var values = positions[i].Split('+').Select(v => i == 0 ? region.Find(v)?.Alpha3 ?? v : v).ToHashSet(StringComparer.Ordinal);
                    var codes = structure.Dimensions[i].Codes;
                    foreach (var value in values)
                    {
                        // A member state outside the region would only ever answer nothing: say so instead.
                        var problem = codes.Check(value)
                            ?? (codes is ClassificationCodes { Kind: ClassificationKinds.MemberState } ? ClassificationCheck.MemberStateProblem(region, value) : null);
                        if (problem is not null)
                        {
                            errors.Add(new FieldError($"key position {i + 1} ({structure.Dimensions[i].Id})", value, problem));
                        }
                    }

                    allowed[i] = values;
                }
            }
        }

        TimePeriod? Bound(string name, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            // TryRead: the error lists the value beside the reason, so the reason does not repeat it.
            if (TimePeriod.TryRead(value.Trim(), out var period, out var problem))
            {
                return period;
            }

            errors.Add(new FieldError(name, value, problem!));
            return null;
        }

        var bounds = new PeriodBounds(Bound("startPeriod", startPeriod), Bound("endPeriod", endPeriod));
        DateTimeOffset? at = null;
        if (!string.IsNullOrWhiteSpace(asOf))
        {
            if (DateTimeOffset.TryParse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                at = parsed;
            }
            else
            {
                errors.Add(new FieldError("asOf", asOf, "an RFC 3339 time such as 2026-11-23T12:00:00Z"));
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException("Data query", errors);
        }

        return new ObservationQuery(
            structure,
            allowed[0] is { } areas ? areas : [],
            seriesKey =>
            {
                var values = seriesKey.Split('.');
                for (var i = 1; i < values.Length; i++)
                {
                    if (allowed[i] is { } set && !set.Contains(values[i]))
                    {
                        return false;
                    }
                }

                return true;
            },
            bounds,
            at,
            SeriesKeys(allowed));
    }

    /// <summary>Every series key a query naming every dimension can match, when they are few enough to look up one by one.</summary>
    private static List<string>? SeriesKeys(HashSet<string>?[] allowed)
    {
        const int MaxKeys = 1_000;
        if (allowed.Any(a => a is null) || allowed.Aggregate(1L, (n, a) => Math.Min(n * a!.Count, MaxKeys + 1)) > MaxKeys)
        {
            return null;
        }

        IEnumerable<string> keys = [string.Empty];
        foreach (var position in allowed)
        {
            keys = keys.SelectMany(prefix => position!.Order(StringComparer.Ordinal).Select(v => prefix.Length == 0 ? v : prefix + "." + v)).ToList();
        }

        return [.. keys];
    }
}
