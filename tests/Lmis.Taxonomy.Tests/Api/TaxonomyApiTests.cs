using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;

namespace Lmis.Taxonomy.Tests.Api;

/// <summary>The taxonomy service in process: the same methods over gRPC and over REST (JSON transcoding).</summary>
public sealed class TaxonomyApiTests : IAsyncLifetime
{
    private readonly ServiceHost<TaxonomyGrpcService> _host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_version_imported_over_grpc_is_looked_up_over_grpc_and_rest()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = new TaxonomyService.TaxonomyServiceClient(_host.GrpcChannel());

        var released = await client.ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: ct);
        var overGrpc = await client.GetConceptAsync(new GetConceptRequest { Scheme = "isco08", Code = "7112" }, cancellationToken: ct);
        var overRest = await _host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/schemes/isco08/concepts/7112", ct);

        Assert.Equal((1, 12), (released.Version, released.ConceptCount));
        Assert.Equal(("711", 4, "Albañiles"), (overGrpc.ParentCode, overGrpc.Level, overGrpc.Labels["es"]));
        Assert.Equal("Bricklayers and related workers", overRest.GetProperty("labels").GetProperty("en").GetString());
        Assert.Equal(1, overRest.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_bad_import_over_rest_is_a_problem_listing_every_bad_row()
    {
        var ct = TestContext.Current.CancellationToken;
        var http = _host.CreateClient();
        var body = new
        {
            concepts = new object[]
            {
                new { code = "7", labels = new { en = "Craft" } },
                new { code = "71x", parentCode = "7", labels = new { en = "Bad" } },
                new { code = "72", parentCode = "8", labels = new { en = "Orphan" } },
            },
        };

        using var response = await http.PostAsJsonAsync("/api/v1/taxonomy/schemes/isco08/versions", body, ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToArray();
        Assert.Contains("concepts[1].code", fields);
        Assert.Contains("concepts[2].parent_code", fields);
        Assert.Contains("71x", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var schemes = await http.GetAsync("/api/v1/taxonomy/schemes", ct);
        Assert.Equal("{\"schemes\":[]}", await schemes.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Unknown_codes_are_not_found_over_grpc_and_rest()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = new TaxonomyService.TaxonomyServiceClient(_host.GrpcChannel());
        await client.ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: ct);

        var grpcError = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetConceptAsync(new GetConceptRequest { Scheme = "isco08", Code = "9999" }, cancellationToken: ct));
        using var rest = await _host.CreateClient().GetAsync("/api/v1/taxonomy/schemes/isco08/concepts/9999", ct);
        var problem = await rest.Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.Equal(StatusCode.NotFound, grpcError.StatusCode);
        Assert.Contains("9999", grpcError.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, rest.StatusCode);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("No concept '9999' in isco08 version 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_answers_and_grpc_reflection_lists_the_service()
    {
        var ct = TestContext.Current.CancellationToken;
        using var health = await _host.CreateClient().GetAsync("/health", ct);
        var reflection = new global::Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(_host.GrpcChannel());
        using var call = reflection.ServerReflectionInfo(cancellationToken: ct);
        await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = string.Empty }, ct);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(ct));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("lmis.taxonomy.v1.TaxonomyService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}
