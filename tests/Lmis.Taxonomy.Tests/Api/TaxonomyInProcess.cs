using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;

namespace Lmis.Taxonomy.Tests.Api;

/// <summary>
/// The taxonomy service in process with more than the built-in versions already released — an ISCO-08 amendment
/// (version 2) and a skills list — so a refused import can be checked against stored versions of its own scheme
/// and of others.
/// </summary>
public sealed class TaxonomyInProcess : IAsyncLifetime
{
    public const string SkillsConcepts = "code,parent_code\nS1,\nS1.1,S1\n";
    public const string SkillsLabels = "code,language,kind,text\nS1,en,preferred,Construction skills\nS1.1,en,preferred,Laying bricks\nS1.1,es,preferred,Colocar ladrillos\n";

    public ServiceHost<TaxonomyGrpcService> Host { get; } = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public TaxonomyService.TaxonomyServiceClient Grpc() => new(Host.GrpcChannel(TestCaller.Secretariat));

    public HttpClient Rest() => Host.CreateClient(TestCaller.Secretariat);

    public async ValueTask InitializeAsync()
    {
        await Grpc().ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: Ct);
        await Grpc().ImportSchemeVersionCsvAsync(
            new ImportSchemeVersionCsvRequest { Scheme = "skills", ConceptsCsv = SkillsConcepts, LabelsCsv = SkillsLabels }, cancellationToken: Ct);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    /// <summary>Every stored version of every scheme, each with every concept as the API reads it back.</summary>
    public async Task<string> StoredAsync()
    {
        var stored = new List<string>();
        foreach (var scheme in (await Grpc().ListSchemesAsync(new ListSchemesRequest(), cancellationToken: Ct)).Schemes)
        {
            foreach (var version in (await Grpc().ListSchemeVersionsAsync(new ListSchemeVersionsRequest { Scheme = scheme.Scheme }, cancellationToken: Ct)).Versions)
            {
                stored.Add($"{scheme.Scheme} v{version.LatestVersion}: {version.ConceptCount} concepts, released {version.ReleasedAt}");
                var page = new ListConceptsResponse { NextPageToken = string.Empty };
                do
                {
                    page = await Grpc().ListConceptsAsync(
                        new ListConceptsRequest { Scheme = scheme.Scheme, Version = version.LatestVersion, PageSize = 1000, PageToken = page.NextPageToken },
                        cancellationToken: Ct);
                    stored.AddRange(page.Concepts.Select(c => c.ToString()));
                }
                while (page.NextPageToken.Length > 0);
            }
        }

        return string.Join("\n", stored);
    }

    /// <summary>The per-row errors of a refused gRPC call as google.rpc.BadRequest gives them: field, and "'value': reason" as the reason.</summary>
    public static FieldError[] Violations(RpcException refused) =>
        [.. Refusals.Violations(refused).Select(v => new FieldError(v.Field, null, v.Description))];

    /// <summary>The per-row errors of a refused gRPC call, field, value and reason apart (lmis.errors.v1.FieldErrors).</summary>
    public static IReadOnlyList<FieldError> FieldErrors(RpcException refused) => Refusals.FieldErrors(refused);

    /// <summary>The per-row errors of a REST problem: field, value and reason.</summary>
    public static IReadOnlyList<FieldError> Errors(JsonElement problem) => Refusals.ProblemErrors(problem);

    public async Task<(HttpStatusCode Status, string? MediaType, JsonElement Body)> PostCsvAsync(string scheme, object body)
    {
        using var response = await Rest().PostAsJsonAsync($"/api/v1/taxonomy/schemes/{scheme}/versions:csv", body, Ct);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }
}
