using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Statistics.Grpc;
using Lmis.Statistics.Sdmx;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace Lmis.Statistics.Tests.Api;

/// <summary>
/// The statistics service in process, its codes checked against an in-process taxonomy holding the ISCO-08 sample,
/// with what a test needs to upload SDMX-CSV and read back everything stored.
/// </summary>
public sealed class StatisticsInProcess : IAsyncLifetime
{
    /// <summary>The taxonomy the uploads' codes are checked against, for tests that release more into it.</summary>
    public ServiceHost<TaxonomyGrpcService> Taxonomy { get; } = new();

    public ServiceHost<StatisticsGrpcService> Statistics { get; private set; } = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await new TaxonomyService.TaxonomyServiceClient(Taxonomy.GrpcChannel(TestCaller.Secretariat))
            .ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: Ct);
        Statistics = (ServiceHost<StatisticsGrpcService>)new ServiceHost<StatisticsGrpcService>()
            .WithSetting("services:taxonomy:grpc:0", "http://localhost")
            .WithServices(services =>
            {
                services.Configure<HttpClientFactoryOptions>(nameof(TaxonomyService.TaxonomyServiceClient),
                    options => options.HttpMessageHandlerBuilderActions.Add(handlers => handlers.PrimaryHandler = Taxonomy.Server.CreateHandler()));
                services.AddMassTransitTestHarness();
            });
    }

    public async ValueTask DisposeAsync()
    {
        await Statistics.DisposeAsync();
        await Taxonomy.DisposeAsync();
    }

    /// <summary>POST /sdmx/data as a member state's publisher: the status and the JSON body (null when it is not JSON).</summary>
    public async Task<(HttpStatusCode Status, JsonElement? Body)> UploadAsync(
        string country, HttpContent content, string mode = "")
    {
        using var response = await Statistics.CreateClient(TestCaller.Publisher(country)).PostAsync(
            DatasetEndpointsPath + (mode.Length > 0 ? "?mode=" + mode : string.Empty), content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        JsonElement? body = null;
        try
        {
            body = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not JSON; the status alone tells.
        }

        return (response.StatusCode, body);
    }

    public Task<(HttpStatusCode Status, JsonElement? Body)> UploadAsync(string country, string csv, string mode = "") =>
        UploadAsync(country, new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"), mode);

    public Task<string> ExportAsync(string path) => Statistics.CreateClient().GetStringAsync(path, Ct);

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(string path)
    {
        using var response = await Statistics.CreateClient().GetAsync(path, Ct);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    /// <summary>Every observation stored, of every dataflow, as SDMX-CSV: what a refused upload must leave as it was.</summary>
    public async Task<string> EverythingStoredAsync()
    {
        var all = new System.Text.StringBuilder();
        foreach (var flow in BuiltInDataflows.All)
        {
            // A dataflow with no observations answers 404 (SDMX's "no results"): nothing to add.
            using var response = await Statistics.CreateClient().GetAsync($"/sdmx/data/{flow.Id}/all", Ct);
            all.Append(flow.Id).Append(": ").Append(response.StatusCode == HttpStatusCode.NotFound ? string.Empty : await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync(Ct));
        }

        return all.ToString();
    }

    /// <summary>The errors of an upload's answer (a success or a refusal), as field errors: the one {field, value, reason} shape.</summary>
    public static IReadOnlyList<FieldError> Errors(JsonElement body) => Refusals.ProblemErrors(body);

    private const string DatasetEndpointsPath = "/sdmx/data";
}
