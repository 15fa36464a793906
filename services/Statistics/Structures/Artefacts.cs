using Lmis.Statistics.Sdmx;

namespace Lmis.Statistics.Structures;

/// <summary>The kinds of structure LMIS publishes, with the SDMX package and class their URNs name.</summary>
public enum StructureType
{
    AgencyScheme,
    Dataflow,
    CategoryScheme,
    Categorisation,
    Codelist,
    ConceptScheme,
    DataStructure,
}

/// <summary>What identifies a structure: its type, maintenance agency, id and version (e.g. RCM:CL_SEX(1.0)).</summary>
public sealed record ArtefactKey(StructureType Type, string Agency, string Id, string Version)
{
    /// <summary>The SDMX URN, e.g. <c>urn:sdmx:org.sdmx.infomodel.codelist.Codelist=RCM:CL_SEX(1.0)</c>.</summary>
    public string Urn => $"urn:sdmx:org.sdmx.infomodel.{Package}.{Class}={this}";

    /// <summary>The URN of an item of this scheme (a code, concept, category or agency), or of a component of a data structure.</summary>
    public string ItemUrn(string itemClass, string itemId) => $"urn:sdmx:org.sdmx.infomodel.{Package}.{itemClass}={this}.{itemId}";

    /// <summary>The SDMX information model package: <c>codelist</c>, <c>datastructure</c>...</summary>
    public string Package => Type switch
    {
        StructureType.AgencyScheme => "base",
        StructureType.Dataflow or StructureType.DataStructure => "datastructure",
        StructureType.CategoryScheme or StructureType.Categorisation => "categoryscheme",
        StructureType.Codelist => "codelist",
        _ => "conceptscheme",
    };

    /// <summary>The SDMX class, as SDMX-ML's Ref writes it: <c>Codelist</c>, <c>DataStructure</c>...</summary>
    public string Class => Type.ToString();

    /// <summary>The class of the items of a scheme of this type.</summary>
    public string ItemClass => Type switch
    {
        StructureType.AgencyScheme => "Agency",
        StructureType.CategoryScheme => "Category",
        StructureType.Codelist => "Code",
        _ => "Concept",
    };

    public override string ToString() => $"{Agency}:{Id}({Version})";
}

/// <summary>One item of a scheme: a code, concept, category or agency, with its names by language and its parent, if any.</summary>
public sealed record Item(string Id, IReadOnlyDictionary<string, string> Names, string? Parent = null);

/// <summary>A structure LMIS publishes: its identity, names and descriptions by language, and the structures it refers to.</summary>
public abstract record Artefact(ArtefactKey Key, IReadOnlyDictionary<string, string> Names, IReadOnlyDictionary<string, string>? Descriptions)
{
    /// <summary>The structures this one refers to: its children, in SDMX REST's <c>references</c>.</summary>
    public abstract IEnumerable<ArtefactKey> References { get; }
}

/// <summary>
/// A codelist, concept scheme, category scheme or agency scheme. A classification's codelist (CL_OCU, CL_ECO) is
/// listed with <see cref="Items"/> null until read from the taxonomy, which only a message that shows its codes needs.
/// </summary>
public sealed record ItemScheme(
    ArtefactKey Key, IReadOnlyDictionary<string, string> Names, IReadOnlyList<Item>? Items,
    IReadOnlyDictionary<string, string>? Descriptions = null, bool IsPartial = false) : Artefact(Key, Names, Descriptions)
{
    public override IEnumerable<ArtefactKey> References => [];

    /// <summary>The same scheme with only the items named (and their ancestors, so that a tree stays whole).</summary>
    public ItemScheme Cut(IReadOnlySet<string> keep)
    {
        var items = Items ?? [];
        var byId = items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in keep)
        {
            var at = id;
            while (at is not null && byId.TryGetValue(at, out var item) && kept.Add(at))
            {
                at = item.Parent;
            }
        }

        return this with { Items = items.Where(i => kept.Contains(i.Id)).ToArray(), IsPartial = true };
    }
}

/// <summary>A dataflow and the data structure it publishes data under.</summary>
public sealed record DataflowDefinition(ArtefactKey Key, IReadOnlyDictionary<string, string> Names, IReadOnlyDictionary<string, string>? Descriptions, ArtefactKey Structure)
    : Artefact(Key, Names, Descriptions)
{
    public override IEnumerable<ArtefactKey> References => [Structure];
}

/// <summary>A dataflow placed in a category of a category scheme.</summary>
public sealed record Categorisation(ArtefactKey Key, IReadOnlyDictionary<string, string> Names, ArtefactKey Source, ArtefactKey TargetScheme, string TargetCategory)
    : Artefact(Key, Names, null)
{
    public override IEnumerable<ArtefactKey> References => [Source, TargetScheme];

    /// <summary>The category's URN; a nested category is named by its path, <c>PARENT.CHILD</c>.</summary>
    public string TargetUrn => TargetScheme.ItemUrn("Category", TargetCategory);
}

/// <summary>
/// A component of a data structure: its id, the concept it stands for, and the codelist its values come from (null
/// for free text). <see cref="Codes"/> are the codes the structure allows when it uses only some of the list.
/// </summary>
public sealed record Component(string Id, ArtefactKey? Codelist, IReadOnlyCollection<string>? Codes = null, bool Mandatory = false);

/// <summary>An SDMX data structure definition built from a built-in <see cref="DataStructure"/>.</summary>
public sealed record DataStructureDefinition(
    ArtefactKey Key, IReadOnlyDictionary<string, string> Names, IReadOnlyDictionary<string, string>? Descriptions,
    ArtefactKey Concepts, IReadOnlyList<Component> Dimensions, IReadOnlyList<Component> Attributes)
    : Artefact(Key, Names, Descriptions)
{
    public override IEnumerable<ArtefactKey> References =>
        Dimensions.Concat(Attributes).Select(c => c.Codelist).OfType<ArtefactKey>().Distinct().Append(Concepts);

    /// <summary>The ids of the concepts the components stand for, time and measure included.</summary>
    public IEnumerable<string> ConceptIds =>
        Dimensions.Select(d => d.Id).Append(DataStructure.TimeDimension).Append(DataStructure.PrimaryMeasure).Concat(Attributes.Select(a => a.Id));

    /// <summary>The codes this structure uses of a scheme it refers to, or null when it uses them all.</summary>
    public IReadOnlySet<string>? Uses(ArtefactKey scheme)
    {
        if (scheme == Concepts)
        {
            return ConceptIds.ToHashSet(StringComparer.Ordinal);
        }

        var components = Dimensions.Concat(Attributes).Where(c => c.Codelist == scheme).ToArray();
        return components.Length == 0 || components.Any(c => c.Codes is null)
            ? null
            : components.SelectMany(c => c.Codes!).ToHashSet(StringComparer.Ordinal);
    }
}
