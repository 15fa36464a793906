using Lmis.BuildingBlocks.Errors;

namespace Lmis.Statistics.Sdmx;

/// <summary>Where each part of a data structure is among an SDMX-CSV file's columns, found once from its header.</summary>
internal sealed class SdmxCsvColumns
{
    public const string Dataflow = "DATAFLOW";
    public const string StructureColumn = "STRUCTURE";
    public const string StructureId = "STRUCTURE_ID";
    public const string ActionColumn = "ACTION";

    /// <summary>Columns SDMX-CSV 2.0 writers may add (keys=series|obs|both); they repeat the dimensions and are not read.</summary>
    private static readonly string[] KeyColumns = ["SERIES_KEY", "OBS_KEY"];

    private readonly HashSet<string>?[] _gathered;

    private SdmxCsvColumns(DataStructure structure, string[] header)
    {
        Structure = structure;
        Header = header;
        Dimensions = new int[structure.Dimensions.Count];
        Attributes = new int[structure.Attributes.Count];
        _gathered = new HashSet<string>?[Dimensions.Length + Attributes.Length];
        Array.Fill(Attributes, -1);
    }

    public DataStructure Structure { get; }

    public string[] Header { get; }

    public int Reference { get; private set; }

    public int StructureType { get; private set; } = -1;

    public int Action { get; private set; } = -1;

    public int[] Dimensions { get; }

    public int[] Attributes { get; }

    public int Time { get; private set; }

    public int Value { get; private set; }

    /// <summary>The position of FREQ in the series key, or -1.</summary>
    public int Frequency { get; private set; }

    /// <summary>The position of OBS_STATUS among the attributes, or -1.</summary>
    public int Status { get; private set; }

    /// <summary>The position of UNIT_MULT among the attributes, or -1.</summary>
    public int Multiplier { get; private set; }

    /// <summary>
    /// The columns of a header for a structure, or null with every reason the header does not fit it (columns it does
    /// not have are followed by <paramref name="hint"/>).
    /// </summary>
    public static SdmxCsvColumns? Map(string[] header, DataStructure structure, SdmxCsvVersion version, out IReadOnlyList<FieldError> errors, string hint = "")
    {
        var columns = new SdmxCsvColumns(structure, header);
        var problems = new List<FieldError>();
        var unknown = new List<string>();
        var found = new HashSet<string>(StringComparer.Ordinal);
        Array.Fill(columns.Dimensions, -1);
        columns.Time = columns.Value = -1;
        for (var i = 0; i < header.Length; i++)
        {
            var id = header[i];
            if (!found.Add(id))
            {
                problems.Add(new FieldError($"line 1, {id}", null, "the column appears more than once"));
                continue;
            }

            switch (id)
            {
                case Dataflow when version == SdmxCsvVersion.V1:
                case StructureId when version == SdmxCsvVersion.V2:
                    columns.Reference = i;
                    continue;
                case StructureColumn when version == SdmxCsvVersion.V2:
                    columns.StructureType = i;
                    continue;
                case ActionColumn when version == SdmxCsvVersion.V2:
                    columns.Action = i;
                    continue;
                case DataStructure.TimeDimension:
                    columns.Time = i;
                    continue;
                case DataStructure.PrimaryMeasure:
                    columns.Value = i;
                    continue;
            }

            if (version == SdmxCsvVersion.V2 && KeyColumns.Contains(id))
            {
                continue;
            }

            var dimension = structure.DimensionIndex(id);
            var attribute = structure.AttributeIndex(id);
            if (dimension >= 0)
            {
                columns.Dimensions[dimension] = i;
            }
            else if (attribute >= 0)
            {
                columns.Attributes[attribute] = i;
            }
            else
            {
                unknown.Add(id);
            }
        }

        if (unknown.Count > 0)
        {
            problems.Add(new FieldError("line 1", string.Join(",", unknown),
                $"{(unknown.Count == 1 ? "a column" : "columns")} {structure.Reference} does not have; its columns are "
                + string.Join(",", structure.Dimensions.Select(d => d.Id).Append(DataStructure.TimeDimension)
                    .Append(DataStructure.PrimaryMeasure).Concat(structure.Attributes.Select(a => a.Id))) + hint));
        }

        var missing = structure.Dimensions.Where((d, i) => columns.Dimensions[i] < 0).Select(d => d.Id)
            .Concat(columns.Time < 0 ? [DataStructure.TimeDimension] : [])
            .Concat(columns.Value < 0 ? [DataStructure.PrimaryMeasure] : [])
            .ToArray();
        if (missing.Length > 0)
        {
            problems.Add(new FieldError("line 1", string.Join(",", missing), $"missing {(missing.Length == 1 ? "a column" : "columns")} every row of {structure.Reference} needs"));
        }

        errors = problems;
        if (problems.Count > 0)
        {
            return null;
        }

        columns.Frequency = structure.DimensionIndex(DataStructure.FrequencyDimension);
        columns.Status = structure.AttributeIndex("OBS_STATUS");
        columns.Multiplier = structure.AttributeIndex("UNIT_MULT");
        return columns;
    }

    /// <summary>Adds the classification codes of a valid row to those to check.</summary>
    public void Gather(string[] key, string?[] attributes, Dictionary<string, HashSet<string>> codesToCheck)
    {
        for (var d = 0; d < key.Length; d++)
        {
            Gather(d, Structure.Dimensions[d].Codes, key[d], codesToCheck);
        }

        for (var a = 0; a < attributes.Length; a++)
        {
            if (attributes[a] is { } value)
            {
                Gather(key.Length + a, Structure.Attributes[a].Codes, value, codesToCheck);
            }
        }
    }

    /// <summary>Looks at each distinct value of a column once.</summary>
    private void Gather(int part, Representation? representation, string value, Dictionary<string, HashSet<string>> codesToCheck)
    {
        if (representation is not ClassificationCodes codes || !(_gathered[part] ??= new(StringComparer.Ordinal)).Add(value))
        {
            return;
        }

        if (codes.CodeOf(value) is { } code)
        {
            if (!codesToCheck.TryGetValue(codes.Kind, out var set))
            {
                codesToCheck[codes.Kind] = set = new(StringComparer.Ordinal);
            }

            set.Add(code);
        }
    }
}
