using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Lmis.Contracts.Statistics.V1;
using Lmis.Testing;

namespace Lmis.Statistics.Tests.Api;

/// <summary>
/// A statistics office tries its quarterly file before sending it: validate-only applies every check an upload
/// applies (structure, code lists, its own member state) and stores nothing.
/// </summary>
public sealed class SdmxValidateOnlyTests(StatisticsInProcess service) : IClassFixture<StatisticsInProcess>
{
    private const string Header = "DATAFLOW,REF_AREA,FREQ,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS\n";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Row(string country, string period, string occupation, string value) =>
        $"RCM:DF_VAC_OCU(1.0),{country},Q,OCU_ISCO08_{occupation},{period},{value},NB,0,A\n";

    private async Task<(HttpStatusCode Status, JsonElement Body)> CheckAsync(string country, string csv, string query = "validateOnly=true")
    {
        using var response = await service.Statistics.CreateClient(TestCaller.Publisher(country))
            .PostAsync("/sdmx/data?" + query, new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone());
    }

    [Fact]
    public async Task A_checked_file_lists_its_refused_rows_as_an_upload_would_and_stores_none_of_its_rows()
    {
        var before = await service.EverythingStoredAsync();
        var csv = Header + Row("PAN", "2026-Q1", "2221", "40") + Row("PAN", "2026-Q1", "99999", "12") + Row("GTM", "2026-Q1", "2221", "3");

        var (status, body) = await CheckAsync("PAN", csv);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((3, 2, 0, false), (body.GetProperty("received").GetInt32(), body.GetProperty("rejected").GetInt32(),
            body.GetProperty("added").GetInt32(), body.GetProperty("stored").GetBoolean()));
        Assert.Equal(["line 3, OCU", "line 4, REF_AREA"], StatisticsInProcess.Errors(body).Select(e => e.Field));
        Assert.Equal(before, await service.EverythingStoredAsync());
    }

    [Fact]
    public async Task A_check_that_finds_nothing_it_would_store_is_refused_as_the_upload_would_be()
    {
        var allOrNothing = await CheckAsync("PAN", Header + Row("PAN", "2026-Q2", "2221", "40") + Row("PAN", "2026-Q2", "99999", "12"),
            "validateOnly=true&mode=all-or-nothing");
        var unclear = await CheckAsync("PAN", Header + Row("PAN", "2026-Q2", "2221", "40"), "validateOnly=yes");

        Assert.Equal(HttpStatusCode.BadRequest, allOrNothing.Status);
        Assert.StartsWith("Nothing would be stored", allOrNothing.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unclear.Status);
        Assert.Contains("validateOnly 'yes': true or false", unclear.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await service.GetJsonAsync("/sdmx/data/DF_VAC_OCU/PAN.Q.")).Status);
    }

    [Fact]
    public async Task Over_grpc_the_first_chunk_makes_the_upload_a_check_that_stores_nothing()
    {
        var file = Encoding.UTF8.GetBytes(Header + Row("NIC", "2026-Q1", "7112", "8") + Row("NIC", "2026-Q2", "7112", "9"));
        var client = new StatisticsService.StatisticsServiceClient(service.Statistics.GrpcChannel(TestCaller.Publisher("NIC")));

        using var call = client.UploadObservations(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new ObservationUploadChunk { Csv = Google.Protobuf.ByteString.CopyFrom(file, 0, 60), ValidateOnly = true }, Ct);
        await call.RequestStream.WriteAsync(new ObservationUploadChunk { Csv = Google.Protobuf.ByteString.CopyFrom(file, 60, file.Length - 60) }, Ct);
        await call.RequestStream.CompleteAsync();
        var answer = await call;
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var bad = client.UploadObservations(cancellationToken: Ct);
            await bad.RequestStream.WriteAsync(new ObservationUploadChunk { Csv = Google.Protobuf.ByteString.CopyFromUtf8(Header + Row("NIC", "2026-Q3", "99999", "1")), ValidateOnly = true }, Ct);
            await bad.RequestStream.CompleteAsync();
            await bad;
        });

        Assert.Equal((2, 0, 0, false), (answer.Received, answer.Rejected, answer.Added, answer.Stored));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("nothing would be stored (1 rows received, 1 refused)", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await service.GetJsonAsync("/sdmx/data/DF_VAC_OCU/NIC.Q.")).Status);
    }
}
