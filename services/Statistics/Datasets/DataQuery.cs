using System.Globalization;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Storage;

namespace Lmis.Statistics.Datasets;

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
