using Lmis.Statistics.Sdmx;

namespace Lmis.Statistics.Tests.Sdmx.Uploads;

/// <summary>
/// SDMX-ML 2.1 uploads, as ILOSTAT and national offices' systems write them, read into the same rows as the same
/// figures in SDMX-CSV; hostile or broken XML refused with the line and the reason.
/// </summary>
public sealed class SdmxMlReaderTests
{
    private const string Message = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message";
    private const string Generic = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic";

    /// <summary>A structure-specific message for the region's vacancies, its data set's content given.</summary>
    private static string Vacancies(string dataSet) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <message:StructureSpecificData xmlns:message="{Message}" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">
          <message:Header>
            <message:ID>PAN-MITRADEL-1</message:ID>
            <message:Structure structureID="VAC" dimensionAtObservation="TIME_PERIOD">
              <common:StructureUsage><Ref agencyID="RCM" id="DF_VAC_OCU" version="1.0" /></common:StructureUsage>
            </message:Structure>
          </message:Header>
          <message:DataSet ss:structureRef="VAC">
        {dataSet}
          </message:DataSet>
        </message:StructureSpecificData>
        """;

    [Fact]
    public async Task Ilostats_structure_specific_message_reads_the_same_observations_as_its_sdmx_csv()
    {
        var (xml, xmlRows) = await UploadFiles.ReadXmlAsync(SdmxFiles.Fixture("ilostat-unemployment-rate.structurespecific.xml"));
        var (_, csvRows) = await UploadFiles.ReadCsvAsync(SdmxFiles.Fixture("ilostat-unemployment-rate.sdmx-v1.csv"));

        Assert.Equal(UploadFiles.Described(csvRows), UploadFiles.Described(xmlRows));
        Assert.Equal(15, xmlRows.Count);
        Assert.Equal((false, "ilo-unemployment-rate", "ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0)"), (xml.Generic, xml.Mapping!.Id, xml.Named));
        Assert.Same(BuiltInDataflows.UnemploymentRate, xml.Structure);
        Assert.False(xml.Stopped);
        Assert.Equal(16, xmlRows[0].Line); // the first Obs element's line
    }

    [Fact]
    public async Task A_national_offices_generic_message_reads_the_same_observations_as_its_sdmx_csv()
    {
        var (xml, xmlRows) = await UploadFiles.ReadXmlAsync(SdmxFiles.Fixture("national-employment-by-occupation.generic.xml"));
        var (_, csvRows) = await UploadFiles.ReadCsvAsync(SdmxFiles.Fixture("national-employment-by-occupation.sdmx-v2.csv"));

        Assert.Equal(UploadFiles.Described(csvRows), UploadFiles.Described(xmlRows));
        Assert.Equal((true, null), (xml.Generic, xml.Mapping));
        Assert.Equal(["OCU_ISCO08_2221", "OCU_ISCO08_6111", "OCU_ISCO08_7112"], xmlRows.Select(r => r.Observation!.Dimension("OCU")).Where(o => o != "OCU_ISCO08_TOTAL").Distinct().Order());
        Assert.Equal(["2221", "6111", "7112"], xml.CodesToCheck["isco08"].Order());
    }

    [Fact]
    public async Task A_flat_message_with_every_dimension_on_the_observation_is_read_and_checked_like_a_csv_row()
    {
        var (reader, rows) = await UploadFiles.ReadXmlAsync(Vacancies("""
                <Obs REF_AREA="PA" FREQ="Q" OCU="OCU_ISCO08_7112" TIME_PERIOD="2025-Q1" OBS_VALUE="120" UNIT_MEASURE="NB" />
                <Obs REF_AREA="PAN" FREQ="Q" OCU="OCU_ISCO08_7112" TIME_PERIOD="2025-Q2" OBS_VALUE="120.5" />
                <Obs REF_AREA="PAN" FREQ="Q" OCU="OCU_ISCO08_7112" TIME_PERIOD="2025-Q1" OBS_VALUE="90" />
            """));

        Assert.Equal("PAN.Q.OCU_ISCO08_7112", rows[0].Observation!.SeriesKey);
        Assert.Equal(
        [
            "line 11, OBS_VALUE '120.5': DF_VAC_OCU values are counts: whole numbers (UNIT_MULT is 0)",
            "line 12, TIME_PERIOD '2025-Q1': series PAN.Q.OCU_ISCO08_7112 already has 2025-Q1 on line 10",
        ], UploadFiles.Errors(rows));
        Assert.False(reader.Stopped);
    }

    [Fact]
    public async Task A_series_key_missing_a_dimension_or_with_a_component_the_dataflow_lacks_refuses_its_rows()
    {
        var (reader, rows) = await UploadFiles.ReadXmlAsync(Vacancies("""
                <Series REF_AREA="PAN" FREQ="A">
                  <Obs TIME_PERIOD="2024" OBS_VALUE="12" />
                </Series>
                <Series REF_AREA="PAN" FREQ="A" OCU="OCU_ISCO08_6111" SEX="SEX_F">
                  <Obs TIME_PERIOD="2024" OBS_VALUE="7" />
                </Series>
                <Series REF_AREA="PAN" FREQ="A" OCU="OCU_ISCO08_6111">
                  <Obs TIME_PERIOD="2024" OBS_VALUE="7" />
                </Series>
            """));

        Assert.Equal(["line 11, OCU: required: every dimension needs a value", "line 14, SEX 'SEX_F': a component RCM:DF_VAC_OCU(1.0) does not have"],
            UploadFiles.Errors(rows));
        Assert.True(rows[2].IsValid);
        Assert.Equal(3, rows.Count(reader.IsObservation));
    }

    [Theory]
    [InlineData("entity expansion", """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
        <message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">&lol2;</message:GenericData>
        """, "line 1, message: not well-formed XML, so nothing more was read: a DTD (DOCTYPE) is refused: an SDMX-ML message needs none, and it could expand entities or fetch files")]
    [InlineData("external entity", """
        <?xml version="1.0"?>
        <!DOCTYPE data [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
        <message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">&secret;</message:GenericData>
        """, "line 1, message: not well-formed XML, so nothing more was read: a DTD (DOCTYPE) is refused: an SDMX-ML message needs none, and it could expand entities or fetch files")]
    [InlineData("SDMX-ML 2.0 namespace", """
        <?xml version="1.0"?>
        <CompactData xmlns="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message"><Header /></CompactData>
        """, "line 2, message '{http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message}CompactData': expected an SDMX-ML 2.1 data message: StructureSpecificData or GenericData in the namespace http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message")]
    [InlineData("not XML", "DATAFLOW,REF_AREA\n", "line 1, message: not well-formed XML, so nothing more was read: Data at the root level is invalid. Line 1, position 1.")]
    public async Task Hostile_or_foreign_xml_is_refused_before_any_row(string what, string xml, string error)
    {
        var (reader, rows) = await UploadFiles.ReadXmlAsync(xml);

        Assert.True(reader.Stopped, what);
        Assert.Equal([error], UploadFiles.Errors(rows));
        Assert.DoesNotContain(rows, reader.IsObservation);
    }

    [Fact]
    public async Task A_message_that_breaks_part_way_stops_there_and_says_so()
    {
        var (reader, rows) = await UploadFiles.ReadXmlAsync(Vacancies("""
                <Obs REF_AREA="PAN" FREQ="A" OCU="OCU_ISCO08_7112" TIME_PERIOD="2024" OBS_VALUE="12" />
                <Obs REF_AREA="PAN" FREQ="A" OCU="OCU_ISCO08_7112" TIME_PERIOD="2025" OBS_VALUE="14" </Obs>
            """));

        Assert.True(rows[0].IsValid);
        Assert.True(reader.Stopped);
        Assert.StartsWith("line 11, message: not well-formed XML, so nothing more was read:", Assert.Single(UploadFiles.Errors(rows)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_attributes_a_structure_the_header_does_not_name_and_elements_in_the_wrong_namespace_stop_reading()
    {
        var (_, group) = await UploadFiles.ReadXmlAsync(Vacancies("""<Group type="SiblingGroup" REF_AREA="PAN" UNIT_MULT="3" />"""));
        var (_, unnamed) = await UploadFiles.ReadXmlAsync(Vacancies(string.Empty).Replace("ss:structureRef=\"VAC\"", "ss:structureRef=\"OTHER\"", StringComparison.Ordinal));
        var (_, generic) = await UploadFiles.ReadXmlAsync(SdmxFiles.Fixture("national-employment-by-occupation.generic.xml").Replace(Generic, "urn:example:generic", StringComparison.Ordinal));

        Assert.Equal(["line 10, Group: group attributes are not read: send them on each series or observation; nothing more was read"], UploadFiles.Errors(group));
        Assert.Equal(["line 9, DataSet 'OTHER': structureRef names no Structure of the message's Header (VAC); nothing more was read"], UploadFiles.Errors(unnamed));
        Assert.Equal(["line 15, gen:Attributes: not an element of an SDMX-ML 2.1 GenericData data set (namespace http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic); nothing more was read"],
            UploadFiles.Errors(generic));
    }
}
