using System.Runtime.CompilerServices;
using System.Xml;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Statistics.Sdmx.Mappings;

namespace Lmis.Statistics.Sdmx;

/// <summary>
/// Reads an SDMX-ML 2.1 data message, StructureSpecificData or GenericData, as it streams: each observation becomes
/// one row, checked by the same rules as an SDMX-CSV row (<see cref="SdmxRowCheck"/>), named by the line its
/// <c>Obs</c> element starts on. Dimensions and attributes are taken from the data set, the series and the
/// observation, the nearer one winning; the dataflow is the one the header's <c>Structure</c> names for the data
/// set's <c>structureRef</c>, read through a mapping when it is another agency's.
/// <para>
/// Hostile XML is refused, not read: no DTD (so no entity expansion and nothing fetched), and a message that is not
/// well-formed stops reading at the fault (<see cref="Stopped"/>). Group elements stop reading too: their attributes
/// would apply to series this reader has already passed.
/// </para>
/// </summary>
public sealed class SdmxMlReader : IObservationReader
{


    private const string ActionColumn = SdmxCsvColumns.ActionColumn;

    /// <summary>DataSet attributes of SDMX-ML itself; any other unqualified one is a data set level attribute.</summary>
    private static readonly HashSet<string> DataSetProperties = new(StringComparer.Ordinal)
    {
        "structureRef", "setID", "action", "reportingBeginDate", "reportingEndDate", "validFromDate", "validToDate",
        "publicationYear", "publicationPeriod", "dataScope",
    };

    private readonly Stream _xml;
    private readonly IReadOnlyList<DataStructure> _known;
    private readonly Region? _region;
    private readonly SourceMappings? _mappings;
    private readonly Dictionary<string, HashSet<string>> _codesToCheck = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Reference, string AtObservation)> _structures = new(StringComparer.Ordinal);
    private SdmxRow? _fault;

    /// <param name="xml">The message; its encoding is the one its XML declaration (or byte order mark) gives, UTF-8 otherwise.</param>
    /// <param name="known">The structures a message may name; the built-in dataflows when null.</param>
    /// <param name="region">When given, a member state in alpha-2 is read as its alpha-3 code.</param>
    /// <param name="mappings">The other agencies' dataflows a message may name, and how each is read.</param>
    public SdmxMlReader(Stream xml, IReadOnlyList<DataStructure>? known = null, Region? region = null, SourceMappings? mappings = null)
    {
        _xml = xml;
        _known = known ?? BuiltInDataflows.All;
        _region = region;
        _mappings = mappings;
    }

    /// <summary>No DTD, no resolver, no entities: what a data message never needs and an attack always does.</summary>
    public static XmlReaderSettings Settings => new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    public DataStructure? Structure { get; private set; }

    public string? Named { get; private set; }

    public SourceMapping? Mapping { get; private set; }

    public bool Stopped { get; private set; }

    /// <summary>Whether the message was GenericData (else StructureSpecificData), once its root is read.</summary>
    public bool Generic { get; private set; }

    public IReadOnlyDictionary<string, IReadOnlySet<string>> CodesToCheck =>
        _codesToCheck.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal);

    public async IAsyncEnumerable<SdmxRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var xml = XmlReader.Create(_xml, Settings);
        await using var rows = MessageAsync(xml, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            SdmxRow? row;
            try
            {
                row = await rows.MoveNextAsync() ? rows.Current : null;
            }
            catch (XmlException e)
            {
                Stopped = true;
                // A DTD is refused before the parser counts lines: the message's start.
                row = Fault(Math.Max(1, e.LineNumber), "message", null, $"not well-formed XML, so nothing more was read: {Reason(e)}");
            }

            if (row is null)
            {
                yield break;
            }

            yield return row;
            if (Stopped)
            {
                yield break;
            }
        }
    }

    /// <summary>Whether a row is an observation's (else the message's own fault, which no observation stands for).</summary>
    public bool IsObservation(SdmxRow row) => !ReferenceEquals(row, _fault);

    private static string Reason(XmlException e) => e.Message.Contains("DTD", StringComparison.Ordinal)
        ? "a DTD (DOCTYPE) is refused: an SDMX-ML message needs none, and it could expand entities or fetch files"
        : e.Message;

    private SdmxRow Fault(int line, string where, string? value, string reason)
    {
        Stopped = true;
        _fault = new SdmxRow(line, SdmxAction.Information, null, [new FieldError($"line {line}, {where}", value, reason)]);
        return _fault;
    }

    private async IAsyncEnumerable<SdmxRow> MessageAsync(XmlReader xml, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var info = (IXmlLineInfo)xml;
        await xml.MoveToContentAsync();
        if (xml.NodeType != XmlNodeType.Element || xml.NamespaceURI != SdmxMlNamespaces.Message || xml.LocalName is not ("StructureSpecificData" or "GenericData"))
        {
            yield return Fault(info.LineNumber, "message", $"{{{xml.NamespaceURI}}}{xml.LocalName}",
                $"expected an SDMX-ML 2.1 data message: StructureSpecificData or GenericData in the namespace {SdmxMlNamespaces.Message}");
            yield break;
        }

        Generic = xml.LocalName == "GenericData";
        while (await xml.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (xml.NodeType != XmlNodeType.Element || xml.Depth != 1)
            {
                continue;
            }

            if (xml is { NamespaceURI: SdmxMlNamespaces.Message, LocalName: "Header" })
            {
                await HeaderAsync(xml);
            }
            else if (xml is { NamespaceURI: SdmxMlNamespaces.Message, LocalName: "DataSet" })
            {
                await foreach (var row in DataSetAsync(xml, info, cancellationToken))
                {
                    yield return row;
                    if (Stopped)
                    {
                        yield break;
                    }
                }
            }
            else
            {
                await xml.SkipAsync(); // the footer, or what a later version adds
            }
        }
    }

    /// <summary>The header's Structure elements: which dataflow each structureID stands for.</summary>
    private async Task HeaderAsync(XmlReader xml)
    {
        var (structureId, atObservation, depth) = ((string?)null, "TIME_PERIOD", 0);
        using var header = xml.ReadSubtree();
        while (await header.ReadAsync())
        {
            if (header.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (header is { NamespaceURI: SdmxMlNamespaces.Message, LocalName: "Structure" })
            {
                (structureId, atObservation, depth) = (header.GetAttribute("structureID"), header.GetAttribute("dimensionAtObservation") ?? "TIME_PERIOD", header.Depth);
            }
            else if (structureId is not null && header.Depth > depth && header.LocalName == "Ref")
            {
                var reference = $"{header.GetAttribute("agencyID")}:{header.GetAttribute("id")}({header.GetAttribute("version") ?? "1.0"})";
                _structures[structureId] = (reference, atObservation);
            }
            else if (structureId is not null && header.Depth > depth && header.LocalName == "URN")
            {
                var urn = await header.ReadElementContentAsStringAsync();
                _structures.TryAdd(structureId, (urn[(urn.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim(), atObservation));
            }
        }
    }

    private async IAsyncEnumerable<SdmxRow> DataSetAsync(XmlReader xml, IXmlLineInfo info, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var line = info.LineNumber;
        var structureRef = xml.GetAttribute("structureRef") ?? xml.GetAttribute("structureRef", SdmxMlNamespaces.StructureSpecificData) ?? string.Empty;
        if (!_structures.TryGetValue(structureRef, out var named))
        {
            yield return Fault(line, "DataSet", structureRef,
                $"structureRef names no Structure of the message's Header ({string.Join(", ", _structures.Keys)}); nothing more was read");
            yield break;
        }

        var structure = SdmxRowCheck.Resolve(named.Reference, _known, _mappings, out var mapping, out var reason);
        if (structure is null || (Structure is not null && structure != Structure))
        {
            yield return Fault(line, "DataSet", named.Reference,
                (structure is null ? reason : $"the message is for {Structure}: one upload carries one dataflow") + "; nothing more was read");
            yield break;
        }

        (Structure, Mapping, Named) = (structure, mapping, named.Reference);
        var header = Header(structure, mapping);
        var mapped = mapping is null ? null : MappedHeader.Create(mapping, header, 0);
        var columns = SdmxCsvColumns.Map(mapped?.Header ?? header, structure, SdmxCsvVersion.V2, out var errors);
        if (columns is null)
        {
            yield return Fault(line, "DataSet", named.Reference, string.Join("; ", errors.Select(e => e.ToString())));
            yield break;
        }

        var check = new SdmxRowCheck(columns, header, mapped, _region, false, _codesToCheck);
        var row = new Row(header, named.Reference, Action(xml.GetAttribute("action")));
        if (!Generic)
        {
            Unqualified(xml, row.DataSet, DataSetProperties);
        }

        if (xml.IsEmptyElement)
        {
            yield break;
        }

        var depth = xml.Depth;
        while (await xml.ReadAsync() && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (xml.LocalName == "Group")
            {
                yield return Fault(info.LineNumber, "Group", null,
                    "group attributes are not read: send them on each series or observation; nothing more was read");
                yield break;
            }

            var element = Generic ? GenericElement(xml) : StructureSpecificElement(xml);
            switch (element)
            {
                case "Series":
                    row.Series.Clear();
                    if (!Generic)
                    {
                        Unqualified(xml, row.Series, []);
                    }

                    break;
                case "Obs":
                    var obsLine = info.LineNumber;
                    row.Observation.Clear();
                    if (xml.Depth == depth + 1)
                    {
                        row.Series.Clear(); // a flat data set: each observation carries its whole key
                    }

                    if (Generic)
                    {
                        await GenericObservationAsync(xml, row.Observation, named.AtObservation);
                    }
                    else
                    {
                        Unqualified(xml, row.Observation, []);
                    }

                    yield return row.Check(check, obsLine);
                    break;
                case "SeriesKey" or "Attributes" when Generic:
                    // Of the series, or (Attributes directly in the data set) of every observation.
                    await GenericValuesAsync(xml, xml.Depth == depth + 1 ? row.DataSet : row.Series);
                    break;
                default:
                    yield return Fault(info.LineNumber, xml.Name, null,
                        $"not an element of an SDMX-ML 2.1 {(Generic ? "GenericData" : "StructureSpecificData")} data set"
                        + (Generic ? $" (namespace {SdmxMlNamespaces.GenericData})" : " (Series and Obs are unqualified)") + "; nothing more was read");
                    yield break;
            }
        }
    }

    private static string? GenericElement(XmlReader xml) => xml.NamespaceURI == SdmxMlNamespaces.GenericData ? xml.LocalName : null;

    private static string? StructureSpecificElement(XmlReader xml) => xml.NamespaceURI.Length == 0 ? xml.LocalName : null;

    /// <summary>A generic Obs: its key (ObsKey, or ObsDimension for the dimension at observation), value and attributes.</summary>
    private static async Task GenericObservationAsync(XmlReader xml, Dictionary<string, string> values, string atObservation)
    {
        if (xml.IsEmptyElement)
        {
            return;
        }

        using var obs = xml.ReadSubtree();
        await obs.ReadAsync();
        while (await obs.ReadAsync())
        {
            if (obs.NodeType != XmlNodeType.Element || obs.NamespaceURI != SdmxMlNamespaces.GenericData)
            {
                continue;
            }

            switch (obs.LocalName)
            {
                case "ObsDimension":
                    values[obs.GetAttribute("id") ?? atObservation] = obs.GetAttribute("value") ?? string.Empty;
                    break;
                case "ObsValue":
                    values[DataStructure.PrimaryMeasure] = obs.GetAttribute("value") ?? string.Empty;
                    break;
                case "Value":
                    values[obs.GetAttribute("id") ?? string.Empty] = obs.GetAttribute("value") ?? string.Empty;
                    break;
            }
        }
    }

    /// <summary>The Value elements of a generic SeriesKey or Attributes.</summary>
    private static async Task GenericValuesAsync(XmlReader xml, Dictionary<string, string> values)
    {
        if (xml.IsEmptyElement)
        {
            return;
        }

        using var inner = xml.ReadSubtree();
        while (await inner.ReadAsync())
        {
            if (inner is { NodeType: XmlNodeType.Element, LocalName: "Value", NamespaceURI: SdmxMlNamespaces.GenericData })
            {
                values[inner.GetAttribute("id") ?? string.Empty] = inner.GetAttribute("value") ?? string.Empty;
            }
        }
    }

    /// <summary>The unqualified attributes of a structure-specific element: its components' values.</summary>
    private static void Unqualified(XmlReader xml, Dictionary<string, string> values, HashSet<string> except)
    {
        if (xml.MoveToFirstAttribute())
        {
            do
            {
                if (xml.NamespaceURI.Length == 0 && !except.Contains(xml.LocalName))
                {
                    values[xml.LocalName] = xml.Value;
                }
            }
            while (xml.MoveToNextAttribute());
            xml.MoveToElement();
        }
    }

    /// <summary>The data set's action as SDMX-CSV's ACTION writes it.</summary>
    private static string Action(string? action) => action switch
    {
        null or "Information" => "I",
        "Append" => "A",
        "Replace" => "R",
        "Delete" => "D",
        _ => action,
    };

    /// <summary>
    /// The columns an observation's values are laid out in: the reference and action, then the components of the
    /// structure, or of the source a mapping reads (its renamed, fixed, dropped and noted columns).
    /// </summary>
    private static string[] Header(DataStructure structure, SourceMapping? mapping)
    {
        var renamedFrom = mapping?.Renamed.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal) ?? [];
        var components = structure.Dimensions.Select(d => d.Id).Append(DataStructure.TimeDimension).Append(DataStructure.PrimaryMeasure)
            .Concat(structure.Attributes.Select(a => a.Id))
            .Select(id => renamedFrom.GetValueOrDefault(id, id));
        var extra = mapping is null ? [] : mapping.Fixed.Keys.Concat(mapping.Dropped).Concat(mapping.ToNote);
        return [SdmxCsvColumns.StructureId, ActionColumn, .. components, .. extra];
    }

    /// <summary>The values in force while reading: of the data set, the series and the observation.</summary>
    private sealed class Row(string[] header, string reference, string action)
    {
        private readonly Dictionary<string, int> _columns = header.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);

        public Dictionary<string, string> DataSet { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Series { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Observation { get; } = new(StringComparer.Ordinal);

        /// <summary>The observation's row, or its refusal for values of components the structure does not have.</summary>
        public SdmxRow Check(SdmxRowCheck check, int line)
        {
            var fields = new string[header.Length];
            Array.Fill(fields, string.Empty);
            (fields[0], fields[1]) = (reference, action);
            List<FieldError>? unknown = null;
            foreach (var values in (Dictionary<string, string>[])[DataSet, Series, Observation])
            {
                foreach (var (id, value) in values)
                {
                    if (_columns.TryGetValue(id, out var column) && column > 1)
                    {
                        fields[column] = value;
                    }
                    else
                    {
                        (unknown ??= []).Add(new FieldError($"line {line}, {id}", value,
                            $"a component {reference} does not have"));
                    }
                }
            }

            return unknown is null ? check.Check(fields, line) : new SdmxRow(line, SdmxAction.Information, null, unknown);
        }
    }
}
