using System.Globalization;
using Lmis.BuildingBlocks.Errors;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Messages;
using Lmis.Statistics.Storage;

namespace Lmis.Statistics.Datasets;

/// <summary>
/// The query parameters of SDMX REST data and availability queries, of SDMX 2.1 and 3.0 alike. A parameter LMIS
/// does not know, given twice or malformed is refused (400) naming it; one SDMX defines that LMIS does not do is
/// answered 501 naming it, never silently ignored. <c>asOf</c> (3.0) is read on 2.1 queries too.
/// </summary>
public static class DataQueryParameters
{
    public const string StartPeriod = "startPeriod";
    public const string EndPeriod = "endPeriod";
    public const string UpdatedAfter = "updatedAfter";
    public const string AsOf = "asOf";
    public const string FirstN = "firstNObservations";
    public const string LastN = "lastNObservations";
    public const string DimensionAtObservation = "dimensionAtObservation";
    public const string Detail = "detail";
    public const string IncludeHistory = "includeHistory";
    public const string Format = "format";
    public const string Mode = "mode";
    public const string References = "references";

    /// <summary>What each resource reads.</summary>
    private static readonly string[] DataParameters =
        [StartPeriod, EndPeriod, UpdatedAfter, AsOf, FirstN, LastN, DimensionAtObservation, Detail, IncludeHistory, Format];

    private static readonly string[] AvailabilityParameters = [StartPeriod, EndPeriod, UpdatedAfter, AsOf, Mode, References, Format];

    /// <summary>SDMX parameters LMIS does not implement, with the one value that asks for nothing beyond what LMIS does.</summary>
    private static readonly Dictionary<string, string?> NotImplemented = new(StringComparer.Ordinal)
    {
        ["attributes"] = "dsd",
        ["measures"] = "all",
        ["offset"] = null,
        ["limit"] = null,
        ["sort"] = null,
        ["reportingYearStartDay"] = null,
    };

    /// <summary>A data query's parameters; throws <see cref="ValidationFailedException"/> (400) or <see cref="QueryNotImplementedException"/> (501).</summary>
    public static DataRequest ReadData(SeriesKeyFilter key, IQueryCollection query, List<FieldError> errors)
    {
        var structure = key.Structure;
        var notImplemented = new List<FieldError>();
        key = Read(key, query, DataParameters, errors, notImplemented, out var bounds, out var asOf, out var updatedAfter);
        var first = Count(query, FirstN, errors);
        var last = Count(query, LastN, errors);
        var detail = One(query, Detail) switch
        {
            null or "full" => DataDetail.Full,
            "dataonly" => DataDetail.DataOnly,
            "serieskeysonly" => DataDetail.SeriesKeysOnly,
            "nodata" => DataDetail.NoData,
            var other => Refuse(errors, Detail, other, "full, dataonly, serieskeysonly or nodata", DataDetail.Full),
        };
        var history = One(query, IncludeHistory) switch
        {
            null or "false" => false,
            "true" => true,
            var other => Refuse(errors, IncludeHistory, other, "true or false", false),
        };
        var atObservation = One(query, DimensionAtObservation) ?? DataStructure.TimeDimension;
        if (atObservation is not (DataStructure.TimeDimension or DataMessageOptions.AllDimensions) && structure.DimensionIndex(atObservation) < 0)
        {
            errors.Add(new FieldError(DimensionAtObservation, atObservation,
                $"TIME_PERIOD, AllDimensions or a dimension of {structure.Id}: {string.Join(", ", structure.Dimensions.Select(d => d.Id))}"));
        }

        Throw(errors, notImplemented);
        return new DataRequest(
            new ObservationQuery(structure, key.Areas, key.Matches, bounds, asOf, key.SeriesKeys(), updatedAfter, history),
            key, detail, atObservation, first, last);
    }

    /// <summary>An availability query's parameters: the observations to look at, and whether <c>mode=available</c>.</summary>
    public static (ObservationQuery Query, SeriesKeyFilter Key, bool Available) ReadAvailability(SeriesKeyFilter key, IQueryCollection query, List<FieldError> errors)
    {
        var notImplemented = new List<FieldError>();
        key = Read(key, query, AvailabilityParameters, errors, notImplemented, out var bounds, out var asOf, out var updatedAfter);
        var available = One(query, Mode) switch
        {
            null or "exact" => false,
            "available" => true,
            var other => Refuse(errors, Mode, other, "exact or available", false),
        };
        if (One(query, References) is { } references && references != "none")
        {
            notImplemented.Add(new FieldError(References, references, "none: the constraint comes without the structures it refers to (ask /sdmx/dataflow for them)"));
        }

        Throw(errors, notImplemented);
        return (new ObservationQuery(key.Structure, key.Areas, key.Matches, bounds, asOf, key.SeriesKeys(), updatedAfter), key, available);
    }

    /// <summary>What data and availability queries share: known names, periods, times and component filters.</summary>
    private static SeriesKeyFilter Read(
        SeriesKeyFilter key, IQueryCollection query, string[] known, List<FieldError> errors, List<FieldError> notImplemented,
        out PeriodBounds bounds, out DateTimeOffset? asOf, out DateTimeOffset? updatedAfter)
    {
        TimePeriod? start = Period(query, StartPeriod, errors), end = Period(query, EndPeriod, errors);
        foreach (var (name, values) in query)
        {
            if (values.Count > 1)
            {
                errors.Add(new FieldError(name, values.ToString(), "given more than once"));
            }
            else if (ComponentFilter.IsOne(name))
            {
                key = ComponentFilter.Apply(key, name, values.ToString(), errors, notImplemented, ref start, ref end);
            }
            else if (NotImplemented.TryGetValue(name, out var harmless))
            {
                if (values.ToString() != harmless)
                {
                    notImplemented.Add(new FieldError(name, values.ToString(), "not implemented by LMIS"));
                }
            }
            else if (!known.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(new FieldError(name, values.ToString(), $"not a parameter of this query; it takes {string.Join(", ", known)}, c[DIMENSION]"));
            }
        }

        if (start is { } from && end is { } to && from.Start > to.End)
        {
            errors.Add(new FieldError(StartPeriod, from.ToString(), $"after endPeriod {to}"));
        }

        bounds = new PeriodBounds(start, end);
        asOf = Time(query, AsOf, errors);
        updatedAfter = Time(query, UpdatedAfter, errors);
        if (asOf is { } at && updatedAfter is { } after && after > at)
        {
            errors.Add(new FieldError(UpdatedAfter, One(query, UpdatedAfter), $"later than asOf {One(query, AsOf)}: nothing can have changed"));
        }

        return key;
    }

    private static void Throw(List<FieldError> errors, List<FieldError> notImplemented)
    {
        if (errors.Count > 0)
        {
            throw new ValidationFailedException("Data query", errors);
        }

        if (notImplemented.Count > 0)
        {
            throw new QueryNotImplementedException(
                $"Not implemented by LMIS: {string.Join(", ", notImplemented.Select(e => e.Field))}.", notImplemented);
        }
    }

    private static string? One(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrWhiteSpace(values[0]) ? values[0]!.Trim() : null;

    private static T Refuse<T>(List<FieldError> errors, string name, string value, string expected, T fallback)
    {
        errors.Add(new FieldError(name, value, expected));
        return fallback;
    }

    private static TimePeriod? Period(IQueryCollection query, string name, List<FieldError> errors)
    {
        if (One(query, name) is not { } value)
        {
            return null;
        }

        // TryRead: the error lists the value beside the reason, so the reason does not repeat it.
        if (TimePeriod.TryRead(value, out var period, out var problem))
        {
            return period;
        }

        errors.Add(new FieldError(name, query[name].ToString(), problem!));
        return null;
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name, List<FieldError> errors)
    {
        if (One(query, name) is not { } value)
        {
            return null;
        }

        // A '+' of an offset arrives as a space when the client did not percent-encode it.
        if (DateTimeOffset.TryParse(value.Replace(' ', '+'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }

        errors.Add(new FieldError(name, query[name].ToString(), "an RFC 3339 time such as 2026-11-23T12:00:00Z"));
        return null;
    }

    private static int? Count(IQueryCollection query, string name, List<FieldError> errors)
    {
        if (One(query, name) is not { } value)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
        {
            return count;
        }

        errors.Add(new FieldError(name, value, "a positive whole number"));
        return null;
    }
}

/// <summary>
/// SDMX 3.0's component filter <c>c[ID]=...</c>, for what LMIS can answer: a dimension's values (<c>c[FREQ]=A,M</c>,
/// <c>eq:</c> optional), and the time period's bounds (<c>c[TIME_PERIOD]=ge:2020+le:2025</c>, or one period).
/// Other components and operators are answered 501.
/// </summary>
internal static class ComponentFilter
{
    public static bool IsOne(string name) => name.StartsWith("c[", StringComparison.Ordinal) && name.EndsWith(']');

    public static SeriesKeyFilter Apply(
        SeriesKeyFilter key, string name, string value, List<FieldError> errors, List<FieldError> notImplemented, ref TimePeriod? start, ref TimePeriod? end)
    {
        var id = name[2..^1];
        var structure = key.Structure;
        if (id == DataStructure.TimeDimension)
        {
            TimeBounds(name, value, errors, notImplemented, ref start, ref end);
            return key;
        }

        var index = structure.DimensionIndex(id);
        if (index < 0)
        {
            if (structure.AttributeIndex(id) >= 0 || id == DataStructure.PrimaryMeasure)
            {
                notImplemented.Add(new FieldError(name, value, "filters on attributes and measures are not implemented; dimensions and TIME_PERIOD are"));
            }
            else
            {
                errors.Add(new FieldError(name, value, $"not a component of {structure.Id}"));
            }

            return key;
        }

        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var alternative in value.Split(','))
        {
            var code = alternative.StartsWith("eq:", StringComparison.Ordinal) ? alternative[3..] : alternative;
            if (code.Contains(':', StringComparison.Ordinal) || code.Contains('+', StringComparison.Ordinal) || code.Contains(' ', StringComparison.Ordinal))
            {
                notImplemented.Add(new FieldError(name, value, "only equality (c[DIM]=A,B) is implemented on dimensions"));
                return key;
            }

            if (structure.Dimensions[index].Codes.Check(code) is { } problem)
            {
                errors.Add(new FieldError(name, code, problem));
            }

            values.Add(code);
        }

        return key.Narrow(index, values);
    }

    private static void TimeBounds(string name, string value, List<FieldError> errors, List<FieldError> notImplemented, ref TimePeriod? start, ref TimePeriod? end)
    {
        if (value.Contains(',', StringComparison.Ordinal))
        {
            notImplemented.Add(new FieldError(name, value, "one time range only (ge:A+le:B)"));
            return;
        }

        // '+' (AND) arrives as a space when the client did not percent-encode it.
        foreach (var condition in value.Split('+', ' '))
        {
            var colon = condition.IndexOf(':', StringComparison.Ordinal);
            var (op, text) = colon < 0 ? ("eq", condition) : (condition[..colon], condition[(colon + 1)..]);
            if (op is not ("eq" or "ge" or "le"))
            {
                notImplemented.Add(new FieldError(name, value, "TIME_PERIOD takes eq:, ge: and le:"));
                return;
            }

            if (!TimePeriod.TryRead(text, out var period, out var problem))
            {
                errors.Add(new FieldError(name, text, problem!));
                continue;
            }

            if (op is "eq" or "ge")
            {
                start = period;
            }

            if (op is "eq" or "le")
            {
                end = period;
            }
        }
    }
}
