using System.Collections.Frozen;

namespace Lmis.Statistics.Sdmx;

/// <summary>
/// What an SDMX file names as its structure: <c>AGENCY:ID(VERSION)</c>, e.g. <c>RCM:DF_UNE_RT(1.0)</c>.
/// </summary>
public sealed record StructureReference(string Agency, string Id, string Version)
{
    public override string ToString() => $"{Agency}:{Id}({Version})";

    /// <summary>The SDMX URN of the dataflow, as SDMX-JSON names its structure.</summary>
    public string DataflowUrn => $"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={this}";

    public static bool TryParse(string? text, out StructureReference? reference)
    {
        reference = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (colon <= 0 || open <= colon + 1 || text[^1] != ')' || open >= text.Length - 2)
        {
            return false;
        }

        reference = new StructureReference(text[..colon], text[(colon + 1)..open], text[(open + 1)..^1]);
        return true;
    }
}

/// <summary>A dimension of a data structure: its place in the series key, and which codes it takes.</summary>
public sealed record Dimension(string Id, string Name, Representation Codes);

/// <summary>
/// An attribute of a data structure, attached to each observation (LMIS attaches every attribute there, as
/// ILOSTAT's SDMX-CSV carries them): free text when <see cref="Codes"/> is null (NOTE), else coded. A mandatory
/// attribute must have a value on every observation.
/// </summary>
public sealed record AttributeDefinition(string Id, string Name, Representation? Codes = null, bool Mandatory = false);

/// <summary>
/// An SDMX data structure, and the dataflow of the same id that publishes data under it: ordered dimensions forming
/// the series key, the time dimension <c>TIME_PERIOD</c>, the primary measure <c>OBS_VALUE</c>, and attributes.
/// </summary>
public sealed class DataStructure
{
    public const string TimeDimension = "TIME_PERIOD";
    public const string PrimaryMeasure = "OBS_VALUE";

    /// <summary>The dimension that says how often a series is observed; its code must agree with the period's.</summary>
    public const string FrequencyDimension = "FREQ";

    private readonly FrozenDictionary<string, int> _dimensionIndex;
    private readonly FrozenDictionary<string, int> _attributeIndex;

    public DataStructure(
        string agency, string id, string version, string name, string description,
        IEnumerable<Dimension> dimensions, IEnumerable<AttributeDefinition> attributes, ValueRule? values = null)
    {
        Values = values ?? ValueRule.Any;
        Reference = new StructureReference(agency, id, version);
        Name = name;
        Description = description;
        Dimensions = dimensions.ToArray();
        Attributes = attributes.ToArray();
        var ids = Dimensions.Select(d => d.Id).Concat(Attributes.Select(a => a.Id)).Append(TimeDimension).Append(PrimaryMeasure).ToArray();
        var repeated = ids.GroupBy(i => i, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0)
        {
            throw new ArgumentException($"{Reference}: {string.Join(", ", repeated)} named more than once");
        }

        _dimensionIndex = Dimensions.Select((d, i) => (d.Id, i)).ToFrozenDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        _attributeIndex = Attributes.Select((a, i) => (a.Id, i)).ToFrozenDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
    }

    public StructureReference Reference { get; }

    public string Agency => Reference.Agency;

    public string Id => Reference.Id;

    public string Version => Reference.Version;

    public string Name { get; }

    /// <summary>What the dataflow measures, in which unit, and where its figures come from.</summary>
    public string Description { get; }

    /// <summary>The dimensions in series key order (time not included).</summary>
    public IReadOnlyList<Dimension> Dimensions { get; }

    public IReadOnlyList<AttributeDefinition> Attributes { get; }

    /// <summary>What OBS_VALUE may be beyond a number: counts, percentages, amounts (checked on every row read).</summary>
    public ValueRule Values { get; }

    /// <summary>The position of a dimension in the series key, or -1.</summary>
    public int DimensionIndex(string id) => _dimensionIndex.GetValueOrDefault(id, -1);

    /// <summary>The position of an attribute in <see cref="Attributes"/>, or -1.</summary>
    public int AttributeIndex(string id) => _attributeIndex.GetValueOrDefault(id, -1);

    /// <summary>The series key: the dimension values in order, joined with '.', e.g. <c>MEX.A.SEX_T.AGE_YTHADULT_YGE15</c>.</summary>
    public static string SeriesKey(IReadOnlyList<string> dimensionValues) => string.Join('.', dimensionValues);

    /// <summary>Throws for an observation of another structure: an export holds one dataflow.</summary>
    internal void RequireOwn(Observation observation)
    {
        if (!ReferenceEquals(observation.Structure, this) && observation.Structure.Reference != Reference)
        {
            throw new ArgumentException($"an observation of {observation.Structure} in an export of {this}");
        }
    }

    public override string ToString() => Reference.ToString();
}
