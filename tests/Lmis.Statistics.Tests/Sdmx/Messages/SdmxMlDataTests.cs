using System.Xml.Linq;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Messages;
using Lmis.Statistics.Sdmx.Rest;

namespace Lmis.Statistics.Tests.Sdmx.Messages;

public sealed class SdmxMlDataTests
{
    private static readonly XNamespace Message = SdmxMlNamespaces.Message;
    private static readonly XNamespace Common = SdmxMlNamespaces.Common;
    private static readonly XNamespace Generic = SdmxMlNamespaces.GenericData;
    private static readonly XNamespace StructureSpecific = SdmxMlNamespaces.StructureSpecificData;
    private static readonly DataMessageOptions Full = DataMessageOptions.Default with { Prepared = SampleMessages.Prepared };

    public static TheoryData<string, string, bool> Shapes() => new()
    {
        { "structurespecificdata", DataStructure.TimeDimension, false },
        { "structurespecificdata", DataStructure.TimeDimension, true },
        { "structurespecificdata", DataMessageOptions.AllDimensions, false },
        { "structurespecificdata", DataMessageOptions.AllDimensions, true },
        { "genericdata", DataStructure.TimeDimension, false },
        { "genericdata", DataStructure.TimeDimension, true },
        { "genericdata", DataMessageOptions.AllDimensions, false },
        { "genericdata", DataMessageOptions.AllDimensions, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Every_figure_of_every_dataflow_reads_back_from_the_xml(string alias, string atObservation, bool history)
    {
        var kind = Kind(alias);
        foreach (var structure in BuiltInDataflows.All)
        {
            var observations = SampleMessages.Observations(structure, history);
            var options = Full with { DimensionAtObservation = atObservation, IncludeHistory = history };

            var xml = XDocument.Parse(await SampleMessages.WriteAsync(kind, structure, observations, options));

            Assert.Equal(observations.Select(o => SampleMessages.Describe(o, history)).Order(), Resolve(structure, xml, kind == DataMessageFormats.SdmxMlGeneric).Order());
        }
    }

    [Theory]
    [InlineData("structurespecificdata", "StructureSpecificData")]
    [InlineData("genericdata", "GenericData")]
    public async Task The_header_names_the_message_the_sender_and_the_dataflow(string alias, string root)
    {
        var structure = BuiltInDataflows.EmploymentByOccupation;

        var xml = XDocument.Parse(await SampleMessages.WriteAsync(Kind(alias), structure, SampleMessages.Observations(structure), Full with { Sender = "RCM" }));

        Assert.Equal(Message + root, xml.Root!.Name);
        var header = xml.Root.Element(Message + "Header")!;
        Assert.Equal("false", header.Element(Message + "Test")!.Value);
        Assert.Equal("2026-11-23T12:00:00Z", header.Element(Message + "Prepared")!.Value);
        Assert.Equal("RCM", header.Element(Message + "Sender")!.Attribute("id")!.Value);
        var used = header.Element(Message + "Structure")!;
        Assert.Equal(("RCM_DF_EMP_OCU_1_0", "TIME_PERIOD"), (used.Attribute("structureID")!.Value, used.Attribute("dimensionAtObservation")!.Value));
        var reference = used.Element(Common + "StructureUsage")!.Element("Ref")!;
        Assert.Equal(("RCM", "DF_EMP_OCU", "1.0"), (reference.Attribute("agencyID")!.Value, reference.Attribute("id")!.Value, reference.Attribute("version")!.Value));
        var dataSet = Assert.Single(xml.Root.Elements(Message + "DataSet"));
        if (root == "GenericData")
        {
            Assert.Null(used.Attribute("namespace"));
            Assert.Equal("RCM_DF_EMP_OCU_1_0", dataSet.Attribute("structureRef")!.Value);
        }
        else
        {
            Assert.Equal("urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=RCM:DF_EMP_OCU(1.0):ObsLevelDim:TIME_PERIOD", used.Attribute("namespace")!.Value);
            Assert.Equal("RCM_DF_EMP_OCU_1_0", dataSet.Attribute(StructureSpecific + "structureRef")!.Value);
            Assert.Equal("ns1:DataSetType", dataSet.Attribute(XNamespace.Get("http://www.w3.org/2001/XMLSchema-instance") + "type")!.Value);
            Assert.Equal(used.Attribute("namespace")!.Value, xml.Root.GetNamespaceOfPrefix("ns1")!.NamespaceName);
        }
    }

    [Fact]
    public async Task History_is_one_data_set_per_vintage_with_its_validity()
    {
        var structure = BuiltInDataflows.VacanciesByOccupation;

        var xml = XDocument.Parse(await SampleMessages.WriteAsync(DataMessageFormats.SdmxMlGeneric, structure,
            SampleMessages.Observations(structure, history: true), Full with { IncludeHistory = true }));

        Assert.Equal(
            [("2025-03-01T09:30:00Z", "2026-02-01T08:00:00Z"), ("2025-03-01T09:30:00Z", null), ("2026-02-01T08:00:00Z", null)],
            xml.Root!.Elements(Message + "DataSet").Select(d => (d.Attribute("validFromDate")?.Value, d.Attribute("validToDate")?.Value)));
    }

    [Fact]
    public async Task Detail_leaves_out_attributes_or_observations_and_nodata_keeps_what_a_series_shares()
    {
        var structure = BuiltInDataflows.RemittanceInflows;
        var observations = SampleMessages.Observations(structure);
        async Task<XElement> Write(DataDetail detail) =>
            XDocument.Parse(await SampleMessages.WriteAsync(DataMessageFormats.SdmxMlStructureSpecific, structure, observations, Full with { Detail = detail }))
                .Root!.Element(Message + "DataSet")!;

        var dataOnly = await Write(DataDetail.DataOnly);
        Assert.Equal(observations.Count, dataOnly.Descendants("Obs").Count());
        Assert.DoesNotContain(dataOnly.Descendants("Obs").Attributes(), a => structure.AttributeIndex(a.Name.LocalName) >= 0);

        var keys = await Write(DataDetail.SeriesKeysOnly);
        Assert.Empty(keys.Descendants("Obs"));
        Assert.Equal(observations.Select(o => o.SeriesKey).Distinct(), keys.Elements("Series").Select(s => string.Join('.', structure.Dimensions.Select(d => s.Attribute(d.Id)!.Value))));

        var noData = await Write(DataDetail.NoData);
        Assert.Empty(noData.Descendants("Obs"));
        Assert.All(noData.Elements("Series"), s => Assert.Equal(("USD", null), (s.Attribute("UNIT_MEASURE")?.Value, s.Attribute("NOTE")?.Value)));
    }

    private static SdmxMessageKind Kind(string alias) =>
        SdmxNegotiation.Choose(DataMessageFormats.Offered, alias, default, out _)!.Kind;

    /// <summary>Every observation of an SDMX-ML data message, described from its keys, values and attributes.</summary>
    private static List<string> Resolve(DataStructure structure, XDocument xml, bool generic)
    {
        var resolved = new List<string>();
        foreach (var dataSet in xml.Root!.Elements(Message + "DataSet"))
        {
            var from = dataSet.Attributes().FirstOrDefault(a => a.Name.LocalName == "validFromDate")?.Value;
            var to = dataSet.Attributes().FirstOrDefault(a => a.Name.LocalName == "validToDate")?.Value;
            var validity = from is null ? string.Empty : SampleMessages.Validity(from, to);
            var observations = generic ? dataSet.Descendants(Generic + "Obs") : dataSet.Descendants("Obs");
            foreach (var observation in observations)
            {
                var values = generic ? GenericValues(observation) : StructureSpecificValues(observation);
                var key = string.Join('.', structure.Dimensions.Select(d => values[d.Id]));
                var attributes = structure.Attributes.Select(a => values.GetValueOrDefault(a.Id) ?? "-");
                resolved.Add($"{structure.Reference} {key} {values["TIME_PERIOD"]} {values.GetValueOrDefault("OBS_VALUE") ?? "-"} [{string.Join("|", attributes)}]{validity}");
            }
        }

        return resolved;
    }

    private static Dictionary<string, string> StructureSpecificValues(XElement observation) =>
        observation.Attributes().Concat(observation.Parent!.Name.LocalName == "Series" ? observation.Parent.Attributes() : [])
            .ToDictionary(a => a.Name.LocalName, a => a.Value);

    private static Dictionary<string, string> GenericValues(XElement observation)
    {
        var values = new Dictionary<string, string>();
        void Add(XElement? owner)
        {
            foreach (var value in owner?.Elements(Generic + "Value") ?? [])
            {
                values[value.Attribute("id")!.Value] = value.Attribute("value")!.Value;
            }
        }

        Add(observation.Parent!.Element(Generic + "SeriesKey"));
        Add(observation.Element(Generic + "ObsKey"));
        Add(observation.Element(Generic + "Attributes"));
        if (observation.Element(Generic + "ObsDimension") is { } time)
        {
            values[time.Attribute("id")!.Value] = time.Attribute("value")!.Value;
        }

        if (observation.Element(Generic + "ObsValue") is { } value)
        {
            values["OBS_VALUE"] = value.Attribute("value")!.Value;
        }

        return values;
    }
}
