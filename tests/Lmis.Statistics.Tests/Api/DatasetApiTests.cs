using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Events;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Statistics.Grpc;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Tests.Sdmx;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace Lmis.Statistics.Tests.Api;

/// <summary>
/// Member states upload SDMX-CSV to the statistics service (in process, its occupation codes checked against an
/// in-process taxonomy) and the secretariat reads it back as SDMX: the same figures, revisions kept as vintages,
/// each ministry writing only its own country's figures.
/// </summary>
public sealed class DatasetApiTests : IAsyncLifetime
{
    private readonly StatisticsInProcess _service = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServiceHost<StatisticsGrpcService> Statistics => _service.Statistics;

    public ValueTask InitializeAsync() => _service.InitializeAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(string country, string csv, string mode = "")
    {
        var (status, body) = await _service.UploadAsync(country, csv, mode);
        return (status, body ?? throw new InvalidOperationException($"The upload's answer ({(int)status}) is not JSON."));
    }

    private Task<string> ExportAsync(string path) => _service.ExportAsync(path);

    [Fact]
    public async Task An_ilostat_shaped_upload_from_each_member_state_reads_back_identically_as_sdmx_csv()
    {
        var fixture = SdmxFiles.Fixture("unemployment-rates.sdmx-v1.csv");
        var lines = fixture.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var byCountry = lines.Skip(1).GroupBy(l => l.Split(',')[1]);
        foreach (var rows in byCountry)
        {
            var (status, body) = await UploadAsync(rows.Key, string.Join('\n', rows.Prepend(lines[0])));
            Assert.True(status == HttpStatusCode.OK, body.ToString());
            Assert.Equal(rows.Count(), body.GetProperty("added").GetInt32());
        }

        var exported = await ExportAsync("/sdmx/data/RCM,DF_UNE_RT,1.0/all");
        var expected = new StringWriter();
        var observations = (await SdmxFiles.ObservationsAsync(fixture))
            .OrderBy(o => o.SeriesKey, StringComparer.Ordinal).ThenBy(o => o.Period).ToAsyncEnumerable();
        await SdmxCsvWriter.WriteAsync(expected, BuiltInDataflows.UnemploymentRate, observations, cancellationToken: Ct);
        var again = await UploadAsync("MEX", string.Join('\n', lines.Where(l => l.StartsWith("DATAFLOW", StringComparison.Ordinal) || l.Contains(",MEX,", StringComparison.Ordinal))));

        Assert.Equal(expected.ToString(), exported);
        Assert.Equal((0, 6), (again.Body.GetProperty("added").GetInt32(), again.Body.GetProperty("unchanged").GetInt32()));
        Assert.Equal(30, (await SdmxFiles.ObservationsAsync(exported)).Count);
    }

    [Fact]
    public async Task A_revision_keeps_the_earlier_value_readable_as_of_before_it_and_is_announced()
    {
        const string header = "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,SEX,AGE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";
        var (first, _) = await UploadAsync("GTM", header + "dataflow,RCM:DF_UNE_RT(1.0),I,GTM,Q,SEX_T,AGE_YTHADULT_YGE15,2026-Q1,3.1,PT,0,P,provisional\n");
        await Task.Delay(50, Ct);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(50, Ct);
        var (second, revised) = await UploadAsync("GTM", header + "dataflow,RCM:DF_UNE_RT(1.0),I,GTM,Q,SEX_T,AGE_YTHADULT_YGE15,2026-Q1,3.4,PT,0,A,\n");

        var latest = await SdmxFiles.ObservationsAsync(await ExportAsync("/sdmx/data/DF_UNE_RT/GTM.Q..?startPeriod=2026&endPeriod=2026"));
        var asOf = await SdmxFiles.ObservationsAsync(await ExportAsync($"/sdmx/data/DF_UNE_RT/GTM.Q..?asOf={Uri.EscapeDataString(between.ToString("O"))}"));
        using var before = await Statistics.CreateClient().GetAsync("/sdmx/data/DF_UNE_RT/GTM.Q..?asOf=2000-01-01T00:00:00Z", Ct);
        var named = await SdmxFiles.ObservationsAsync(await ExportAsync(
            $"/sdmx/data/DF_UNE_RT/GT+MEX.Q.SEX_T.AGE_YTHADULT_YGE15?asOf={Uri.EscapeDataString(between.ToString("O"))}"));
        var harness = Statistics.Services.GetTestHarness();

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first, second));
        Assert.Equal(1, revised.GetProperty("revised").GetInt32());
        Assert.Equal((3.4m, "A"), (Assert.Single(latest).Value, latest[0].Attribute("OBS_STATUS")));
        Assert.Equal((3.1m, "P"), (Assert.Single(asOf).Value, asOf[0].Attribute("OBS_STATUS")));
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal((3.1m, "GTM.Q.SEX_T.AGE_YTHADULT_YGE15"), (Assert.Single(named).Value, named[0].SeriesKey));
        Assert.True(await harness.Published.Any<ObservationsRevised>(m => m.Context.Message.Country == "GTM" && m.Context.Message.Revised == 1, Ct));
        Assert.True(await harness.Published.Any<DatasetPublished>(m => m.Context.Message.Country == "GTM", Ct));
    }

    [Fact]
    public async Task Rows_of_another_member_state_or_unknown_occupations_are_refused_row_by_row_or_the_whole_upload_when_asked()
    {
        const string csv = """
            DATAFLOW,REF_AREA,FREQ,SEX,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE
            RCM:DF_EMP_OCU(1.0),HND,A,SEX_T,OCU_ISCO08_7112,2025,41.5,PS,3,A,
            RCM:DF_EMP_OCU(1.0),GTM,A,SEX_T,OCU_ISCO08_7112,2025,88.0,PS,3,A,
            RCM:DF_EMP_OCU(1.0),HND,A,SEX_T,OCU_ISCO08_9999,2025,1.0,PS,3,A,
            RCM:DF_EMP_OCU(1.0),HND,A,SEX_T,OCU_ISCO08_TOTAL,2025,1500.0,PS,3,A,
            RCM:DF_EMP_OCU(1.0),HND,A,SEX_T,OCU_ISCO08_6111,2025-13,2.0,PS,3,A,
            """;

        var (wholeStatus, whole) = await UploadAsync("HND", csv, mode: "all-or-nothing");
        using var afterWhole = await Statistics.CreateClient().GetAsync("/sdmx/data/DF_EMP_OCU/HND+GTM...", Ct);
        var (rowStatus, rows) = await UploadAsync("HND", csv);
        var stored = await SdmxFiles.ObservationsAsync(await ExportAsync("/sdmx/data/DF_EMP_OCU/HND+GTM...?format=csv"));
        using var badKey = await Statistics.CreateClient().GetAsync("/sdmx/data/DF_EMP_OCU/HND.A", Ct);
        var badKeyProblem = await badKey.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var unknownFlow = await Statistics.CreateClient().GetAsync("/sdmx/data/DF_NOTHING/all", Ct);
        using var anonymous = await Statistics.CreateClient().PostAsync("/sdmx/data", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, wholeStatus);
        Assert.False(whole.GetProperty("upload").GetProperty("stored").GetBoolean());
        Assert.Contains(new FieldError("line 3, REF_AREA", "GTM", "a credential of HND reports HND's figures only"), Refusals.ProblemErrors(whole));
        Assert.Equal(HttpStatusCode.NotFound, afterWhole.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rowStatus);
        Assert.Equal((5, 2, 3), (rows.GetProperty("received").GetInt32(), rows.GetProperty("added").GetInt32(), rows.GetProperty("rejected").GetInt32()));
        var errors = StatisticsInProcess.Errors(rows);
        Assert.Contains(new FieldError("line 3, REF_AREA", "GTM", "a credential of HND reports HND's figures only"), errors);
        Assert.Contains(errors, e => (e.Field, e.Reason) == ("line 4, OCU", "not a code of isco08 in the taxonomy"));
        Assert.Contains(errors, e => e.Field == "line 6, TIME_PERIOD");
        Assert.Equal(["HND.A.SEX_T.OCU_ISCO08_7112", "HND.A.SEX_T.OCU_ISCO08_TOTAL"], stored.Select(o => o.SeriesKey));
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        Assert.Contains("DF_EMP_OCU has 4 dimensions: REF_AREA.FREQ.SEX.OCU", badKeyProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownFlow.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task An_export_as_sdmx_json_maps_every_index_back_to_the_uploaded_figures()
    {
        const string csv = """
            DATAFLOW,REF_AREA,FREQ,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE
            RCM:DF_VAC_OCU(1.0),PAN,Q,OCU_ISCO08_2221,2025-Q4,120,NB,0,A,
            RCM:DF_VAC_OCU(1.0),PAN,Q,OCU_ISCO08_2221,2026-Q1,135,NB,0,P,
            RCM:DF_VAC_OCU(1.0),PAN,Q,OCU_ISCO08_6111,2026-Q1,40,NB,0,A,
            """;
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync("PAN", csv)).Status);

        using var json = JsonDocument.Parse(await ExportAsync("/sdmx/data/DF_VAC_OCU/PAN.Q.?format=json"));
        var data = json.RootElement.GetProperty("data");
        var structure = data.GetProperty("structures")[0];
        var seriesDimensions = structure.GetProperty("dimensions").GetProperty("series").EnumerateArray().ToArray();
        var times = structure.GetProperty("dimensions").GetProperty("observation")[0].GetProperty("values").EnumerateArray()
            .Select(v => v.GetProperty("id").GetString()).ToArray();
        var figures = new List<(string, string?, decimal)>();
        foreach (var series in data.GetProperty("dataSets")[0].GetProperty("series").EnumerateObject())
        {
            var key = string.Join('.', series.Name.Split(':').Select((index, d) =>
                seriesDimensions[d].GetProperty("values")[int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)].GetProperty("id").GetString()));
            foreach (var observation in series.Value.GetProperty("observations").EnumerateObject())
            {
                figures.Add((key, times[int.Parse(observation.Name, System.Globalization.CultureInfo.InvariantCulture)], observation.Value[0].GetDecimal()));
            }
        }

        Assert.Equal(
            [("PAN.Q.OCU_ISCO08_2221", "2025-Q4", 120m), ("PAN.Q.OCU_ISCO08_2221", "2026-Q1", 135m), ("PAN.Q.OCU_ISCO08_6111", "2026-Q1", 40m)],
            figures.OrderBy(f => f.Item1, StringComparer.Ordinal).ThenBy(f => f.Item2, StringComparer.Ordinal));
    }

    /// <summary>Mexico's border worker visitor card for Guatemalan workers, as a pathway covering ISCO-08 711.</summary>
    private async Task ImportBorderWorkerPathwayAsync()
    {
        var pathway = new ConceptInput { Code = "gtm-mex-tvtf", Labels = { ["en"] = "Border worker visitor card", ["es"] = "Tarjeta de Visitante Trabajador Fronterizo" } };
        foreach (var (name, value) in new[]
        {
                ("type", "temporary_worker_scheme"), ("origin", "GTM"), ("destination", "MEX"), ("occupation", "711"),
                ("valid_from", "2008-03-01"), ("status", "in_force"), ("source_document", "INM: Tarjeta de Visitante Trabajador Fronterizo"),
            })
        {
            pathway.Attributes.Add(new Contracts.Taxonomy.V1.Attribute { Name = name, Value = value });
        }

        await new TaxonomyService.TaxonomyServiceClient(_service.Taxonomy.GrpcChannel(TestCaller.Secretariat))
            .ImportSchemeVersionAsync(new ImportSchemeVersionRequest { Scheme = "pathways", Concepts = { pathway } }, cancellationToken: Ct);
    }

    [Fact]
    public async Task Shortages_and_surpluses_are_flagged_the_same_way_for_every_country_and_complementary_pairs_come_with_their_pathways()
    {
        await ImportBorderWorkerPathwayAsync();
        const string vacancies = "DATAFLOW,REF_AREA,FREQ,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";
        const string jobseekers = "DATAFLOW,REF_AREA,FREQ,SEX,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";
        foreach (var (country, csv) in new[]
        {
            ("MEX", vacancies + "RCM:DF_VAC_OCU(1.0),MEX,A,OCU_ISCO08_7112,2025,500,NB,0,A,\nRCM:DF_VAC_OCU(1.0),MEX,A,OCU_ISCO08_6111,2025,20,NB,0,A,\n"),
            ("MEX", jobseekers + "RCM:DF_JSK_OCU(1.0),MEX,A,SEX_T,OCU_ISCO08_7112,2025,200,PS,0,A,\nRCM:DF_JSK_OCU(1.0),MEX,A,SEX_T,OCU_ISCO08_6111,2025,0.4,PS,3,A,\n"),
            ("GTM", vacancies + "RCM:DF_VAC_OCU(1.0),GTM,A,OCU_ISCO08_7112,2025,30,NB,0,A,\nRCM:DF_VAC_OCU(1.0),GTM,A,OCU_ISCO08_6111,2025,300,NB,0,A,\n"),
            ("GTM", jobseekers + "RCM:DF_JSK_OCU(1.0),GTM,A,SEX_T,OCU_ISCO08_7112,2025,300,PS,0,A,\nRCM:DF_JSK_OCU(1.0),GTM,A,SEX_T,OCU_ISCO08_6111,2025,100,PS,0,A,\n"),
        })
        {
            var (status, body) = await UploadAsync(country, csv);
            Assert.True(status == HttpStatusCode.OK && body.GetProperty("rejected").GetInt32() == 0, body.ToString());
        }

        var http = Statistics.CreateClient();
        var shortages = await http.GetFromJsonAsync<JsonElement>("/api/v1/statistics/shortages?period=2025", Ct);
        var complementarity = await http.GetFromJsonAsync<JsonElement>("/api/v1/statistics/complementarity?period=2025", Ct);
        using var noPeriod = await http.GetAsync("/api/v1/statistics/shortages", Ct);

        Assert.Equal(
            [("GTM", "6111", 3m, "shortage"), ("GTM", "7112", 0.1m, "surplus"), ("MEX", "6111", 0.05m, "surplus"), ("MEX", "7112", 2.5m, "shortage")],
            shortages.GetProperty("occupations").EnumerateArray().Select(o => (o.GetProperty("country").GetString(), o.GetProperty("occupation").GetString(),
                o.GetProperty("vacanciesPerJobseeker").GetDecimal(), o.GetProperty("flag").GetString())));
        var pairs = complementarity.GetProperty("pairs").EnumerateArray().ToArray();
        Assert.Equal([("6111", "GTM", "MEX", 60m), ("7112", "MEX", "GTM", 25m)], pairs.Select(p => (p.GetProperty("occupation").GetString(),
            p.GetProperty("inShortage").GetProperty("country").GetString(), p.GetProperty("inSurplus").GetProperty("country").GetString(), p.GetProperty("strength").GetDecimal())));
        Assert.Empty(pairs[0].GetProperty("pathways").EnumerateArray());
        Assert.Equal("gtm-mex-tvtf", Assert.Single(pairs[1].GetProperty("pathways").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(1.0m, complementarity.GetProperty("method").GetProperty("shortageAtOrAbove").GetDecimal());
        Assert.Equal(HttpStatusCode.BadRequest, noPeriod.StatusCode);
    }

    [Fact]
    public async Task Migration_corridors_sum_the_totals_origin_to_destination_with_the_pathways_along_them()
    {
        await ImportBorderWorkerPathwayAsync();
        const string csv = """
            DATAFLOW,REF_AREA,COUNTERPART_AREA,FREQ,PERMIT_TYPE,SEX,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE
            RCM:DF_MIG_PERMITS(1.0),MEX,GTM,A,PERMIT_TOTAL,SEX_T,OCU_ISCO08_TOTAL,2025,12,NB,3,A,
            RCM:DF_MIG_PERMITS(1.0),MEX,GTM,A,PERMIT_BORDER,SEX_T,OCU_ISCO08_TOTAL,2025,9000,NB,0,A,
            RCM:DF_MIG_PERMITS(1.0),MEX,HND,A,PERMIT_TOTAL,SEX_T,OCU_ISCO08_TOTAL,2025,3000,NB,0,A,
            RCM:DF_MIG_PERMITS(1.0),MEX,HND,A,PERMIT_TOTAL,SEX_T,OCU_ISCO08_TOTAL,2024,2500,NB,0,A,
            """;
        var (status, upload) = await UploadAsync("MEX", csv);

        var corridors = await Statistics.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/statistics/corridors?dataflow=DF_MIG_PERMITS&period=2025", Ct);
        using var bad = await Statistics.CreateClient().GetAsync("/api/v1/statistics/corridors?dataflow=DF_UNE_RT&period=2025", Ct);

        Assert.True(status == HttpStatusCode.OK && upload.GetProperty("rejected").GetInt32() == 0, upload.ToString());
        var rows = corridors.GetProperty("corridors").EnumerateArray().ToArray();
        Assert.Equal([("GTM", "MEX", 12000m), ("HND", "MEX", 3000m)],
            rows.Select(c => (c.GetProperty("origin").GetString(), c.GetProperty("destination").GetString(), c.GetProperty("total").GetDecimal())));
        Assert.Equal("gtm-mex-tvtf", Assert.Single(rows[0].GetProperty("pathways").EnumerateArray()).GetProperty("id").GetString());
        Assert.Empty(rows[1].GetProperty("pathways").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var refused = Assert.Single(Refusals.ProblemErrors(await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)));
        Assert.Equal(("dataflow", "DF_UNE_RT"), (refused.Field, refused.Value));
        Assert.StartsWith("a migration dataflow: ", refused.Reason, StringComparison.Ordinal);
    }

    /// <summary>The google.rpc.BadRequest field violations a refused call carries.</summary>
    internal static IReadOnlyList<Google.Rpc.BadRequest.Types.FieldViolation> FieldViolations(global::Grpc.Core.RpcException refused) =>
        refused.Trailers.GetValueBytes("grpc-status-details-bin") is { } details
            ? [.. Google.Rpc.Status.Parser.ParseFrom(details).Details.Where(d => d.Is(Google.Rpc.BadRequest.Descriptor))
                .SelectMany(d => d.Unpack<Google.Rpc.BadRequest>().FieldViolations)]
            : [];

    [Fact]
    public async Task A_large_file_can_be_streamed_over_grpc_in_chunks_with_the_same_checks()
    {
        var fixture = SdmxFiles.Fixture("unemployment-rates.sdmx-v1.csv");
        var lines = fixture.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var mexico = Encoding.UTF8.GetBytes(string.Join('\n', lines.Where(l => l.StartsWith("DATAFLOW", StringComparison.Ordinal) || l.Contains(",MEX,", StringComparison.Ordinal))) + "\n");
        var foreign = Encoding.UTF8.GetBytes(lines[0] + "\n" + lines.First(l => l.Contains(",GTM,", StringComparison.Ordinal)) + "\n");
        async Task<Contracts.Statistics.V1.ObservationUploadResult> StreamAsync(TestCaller? caller, byte[] file, bool allOrNothing)
        {
            var client = new Contracts.Statistics.V1.StatisticsService.StatisticsServiceClient(Statistics.GrpcChannel(caller));
            using var call = client.UploadObservations(cancellationToken: Ct);
            try
            {
                for (var offset = 0; offset < file.Length; offset += 100)
                {
                    await call.RequestStream.WriteAsync(new Contracts.Statistics.V1.ObservationUploadChunk
                    {
                        Csv = Google.Protobuf.ByteString.CopyFrom(file, offset, Math.Min(100, file.Length - offset)),
                        AllOrNothing = allOrNothing && offset == 0,
                    }, Ct);
                }

                await call.RequestStream.CompleteAsync();
            }
            catch (global::Grpc.Core.RpcException)
            {
                // The server may answer (e.g. refuse an anonymous caller) before the whole file is written: a write
                // then fails as cancelled, and the call's own status, read below, says why.
            }

            return await call;
        }

        var streamed = await StreamAsync(TestCaller.Publisher("MEX"), mexico, allOrNothing: false);
        var refused = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => StreamAsync(TestCaller.Publisher("MEX"), foreign, allOrNothing: true));
        var anonymous = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => StreamAsync(null, mexico, allOrNothing: false));
        var stored = await SdmxFiles.ObservationsAsync(await ExportAsync("/sdmx/data/DF_UNE_RT/MEX+GTM..."));

        Assert.Equal(("RCM:DF_UNE_RT(1.0)", 6, 6, true), (streamed.Dataflow, streamed.Received, streamed.Added, streamed.Stored));
        Assert.Equal(global::Grpc.Core.StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("nothing was stored (1 rows received, 1 refused)", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("line 2, REF_AREA", Assert.Single(FieldViolations(refused)).Field);
        Assert.Equal(new FieldError("line 2, REF_AREA", "GTM", "a credential of MEX reports MEX's figures only"), Assert.Single(Refusals.FieldErrors(refused)));
        Assert.Equal(global::Grpc.Core.StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal(6, stored.Count);
        Assert.All(stored, o => Assert.Equal("MEX", o.Key[0]));
    }
}
