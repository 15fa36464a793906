using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Messages;
using Lmis.Statistics.Storage;

namespace Lmis.Statistics.Datasets;

/// <summary>
/// An SDMX REST data query, read: which observations (<see cref="Query"/>), and how the message should carry them.
/// </summary>
/// <param name="Query">The observations to read.</param>
/// <param name="Key">The series keys asked for, for availability's "which codes have data".</param>
/// <param name="Detail"><c>detail</c>: full by default.</param>
/// <param name="DimensionAtObservation"><c>dimensionAtObservation</c>: TIME_PERIOD by default.</param>
/// <param name="FirstObservations"><c>firstNObservations</c>: at most this many of each series, from its first.</param>
/// <param name="LastObservations"><c>lastNObservations</c>: at most this many of each series, back from its most recent.</param>
public sealed record DataRequest(
    ObservationQuery Query, SeriesKeyFilter Key, DataDetail Detail, string DimensionAtObservation, int? FirstObservations, int? LastObservations);

/// <summary>Something an SDMX query asks for that LMIS does not do (answered 501 Not implemented, naming it).</summary>
public sealed class QueryNotImplementedException(string detail, IReadOnlyList<FieldError> errors) : Exception(detail)
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>
/// The dataflow and key of an SDMX REST data or availability query, in either form clients send:
/// <list type="bullet">
/// <item>SDMX 2.1 (REST 1.x): <c>/sdmx/data/{flowRef}/{key}/{providerRef}</c>, flowRef <c>RCM,DF_UNE_RT,1.0</c>,
/// <c>RCM,DF_UNE_RT</c> or <c>DF_UNE_RT</c> (agency <c>all</c>, version <c>latest</c> or <c>all</c> for any); key
/// <c>MEX+GTM.A..</c> (an empty position or <c>*</c> for any value, <c>+</c> between alternatives, <c>all</c> for
/// everything), one position per dimension.</item>
/// <item>SDMX 3.0 (REST 2.x): <c>/sdmx/data/dataflow/{agency}/{id}/{version}/{key}</c>, <c>*</c> for any agency or
/// version, <c>~</c> or <c>+</c> for the latest; key positions <c>*</c> for any value, omitted trailing positions the
/// same, several keys separated by <c>,</c>.</item>
/// </list>
/// A key that cannot fit the dataflow is refused with the reason, rather than answered with nothing.
/// </summary>
public static class DataQuery
{
    private static readonly string[] AnyAgency = ["all", "*"];
    private static readonly string[] AnyVersion = ["latest", "all", "*", "~", "+"];

    /// <summary>The dataflow an SDMX 2.1 flowRef names, or <see cref="NotFoundException"/> listing the dataflows.</summary>
    public static DataStructure Dataflow(string flowRef)
    {
        var parts = flowRef.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length switch
        {
            1 => Find(flowRef, "*", parts[0], "*"),
            2 => Find(flowRef, parts[0], parts[1], "*"),
            3 => Find(flowRef, parts[0], parts[1], parts[2]),
            _ => throw NoDataflow(flowRef),
        };
    }

    /// <summary>The dataflow an SDMX 3.0 path names: context, agency, id and version (several agencies or versions separated by ',').</summary>
    public static DataStructure Dataflow(string context, string agency, string id, string? version)
    {
        if (context is not ("dataflow" or "*"))
        {
            throw new QueryNotImplementedException($"LMIS answers data by dataflow; context '{context}' is not implemented.",
                [new FieldError("context", context, "dataflow (or *): data are kept by dataflow, not by data structure or provision agreement")]);
        }

        if (id is "*" || id.Contains(',', StringComparison.Ordinal))
        {
            throw new QueryNotImplementedException("LMIS answers one dataflow per query.",
                [new FieldError("resourceID", id, "one dataflow id, e.g. DF_UNE_RT")]);
        }

        var reference = $"{context}/{agency}/{id}/{version}";
        foreach (var oneAgency in agency.Split(','))
        {
            foreach (var oneVersion in (version ?? "*").Split(','))
            {
                if (TryFind(oneAgency, id, oneVersion) is { } found)
                {
                    return found;
                }
            }
        }

        throw NoDataflow(reference);
    }

    /// <summary>
    /// The series keys a key asks for. SDMX 2.1 keys must give every position; SDMX 3.0 keys may leave trailing ones
    /// out and may list several keys separated by ','.
    /// </summary>
    public static SeriesKeyFilter Key(DataStructure structure, string? key, bool sdmx3, Region region, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(key) || key is "all" or "*")
        {
            return SeriesKeyFilter.All(structure);
        }

        var patterns = new List<HashSet<string>?[]>();
        foreach (var one in sdmx3 ? key.Split(',') : [key])
        {
            var positions = one.Split('.');
            if (positions.Length > structure.Dimensions.Count || (positions.Length < structure.Dimensions.Count && !sdmx3))
            {
                errors.Add(new FieldError("key", one,
                    $"{positions.Length} positions; {structure.Id} has {structure.Dimensions.Count} dimensions: {string.Join('.', structure.Dimensions.Select(d => d.Id))}"));
                continue;
            }

            var pattern = new HashSet<string>?[structure.Dimensions.Count];
            for (var i = 0; i < positions.Length; i++)
            {
                pattern[i] = Position(structure, region, i, positions[i], errors);
            }

            patterns.Add(pattern);
        }

        return new SeriesKeyFilter(structure, patterns);
    }

    /// <summary>
    /// Keeps the series of the data providers named by an SDMX 2.1 providerRef: LMIS's data providers are the member
    /// states (each office reports its own country's figures), <c>RCM,MEX</c> or <c>MEX</c>; <c>all</c> for every one.
    /// </summary>
    public static SeriesKeyFilter Provider(SeriesKeyFilter key, string? providerRef, Region region, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(providerRef) || providerRef is "all" or "*")
        {
            return key;
        }

        var parts = providerRef.Split(',', StringSplitOptions.TrimEntries);
        var providers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in parts[^1].Split('+'))
        {
            if (parts.Length > 2 || (parts.Length == 2 && !AnyAgency.Contains(parts[0]) && parts[0] != region.Id) || region.Find(id) is not { } state)
            {
                errors.Add(new FieldError("providerRef", providerRef, $"a data provider of {region.Id}: a member state (e.g. {region.Id},MEX or MEX), or all"));
                return key;
            }

            providers.Add(state.Alpha3);
        }

        return key.WithAreas(providers);
    }

    /// <summary>The values one key position allows, null for any.</summary>
    private static HashSet<string>? Position(DataStructure structure, Region region, int index, string position, List<FieldError> errors)
    {
        if (position.Length == 0 || position == "*")
        {
            return null;
        }

        var values = position.Split('+').Select(v => index == 0 ? region.Find(v)?.Alpha3 ?? v : v).ToHashSet(StringComparer.Ordinal);
        var dimension = structure.Dimensions[index];
        foreach (var value in values)
        {
            // A member state outside the region would only ever answer nothing: say so instead.
            var problem = dimension.Codes.Check(value)
                ?? (dimension.Codes is ClassificationCodes { Kind: ClassificationKinds.MemberState } ? ClassificationCheck.MemberStateProblem(region, value) : null);
            if (problem is not null)
            {
                errors.Add(new FieldError($"key position {index + 1} ({dimension.Id})", value, problem));
            }
        }

        return values;
    }

    private static DataStructure Find(string reference, string agency, string id, string version) =>
        TryFind(agency, id, version) ?? throw NoDataflow(reference);

    private static DataStructure? TryFind(string agency, string id, string version) =>
        BuiltInDataflows.All.FirstOrDefault(s => s.Id == id
            && (AnyAgency.Contains(agency) || s.Agency == agency)
            && (AnyVersion.Contains(version) || s.Version == version));

    private static NotFoundException NoDataflow(string reference) => new(
        $"No dataflow '{reference}'. Dataflows: {string.Join(", ", BuiltInDataflows.All.Select(s => $"{s.Agency},{s.Id},{s.Version}"))}.");
}

/// <summary>
/// The series keys a query asks for: one or more patterns, each the values allowed at each position of the key
/// (null for any). A series matches when any pattern allows every one of its values.
/// </summary>
public sealed class SeriesKeyFilter(DataStructure structure, IReadOnlyList<HashSet<string>?[]> patterns)
{
    /// <summary>Beyond this many, a fully named key is read by area rather than series by series.</summary>
    private const int MaxNamedKeys = 1_000;

    public static SeriesKeyFilter All(DataStructure structure) => new(structure, [new HashSet<string>?[structure.Dimensions.Count]]);

    public DataStructure Structure { get; } = structure;

    /// <summary>REF_AREA values the patterns allow, empty when any pattern allows every area.</summary>
    public IReadOnlyCollection<string> Areas =>
        patterns.Any(p => p[0] is null) ? [] : patterns.SelectMany(p => p[0]!).ToHashSet(StringComparer.Ordinal);

    public bool Matches(IReadOnlyList<string> key) => patterns.Any(p => Allows(p, key, skip: -1));

    public bool Matches(string seriesKey) => Matches(seriesKey.Split('.'));

    /// <summary>Whether the key would match if the position <paramref name="skip"/> allowed any value (availability's mode=available).</summary>
    public bool MatchesExcept(IReadOnlyList<string> key, int skip) => patterns.Any(p => Allows(p, key, skip));

    /// <summary>The same patterns, REF_AREA narrowed to these areas.</summary>
    public SeriesKeyFilter WithAreas(IReadOnlySet<string> areas) => Narrow(0, areas);

    /// <summary>The same patterns, the dimension at <paramref name="index"/> narrowed to these values.</summary>
    public SeriesKeyFilter Narrow(int index, IReadOnlySet<string> values) => new(Structure, [.. patterns.Select(p =>
    {
        var narrowed = (HashSet<string>?[])p.Clone();
        narrowed[index] = p[index] is { } asked ? [.. asked.Where(values.Contains)] : [.. values];
        return narrowed;
    })]);

    /// <summary>Every series key the patterns can match, when each names every dimension and they are few enough to look up one by one.</summary>
    public IReadOnlyCollection<string>? SeriesKeys()
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            if (pattern.Any(a => a is null) || pattern.Aggregate(1L, (n, a) => Math.Min(n * a!.Count, MaxNamedKeys + 1)) + keys.Count > MaxNamedKeys)
            {
                return null;
            }

            IEnumerable<string> expanded = [string.Empty];
            foreach (var position in pattern)
            {
                expanded = expanded.SelectMany(prefix => position!.Select(v => prefix.Length == 0 ? v : prefix + "." + v)).ToList();
            }

            keys.UnionWith(expanded);
        }

        return keys;
    }

    private static bool Allows(HashSet<string>?[] pattern, IReadOnlyList<string> key, int skip)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (i != skip && pattern[i] is { } allowed && !allowed.Contains(key[i]))
            {
                return false;
            }
        }

        return true;
    }
}
