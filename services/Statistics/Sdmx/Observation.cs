using System.Globalization;
using Lmis.BuildingBlocks.Errors;

namespace Lmis.Statistics.Sdmx;

/// <summary>
/// One figure of a dataflow: its series (the dimension values), its time period, its value and its attributes. The
/// value is a decimal, so a figure is kept exactly as the office wrote it (5.10 stays 5.10); it is null only for an
/// observation whose status is M (missing), or in a row that deletes.
/// </summary>
public sealed class Observation
{
    private readonly string[] _key;
    private readonly string?[] _attributes;

    /// <param name="structure">The data structure the observation belongs to.</param>
    /// <param name="key">The dimension values in the structure's order.</param>
    /// <param name="period">The time period.</param>
    /// <param name="value">The value of OBS_VALUE.</param>
    /// <param name="attributes">The attribute values in the order of <see cref="DataStructure.Attributes"/>, null where absent.</param>
    public Observation(DataStructure structure, string[] key, TimePeriod period, decimal? value, string?[] attributes)
        : this(structure, key, DataStructure.SeriesKey(key), period, value, attributes)
    {
    }

    internal Observation(DataStructure structure, string[] key, string seriesKey, TimePeriod period, decimal? value, string?[] attributes)
    {
        if (key.Length != structure.Dimensions.Count || attributes.Length != structure.Attributes.Count)
        {
            throw new ArgumentException(
                $"{structure} has {structure.Dimensions.Count} dimensions and {structure.Attributes.Count} attributes; got {key.Length} and {attributes.Length}");
        }

        Structure = structure;
        _key = key;
        SeriesKey = seriesKey;
        Period = period;
        Value = value;
        _attributes = attributes;
    }

    public DataStructure Structure { get; }

    /// <summary>The dimension values joined with '.', e.g. <c>MEX.A.SEX_T.AGE_YTHADULT_YGE15</c>.</summary>
    public string SeriesKey { get; }

    /// <summary>The dimension values in the structure's order.</summary>
    public IReadOnlyList<string> Key => _key;

    public TimePeriod Period { get; }

    public decimal? Value { get; }

    /// <summary>The attribute values in the order of <see cref="DataStructure.Attributes"/>, null where absent.</summary>
    public IReadOnlyList<string?> Attributes => _attributes;

    /// <summary>When the store recorded this value and, for an earlier value, when it was superseded; null outside the store.</summary>
    public ObservationVintage? Vintage { get; init; }

    /// <summary>The value of a dimension by its id; throws for an id the structure does not have.</summary>
    public string Dimension(string id)
    {
        var index = Structure.DimensionIndex(id);
        return index >= 0 ? _key[index] : throw new ArgumentException($"{Structure} has no dimension {id}", nameof(id));
    }

    /// <summary>The value of an attribute by its id, or null when absent; throws for an id the structure does not have.</summary>
    public string? Attribute(string id)
    {
        var index = Structure.AttributeIndex(id);
        return index >= 0 ? _attributes[index] : throw new ArgumentException($"{Structure} has no attribute {id}", nameof(id));
    }

    /// <summary>A value of this observation in plain units: times ten to the power of its UNIT_MULT (3: thousands), if any.</summary>
    public decimal InUnits(decimal value) =>
        Structure.AttributeIndex("UNIT_MULT") is var index and >= 0 && int.TryParse(_attributes[index], CultureInfo.InvariantCulture, out var power)
            ? InUnits(value, power) ?? throw new OverflowException($"{this}: the value in plain units is too large")
            : value;

    /// <summary>A value times ten to the power of a unit multiplier (0-9), or null when a decimal cannot hold it.</summary>
    public static decimal? InUnits(decimal value, int unitMultiplier)
    {
        try
        {
            var plain = value;
            for (var i = 0; i < unitMultiplier; i++)
            {
                plain *= 10;
            }

            return plain;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>
    /// The classification codes this observation uses, for the caller to check against the taxonomy and the
    /// region: which column, which kind of classification, and the code without its prefix (totals left out).
    /// </summary>
    public IEnumerable<(string Column, string Kind, string Code)> ClassificationCodes()
    {
        for (var i = 0; i < _key.Length; i++)
        {
            if (Structure.Dimensions[i].Codes is ClassificationCodes codes && codes.CodeOf(_key[i]) is { } code)
            {
                yield return (Structure.Dimensions[i].Id, codes.Kind, code);
            }
        }

        for (var i = 0; i < _attributes.Length; i++)
        {
            if (Structure.Attributes[i].Codes is ClassificationCodes codes && _attributes[i] is { } value && codes.CodeOf(value) is { } code)
            {
                yield return (Structure.Attributes[i].Id, codes.Kind, code);
            }
        }
    }

    public override string ToString() => $"{Structure} {SeriesKey} {Period} = {Value}";
}

/// <summary>
/// When a value became the latest one LMIS holds for its series and period, and when a revision replaced it (null
/// while it is the latest). Read with an SDMX query's <c>includeHistory</c> and <c>updatedAfter</c>.
/// </summary>
public sealed record ObservationVintage(DateTimeOffset RecordedAt, DateTimeOffset? SupersededAt);

/// <summary>
/// What an SDMX-CSV 2.0 row asks for (its ACTION column). SDMX-CSV 1.0 and a 2.0 file without ACTION mean
/// <see cref="Information"/>.
/// </summary>
public enum SdmxAction
{
    /// <summary>I: add or update (merge); the default.</summary>
    Information = 'I',

    /// <summary>A: add observations.</summary>
    Append = 'A',

    /// <summary>R: replace what is kept for the series.</summary>
    Replace = 'R',

    /// <summary>D: delete the observation; its value may be empty.</summary>
    Delete = 'D',
}

/// <summary>
/// One data row of an upload, by the line it starts on: an observation and what to do with it, or every reason the
/// row was refused (each error's field names the line and column).
/// </summary>
public sealed record SdmxRow(int Line, SdmxAction Action, Observation? Observation, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Observation is not null;
}
