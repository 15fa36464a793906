using Lmis.Contracts.Statistics.V1;
using Lmis.Testing;

namespace Lmis.Statistics.Tests.Api;

/// <summary>The statistics service's own OpenAPI document, which the gateway merges into the public one.</summary>
public sealed class ApiDocumentTests(StatisticsInProcess service) : IClassFixture<StatisticsInProcess>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_document_is_valid_OpenAPI_with_every_http_rule_and_every_endpoint_and_the_credentials_each_needs()
    {
        using var client = service.Statistics.CreateClient();
        await ApiDocumentChecks.ReadCompleteAsync(client, service.Statistics.Services, StatisticsService.Descriptor, Ct);
    }

    [Fact]
    public async Task The_sdmx_upload_and_data_query_are_described_with_their_media_types()
    {
        using var client = service.Statistics.CreateClient();
        var document = await ApiDocumentChecks.ReadAsync(client, Ct);

        var upload = document.Paths["/sdmx/data"].Operations[Microsoft.OpenApi.Models.OperationType.Post];
        Assert.Equal(["text/csv", "application/vnd.sdmx.data+csv", "application/xml", "text/xml", "application/vnd.sdmx.structurespecificdata+xml",
            "application/vnd.sdmx.genericdata+xml"], upload.RequestBody.Content.Keys);
        Assert.Contains(upload.Parameters, p => p.Name == "mode");
        var data = document.Paths["/sdmx/data/{flowRef}/{key}/{providerRef}"].Operations[Microsoft.OpenApi.Models.OperationType.Get];
        Assert.Contains(data.Responses["200"].Content.Keys, type => type.StartsWith("application/vnd.sdmx.data+json", StringComparison.Ordinal));
        Assert.Equal(
            ["startPeriod", "endPeriod", "updatedAfter", "firstNObservations", "lastNObservations", "dimensionAtObservation", "detail", "includeHistory", "asOf", "format"],
            data.Parameters.Where(p => p.In == Microsoft.OpenApi.Models.ParameterLocation.Query).Select(p => p.Name));
    }
}
