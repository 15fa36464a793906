using System.Net;
using System.Text;
using System.Text.Json;
using Lmis.Statistics.Grpc;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Mappings;
using Lmis.Statistics.Tests.Api;
using Lmis.Testing;
using MassTransit;

namespace Lmis.Statistics.Tests.Sdmx.Uploads;

/// <summary>
/// Offices upload files exactly as they send them to the ILO, or as their SDMX tools write SDMX-ML, to the statistics
/// service in process; the answer names the mapping applied, and a data query returns the figures in the region's
/// dataflow. Hostile XML is refused and leaves everything stored as it was.
/// </summary>
public sealed class UploadApiTests : IAsyncLifetime
{
    private readonly StatisticsInProcess _service = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _service.InitializeAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private Task<(HttpStatusCode Status, JsonElement? Body)> UploadAsync(string country, string file, string contentType, string mode = "") =>
        _service.UploadAsync(country, new StringContent(file, Encoding.UTF8, contentType), mode);

    private async Task<List<Observation>> StoredAsync(DataStructure flow) =>
        await SdmxFiles.ObservationsAsync(await _service.ExportAsync($"/sdmx/data/{flow.Id}/all"));

    [Theory]
    [InlineData("ilostat-unemployment-rate.sdmx-v1.csv", "MEX", "ilo-unemployment-rate", "ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0)", "RCM:DF_UNE_RT(1.0)",
        "MEX.A.SEX_F.AGE_YTHADULT_YGE15", "2023", "2.848")]
    [InlineData("ilostat-employment-by-occupation.sdmx-v1.csv", "GTM", "ilo-employment-by-occupation", "ILO:DF_EMP_TEMP_SEX_OCU_NB(1.0)", "RCM:DF_EMP_OCU(1.0)",
        "GTM.A.SEX_T.OCU_ISCO08_5", "2023", "1512.903")]
    public async Task A_file_exactly_in_ilostats_shape_goes_in_unedited_and_reads_back_in_the_regions_dataflow(
        string fixture, string country, string mapping, string from, string dataflow, string series, string period, string value)
    {
        var file = SdmxFiles.Fixture(fixture);
        var rows = file.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;

        var (status, body) = await UploadAsync(country, file, "text/csv");
        var structure = BuiltInDataflows.All.Single(d => d.Reference.ToString() == dataflow);
        var stored = await StoredAsync(structure);

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(dataflow, body!.Value.GetProperty("dataflow").GetString());
        Assert.Equal((mapping, from), (body.Value.GetProperty("mapping").GetProperty("id").GetString(), body.Value.GetProperty("mapping").GetProperty("from").GetString()));
        Assert.Equal((rows, rows, 0), (body.Value.GetProperty("received").GetInt32(), body.Value.GetProperty("added").GetInt32(), body.Value.GetProperty("rejected").GetInt32()));
        Assert.Equal(rows, stored.Count);
        var figure = Assert.Single(stored, o => o.SeriesKey == series && o.Period.ToString() == period);
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), figure.Value);
        Assert.StartsWith("SOURCE: BA:", figure.Attribute("NOTE"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ilostats_sdmx_ml_and_its_sdmx_csv_are_the_same_figures_whichever_comes_first()
    {
        var (xmlStatus, xml) = await UploadAsync("MEX", SdmxFiles.Fixture("ilostat-unemployment-rate.structurespecific.xml"), "application/vnd.sdmx.structurespecificdata+xml");
        var afterXml = await _service.ExportAsync("/sdmx/data/DF_UNE_RT/all");
        var (csvStatus, csv) = await UploadAsync("MEX", SdmxFiles.Fixture("ilostat-unemployment-rate.sdmx-v1.csv"), "text/csv");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (xmlStatus, csvStatus));
        Assert.Equal((15, "ilo-unemployment-rate"), (xml!.Value.GetProperty("added").GetInt32(), xml.Value.GetProperty("mapping").GetProperty("id").GetString()));
        Assert.Equal((0, 15), (csv!.Value.GetProperty("added").GetInt32(), csv.Value.GetProperty("unchanged").GetInt32()));
        Assert.Equal(afterXml, await _service.ExportAsync("/sdmx/data/DF_UNE_RT/all"));
        Assert.Equal(15, (await SdmxFiles.ObservationsAsync(afterXml)).Count);
    }

    [Fact]
    public async Task A_national_offices_generic_sdmx_ml_stores_what_the_same_figures_in_sdmx_csv_store()
    {
        var (xmlStatus, xml) = await UploadAsync("HND", SdmxFiles.Fixture("national-employment-by-occupation.generic.xml"), "application/vnd.sdmx.genericdata+xml");
        var (csvStatus, csv) = await UploadAsync("HND", SdmxFiles.Fixture("national-employment-by-occupation.sdmx-v2.csv"), "application/vnd.sdmx.data+csv");
        var stored = await StoredAsync(BuiltInDataflows.EmploymentByOccupation);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (xmlStatus, csvStatus));
        Assert.Equal(JsonValueKind.Null, xml!.Value.GetProperty("mapping").ValueKind);
        Assert.Equal((6, 6), (xml.Value.GetProperty("added").GetInt32(), csv!.Value.GetProperty("unchanged").GetInt32()));
        Assert.Equal(41.5m, Assert.Single(stored, o => o.SeriesKey == "HND.A.SEX_T.OCU_ISCO08_7112" && o.Period.ToString() == "2024").Value);
        Assert.All(stored, o => Assert.Equal(("PS", "3"), (o.Attribute("UNIT_MEASURE"), o.Attribute("UNIT_MULT"))));
    }

    [Theory]
    [InlineData("a DTD expanding entities", "text/xml", """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol9 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
        <message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">&lol9;</message:GenericData>
        """, "line 1, message", "all-or-nothing")]
    [InlineData("SDMX-ML 2.0", "application/xml", """
        <?xml version="1.0"?>
        <CompactData xmlns="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message" />
        """, "line 2, message", "")]
    [InlineData("a series key missing a dimension, all or nothing", "application/xml", "MISSING_OCU", "line 11, OCU", "all-or-nothing")]
    [InlineData("a message cut short after a good observation", "application/xml", "CUT_SHORT", "line 11, message", "")]
    public async Task Hostile_or_broken_xml_is_refused_and_nothing_is_stored(string what, string contentType, string xml, string field, string mode)
    {
        var before = await _service.EverythingStoredAsync();
        const string good = """<Obs REF_AREA="PAN" FREQ="A" OCU="OCU_ISCO08_7112" TIME_PERIOD="2024" OBS_VALUE="12" />""";
        var message = xml switch
        {
            "MISSING_OCU" => Vacancies(good + "\n" + """<Obs REF_AREA="PAN" FREQ="A" TIME_PERIOD="2025" OBS_VALUE="14" />"""),
            "CUT_SHORT" => Vacancies(good + "\n" + good.Replace("2024", "2025", StringComparison.Ordinal)).Split("</message:DataSet>")[0][..^40],
            _ => xml,
        };

        var (status, body) = await UploadAsync("PAN", message, contentType, mode);

        Assert.True(status == HttpStatusCode.BadRequest, what);
        Assert.False(body!.Value.GetProperty("upload").GetProperty("stored").GetBoolean());
        Assert.Contains(StatisticsInProcess.Errors(body.Value), e => e.Field == field);
        Assert.Equal(before, await _service.EverythingStoredAsync());
    }

    [Fact]
    public async Task An_sdmx_ml_message_streamed_over_grpc_is_read_as_xml_and_the_result_names_the_mapping()
    {
        var file = Encoding.UTF8.GetBytes(SdmxFiles.Fixture("ilostat-unemployment-rate.structurespecific.xml"));
        var client = new Contracts.Statistics.V1.StatisticsService.StatisticsServiceClient(_service.Statistics.GrpcChannel(TestCaller.Publisher("MEX")));
        using var call = client.UploadObservations(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new Contracts.Statistics.V1.ObservationUploadChunk { AllOrNothing = true }, Ct); // the mode alone, no bytes yet
        for (var offset = 0; offset < file.Length; offset += 512)
        {
            await call.RequestStream.WriteAsync(new Contracts.Statistics.V1.ObservationUploadChunk
            {
                Csv = Google.Protobuf.ByteString.CopyFrom(file, offset, Math.Min(512, file.Length - offset)),
            }, Ct);
        }

        await call.RequestStream.CompleteAsync();
        var result = await call;

        Assert.Equal(("RCM:DF_UNE_RT(1.0)", 15, 15), (result.Dataflow, result.Received, result.Added));
        Assert.Equal(("ilo-unemployment-rate", "ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0)"), (result.Mapping, result.MappedFrom));
    }

    [Fact]
    public async Task A_mapping_the_secretariat_adds_in_configuration_is_applied_and_a_malformed_one_stops_the_service_at_start()
    {
        const string mapping = """
            {"id": "eurostat-unemployment", "from": ["ESTAT:UNE_RT_A(1.0)"], "to": "RCM:DF_UNE_RT(1.0)",
             "fixed": {"UNIT": ["PC_ACT"]}, "drop": ["GEO_LABEL"],
             "codes": {"SEX": {"T": "SEX_T", "F": "SEX_F", "M": "SEX_M"}, "AGE": {"Y15-74": "AGE_YTHADULT_YGE15", "Y_LT25": "AGE_YTHADULT_Y15-24"}}}
            """;
        await using var configured = Host(("Lmis:Statistics:SourceMappings:0", mapping));
        using var response = await configured.CreateClient(TestCaller.Publisher("CRI")).PostAsync("/sdmx/data", new StringContent(
            "DATAFLOW,REF_AREA,FREQ,UNIT,SEX,AGE,TIME_PERIOD,OBS_VALUE,GEO_LABEL\n"
            + "ESTAT:UNE_RT_A(1.0),CR,A,PC_ACT,F,Y_LT25,2024,19.4,Costa Rica\n", Encoding.UTF8, "text/csv"), Ct);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        await using var malformed = Host(("Lmis:Statistics:SourceMappings:0", """{"id": "broken", "from": ["ESTAT:UNE_RT_A(1.0)"], "to": "RCM:DF_UNE_RT(1.0)", "drop": ["SEX"]}"""));

        var refused = Assert.ThrowsAny<Exception>(() => malformed.Server);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("eurostat-unemployment", 1), (body.GetProperty("mapping").GetProperty("id").GetString(), body.GetProperty("added").GetInt32()));
        Assert.Contains("Lmis:Statistics:SourceMappings:0 (mapping 'broken'): \"drop\" SEX: RCM:DF_UNE_RT(1.0) has this component",
            string.Join(" | ", Chain(refused).Select(e => e.Message)), StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static ServiceHost<StatisticsGrpcService> Host((string Key, string Value) setting) =>
        new ServiceHost<StatisticsGrpcService>()
            .WithSetting("services:taxonomy:grpc:0", "http://localhost")
            .WithSetting(setting.Key, setting.Value)
            .WithServices(services => services.AddMassTransitTestHarness());

    /// <summary>A structure-specific message for Panama's vacancies, its data set's content given.</summary>
    private static string Vacancies(string dataSet) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
          <message:Header>
            <message:ID>PAN-MITRADEL-2</message:ID>
            <message:Structure structureID="VAC" dimensionAtObservation="TIME_PERIOD">
              <common:StructureUsage><Ref agencyID="RCM" id="DF_VAC_OCU" version="1.0" /></common:StructureUsage>
            </message:Structure>
          </message:Header>
          <message:DataSet structureRef="VAC">
        {dataSet}
          </message:DataSet>
        </message:StructureSpecificData>
        """;
}
