namespace Lmis.Statistics.Structures;

/// <summary>Which related structures a query asks for beside those it names (SDMX REST's <c>references</c>).</summary>
public enum References
{
    None,
    Parents,
    ParentsAndSiblings,
    Ancestors,
    Children,
    Descendants,
    All,

    /// <summary>The related structures of the types in <see cref="StructureQuery.ReferencedTypes"/>.</summary>
    Types,
}

/// <summary>How much of each structure a message holds (SDMX REST's <c>detail</c> for structures).</summary>
public enum StructureDetail
{
    Full,
    AllStubs,
    ReferenceStubs,
    AllCompleteStubs,
    ReferenceCompleteStubs,
    ReferencePartial,
}

/// <summary>A structure query LMIS cannot answer: 400 for one it cannot read, 501 for one asking what LMIS does not implement.</summary>
public sealed class StructureQueryException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// An SDMX REST structure query: the types, agencies, ids and versions of the structures asked for, the items of an
/// item scheme (codes of a codelist...), and the <c>references</c> and <c>detail</c> wanted. Read from the SDMX 2.1 URL
/// form (<c>/dataflow/RCM/DF_UNE_RT/latest</c>, lists joined by <c>+</c>, <c>all</c>) or the SDMX 3.0 form
/// (<c>/structure/dataflow/RCM/DF_UNE_RT/~</c>, lists joined by <c>,</c>, <c>*</c>); either wildcard is understood in both.
/// </summary>
public sealed record StructureQuery(
    IReadOnlySet<StructureType> Types,
    IReadOnlyList<string>? Agencies,
    IReadOnlyList<string>? Ids,
    IReadOnlyList<string> Versions,
    IReadOnlyList<string>? Items,
    References References = References.None,
    IReadOnlySet<StructureType>? ReferencedTypes = null,
    StructureDetail Detail = StructureDetail.Full)
{
    /// <summary>The resources of SDMX REST 2.1 (v1.x) LMIS publishes, by their name in the path.</summary>
    private static readonly Dictionary<string, StructureType[]> Implemented = new(StringComparer.Ordinal)
    {
        ["datastructure"] = [StructureType.DataStructure],
        ["dataflow"] = [StructureType.Dataflow],
        ["codelist"] = [StructureType.Codelist],
        ["conceptscheme"] = [StructureType.ConceptScheme],
        ["agencyscheme"] = [StructureType.AgencyScheme],
        ["organisationscheme"] = [StructureType.AgencyScheme],
        ["categoryscheme"] = [StructureType.CategoryScheme],
        ["categorisation"] = [StructureType.Categorisation],
        ["structure"] = Enum.GetValues<StructureType>(),
        ["*"] = Enum.GetValues<StructureType>(),
    };

    /// <summary>The structure resources of SDMX REST 2.1 that LMIS has none of: answered 501, never 404.</summary>
    public static IReadOnlyList<string> NotImplemented21 { get; } =
    [
        "metadatastructure", "hierarchicalcodelist", "dataproviderscheme", "dataconsumerscheme", "organisationunitscheme",
        "metadataflow", "reportingtaxonomy", "provisionagreement", "structureset", "process", "contentconstraint",
        "actualconstraint", "allowedconstraint", "attachmentconstraint", "schema",
    ];

    /// <summary>The structure types of SDMX REST 3.0 (v2.x) that LMIS has none of.</summary>
    public static IReadOnlyList<string> NotImplemented30 { get; } =
    [
        "metadatastructure", "metadataflow", "provisionagreement", "metadataprovisionagreement", "structuremap",
        "representationmap", "conceptschememap", "categoryschememap", "organisationschememap", "reportingtaxonomymap",
        "transformationscheme", "customtypescheme", "namepersonalisationscheme", "rulesetscheme",
        "userdefinedoperatorscheme", "vtlmappingscheme", "valuelist", "hierarchy", "hierarchyassociation",
        "dataproviderscheme", "dataconsumerscheme", "metadataproviderscheme", "organisationunitscheme",
        "reportingtaxonomy", "dataconstraint", "metadataconstraint", "process", "geographiccodelist", "geogridcodelist",
    ];

    /// <summary>The 2.1 resource names a route answers: those LMIS publishes and those it answers 501 for.</summary>
    public static IEnumerable<string> Resources21 => Implemented.Keys.Where(k => k is not ("*" or "structure")).Concat(NotImplemented21);

    /// <summary>A query in the SDMX REST 2.1 form: <c>/{resource}/{agencyID}/{resourceID}/{version}/{itemID}</c>.</summary>
    public static StructureQuery Parse21(string resource, string? agency, string? id, string? version, string? item, string? references, string? detail) =>
        Parse(resource, NotImplemented21, ['+', ','], agency, id, version ?? "latest", item, references, detail);

    /// <summary>A query in the SDMX REST 3.0 form: <c>/structure/{structureType}/{agencyID}/{resourceID}/{version}/{itemID}</c>.</summary>
    public static StructureQuery Parse30(string? type, string? agency, string? id, string? version, string? item, string? references, string? detail) =>
        Parse(type ?? "*", NotImplemented30, [','], agency, id, version ?? "~", item, references, detail);

    /// <summary>Whether a 3.0 structure type name is one SDMX defines (so that <c>/structure/RCM/...</c> is read as the 2.1 form).</summary>
    public static bool IsStructureType30(string segment) =>
        (Implemented.ContainsKey(segment) && segment is not ("structure" or "organisationscheme")) || NotImplemented30.Contains(segment);

    private static StructureQuery Parse(
        string resource, IReadOnlyList<string> notImplemented, char[] separators, string? agency, string? id, string version, string? item, string? references, string? detail)
    {
        if (notImplemented.Contains(resource))
        {
            throw new StructureQueryException(StatusCodes.Status501NotImplemented, $"LMIS publishes no {resource}; it publishes dataflows, data structures, codelists, concept schemes, category schemes, categorisations and the agency scheme.");
        }

        if (!Implemented.TryGetValue(resource, out var types))
        {
            throw new StructureQueryException(StatusCodes.Status400BadRequest, $"'{resource}' is not an SDMX structure type.");
        }

        string[]? List(string? segment) => Values(segment, separators);
        var items = List(item);
        if (items is not null && types.Length == 1 && types[0] is StructureType.Dataflow or StructureType.DataStructure or StructureType.Categorisation)
        {
            throw new StructureQueryException(StatusCodes.Status400BadRequest, $"a {resource} has no items: itemID applies to codelists, concept schemes, category schemes and agency schemes.");
        }

        var (referenced, referencedTypes) = ReadReferences(references);
        return new StructureQuery(types.ToHashSet(), List(agency), List(id), List(version) ?? ["*"], items, referenced, referencedTypes, ReadDetail(detail));
    }

    /// <summary>
    /// The values of a path segment, or null for any (<c>all</c>, <c>*</c>, or nothing). SDMX 2.1 joins values with
    /// <c>+</c>; SDMX 3.0 with a comma, its <c>+</c> ending a version (<c>1.0+</c>).
    /// </summary>
    private static string[]? Values(string? segment, char[] separators) =>
        string.IsNullOrEmpty(segment) || segment is "all" or "*"
            ? null
            : segment.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } values && !values.Any(v => v is "all" or "*")
                ? values
                : null;

    private static (References, IReadOnlySet<StructureType>?) ReadReferences(string? value)
    {
        switch (value?.ToLowerInvariant())
        {
            case null or "" or "none":
                return (References.None, null);
            case "parents":
                return (References.Parents, null);
            case "parentsandsiblings":
                return (References.ParentsAndSiblings, null);
            case "ancestors":
                return (References.Ancestors, null);
            case "children":
                return (References.Children, null);
            case "descendants":
                return (References.Descendants, null);
            case "all":
                return (References.All, null);
        }

        var types = new HashSet<StructureType>();
        foreach (var name in value.ToLowerInvariant().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Implemented.TryGetValue(name, out var named) && name is not ("structure" or "*"))
            {
                types.UnionWith(named);
            }
            else if (!NotImplemented21.Contains(name) && !NotImplemented30.Contains(name))
            {
                throw new StructureQueryException(StatusCodes.Status400BadRequest,
                    $"references '{value}': none, parents, parentsandsiblings, ancestors, children, descendants, all, or a structure type such as codelist");
            }
        }

        // A type LMIS has none of is asked for validly: there are simply none to add.
        return (References.Types, types);
    }

    private static StructureDetail ReadDetail(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "full" => StructureDetail.Full,
        "allstubs" => StructureDetail.AllStubs,
        "referencestubs" => StructureDetail.ReferenceStubs,
        "allcompletestubs" => StructureDetail.AllCompleteStubs,
        "referencecompletestubs" => StructureDetail.ReferenceCompleteStubs,
        "referencepartial" => StructureDetail.ReferencePartial,
        "raw" => throw new StructureQueryException(StatusCodes.Status501NotImplemented, "detail=raw is not implemented: LMIS's structures extend no others."),
        _ => throw new StructureQueryException(StatusCodes.Status400BadRequest,
            $"detail '{value}': full, allstubs, referencestubs, allcompletestubs, referencecompletestubs or referencepartial"),
    };

    /// <summary>Whether the query names this structure (its type, agency, id, and a version it asks for).</summary>
    public bool Names(ArtefactKey key) =>
        Types.Contains(key.Type)
        && (Agencies is null || Agencies.Contains(key.Agency, StringComparer.Ordinal))
        && (Ids is null || Ids.Contains(key.Id, StringComparer.Ordinal));

    /// <summary>
    /// The versions asked for among a structure's versions: all (<c>all</c>, <c>*</c>), the latest (<c>latest</c>,
    /// <c>~</c>), one given exactly, or the latest of a major version from a minimum (<c>1.0+</c>).
    /// </summary>
    public IEnumerable<string> Chosen(IReadOnlyList<string> versions)
    {
        var ordered = versions.OrderBy(v => v, VersionOrder.Instance).ToArray();
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var asked in Versions)
        {
            if (asked is "*" or "all")
            {
                chosen.UnionWith(ordered);
            }
            else if (asked is "latest" or "~")
            {
                chosen.UnionWith(ordered.TakeLast(1));
            }
            else if (asked.EndsWith('+'))
            {
                var minimum = asked[..^1];
                chosen.UnionWith(ordered.Where(v => VersionOrder.Instance.Compare(v, minimum) >= 0 && VersionOrder.Major(v) == VersionOrder.Major(minimum)).TakeLast(1));
            }
            else
            {
                chosen.UnionWith(ordered.Where(v => v == asked));
            }
        }

        return chosen;
    }

    /// <summary>Orders versions by their numeric parts: 1.10 after 1.9.</summary>
    private sealed class VersionOrder : IComparer<string>
    {
        public static VersionOrder Instance { get; } = new();

        public static string Major(string version) => version.Split('.')[0];

        public int Compare(string? x, string? y)
        {
            var a = (x ?? string.Empty).Split('.', '-');
            var b = (y ?? string.Empty).Split('.', '-');
            for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
            {
                var left = i < a.Length ? a[i] : "0";
                var right = i < b.Length ? b[i] : "0";
                var order = int.TryParse(left, out var l) && int.TryParse(right, out var r) ? l.CompareTo(r) : string.CompareOrdinal(left, right);
                if (order != 0)
                {
                    return order;
                }
            }

            return 0;
        }
    }
}
