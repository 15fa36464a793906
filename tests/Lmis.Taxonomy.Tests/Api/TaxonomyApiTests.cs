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

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private TaxonomyService.TaxonomyServiceClient Client() => new(_host.GrpcChannel(TestCaller.Secretariat));

    [Fact]
    public async Task A_fresh_install_has_all_of_isco08_the_esco_occupations_the_isic_sections_and_isced_levels_in_english_spanish_and_french()
    {
        var schemes = await Client().ListSchemesAsync(new ListSchemesRequest(), cancellationToken: Ct);
        var isco = await Client().ListConceptsAsync(new ListConceptsRequest { Scheme = "isco08", PageSize = 1000 }, cancellationToken: Ct);
        var armedForces = await Client().GetConceptAsync(new GetConceptRequest { Scheme = "isco08", Code = "0" }, cancellationToken: Ct);
        var health = await Client().GetConceptAsync(new GetConceptRequest { Scheme = "isco08", Code = "22" }, cancellationToken: Ct);
        var agriculture = await Client().GetConceptAsync(new GetConceptRequest { Scheme = "isic4", Code = "A" }, cancellationToken: Ct);

        Assert.Equal([("esco", 1, 2942), ("isced2011", 1, 9), ("isco08", 1, 619), ("isic4", 1, 21)], schemes.Schemes.Select(s => (s.Scheme, s.LatestVersion, s.ConceptCount)));
        Assert.Equal([10, 43, 130, 436], Enumerable.Range(1, 4).Select(level => isco.Concepts.Count(c => c.Level == level)));
        Assert.All(isco.Concepts, c => Assert.Equal(["en", "es", "fr"], c.Labels.Keys.Order()));
        Assert.All(isco.Concepts, c => Assert.Equal(c.Code.Length, c.Level));
        Assert.Equal("Armed forces occupations", armedForces.Labels["en"]);
        Assert.Equal(["01", "02", "03"], armedForces.Children);
        Assert.Equal(("Health professionals", "Profesionales de la salud"), (health.Labels["en"], health.Labels["es"]));
        Assert.Equal(("Agriculture, forestry and fishing", "Agricultura, ganadería, silvicultura y pesca"), (agriculture.Labels["en"], agriculture.Labels["es"]));
    }

    [Theory]
    [InlineData("7", 1, "Craft and related trades workers", "Oficiales, operarios y artesanos de artes mecánicas y de otros oficios", "Métiers qualifiés de l'industrie et de l'artisanat")]
    [InlineData("71", 2, "Building and related trades workers, excluding electricians", "Oficiales y operarios de la construcción excluyendo electricistas", "Métiers qualifiés du bâtiment et assimilés, sauf électriciens")]
    [InlineData("711", 3, "Building frame and related trades workers", "Oficiales y operarios de la construcción (obra gruesa) y afines", "Métiers qualifiés du bâtiment (gros œuvre) et assimilés")]
    [InlineData("7112", 4, "Bricklayers and related workers", "Albañiles", "Maçons")]
    [InlineData("9211", 4, "Crop farm labourers", "Peones de explotaciones agrícolas", "Manœuvres de l'agriculture")]
    public async Task A_code_of_every_isco08_level_looks_up_on_a_fresh_install_over_grpc_and_rest(string code, int level, string en, string es, string fr)
    {
        var overGrpc = await Client().GetConceptAsync(new GetConceptRequest { Scheme = "isco08", Code = code }, cancellationToken: Ct);
        var overRest = await _host.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/taxonomy/schemes/isco08/concepts/{code}", Ct);

        Assert.Equal((level, en, es, fr), (overGrpc.Level, overGrpc.Labels["en"], overGrpc.Labels["es"], overGrpc.Labels["fr"]));
        Assert.Equal(es, overRest.GetProperty("labels").GetProperty("es").GetString());
    }

    [Fact]
    public async Task An_esco_occupation_is_built_in_with_its_job_titles_and_its_isco08_unit_group()
    {
        var bricklayer = await Client().GetConceptAsync(new GetConceptRequest { Scheme = "esco", Code = "05f321f8-055b-407d-bf19-e0ddabda56b7" }, cancellationToken: Ct);
        var group = await Client().TranslateAsync(new TranslateRequest { FromScheme = "esco", Code = bricklayer.Code, ToScheme = "isco08" }, cancellationToken: Ct);
        var occupations = await Client().TranslateAsync(new TranslateRequest { FromScheme = "isco08", Code = "7112", ToScheme = "esco" }, cancellationToken: Ct);

        Assert.Equal("bricklayer", bricklayer.Labels["en"]);
        Assert.Equal("albañil", bricklayer.Labels["es"]);
        Assert.Contains("specialist brick layer", bricklayer.AlternativeLabels["en"].Values);
        Assert.Equal("http://data.europa.eu/esco/occupation/" + bricklayer.Code, Assert.Single(bricklayer.Attributes, a => a.Name == "uri").Value);
        Assert.Equal(("7112", "narrower"), (Assert.Single(group.Targets).Concept.Code, group.Targets[0].Relation));
        Assert.Contains(occupations.Targets, t => t.Concept.Code == bricklayer.Code && t.Relation == "broader");
    }

    [Fact]
    public async Task An_amendment_over_grpc_retitles_unit_groups_looked_up_over_grpc_and_rest()
    {
        var released = await Client().ImportSchemeVersionAsync(IscoSample.ImportRequest(IscoSample.Concepts.Select(c => c with { Es = c.Es + " (CIUO-08)" })), cancellationToken: Ct);
        var overGrpc = await Client().GetConceptAsync(new GetConceptRequest { Scheme = "isco08", Code = "7112" }, cancellationToken: Ct);
        var overRest = await _host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/schemes/isco08/concepts/7112", Ct);
        var diff = await _host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/schemes/isco08/diff", Ct);

        Assert.Equal((2, 619, 0, 6), (released.Version, released.ConceptCount, released.Added, released.Changed));
        Assert.Equal(("711", 4, "Albañiles (CIUO-08)"), (overGrpc.ParentCode, overGrpc.Level, overGrpc.Labels["es"]));
        Assert.Equal("Bricklayers and related workers", overRest.GetProperty("labels").GetProperty("en").GetString());
        Assert.Equal(2, overRest.GetProperty("version").GetInt32());
        Assert.Equal((1, 2, 0, 6), (diff.GetProperty("fromVersion").GetInt32(), diff.GetProperty("toVersion").GetInt32(),
            diff.GetProperty("added").GetArrayLength(), diff.GetProperty("changed").GetArrayLength()));
    }

    [Fact]
    public async Task A_csv_import_over_rest_is_released_or_refused_with_every_bad_row()
    {
        var http = _host.CreateClient(TestCaller.Secretariat);
        var bad = new
        {
            amend = true,
            conceptsCsv = "code,parent_code\n711,71\n7112,711\n71x,7\n7999,799\n",
            labelsCsv = "code,language,kind,text\n711,en,preferred,Building frame workers\n7112,es,preferred,Albañiles\n",
            relationsCsv = "code,relation,target_scheme,target_code\n7112,exact,soc2010,47-2021\n",
        };

        using var rejected = await http.PostAsJsonAsync("/api/v1/taxonomy/schemes/isco08/versions:csv", bad, Ct);
        var problem = await rejected.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var accepted = await http.PostAsJsonAsync("/api/v1/taxonomy/schemes/isco08/versions:csv", new
        {
            amend = true,
            conceptsCsv = "code,parent_code\n711,71\n7112,711\n",
            labelsCsv = bad.labelsCsv,
        }, Ct);
        var released = await accepted.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        var fields = Refusals.ProblemErrors(problem).Select(e => e.Field).ToArray();
        Assert.Contains("concepts.csv:4:code", fields);
        Assert.Contains("concepts.csv:5:parent_code", fields);
        Assert.Contains("relations.csv:2:target_scheme", fields);
        Assert.True(accepted.IsSuccessStatusCode, released.ToString());
        Assert.Equal(2, released.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Spanish_labels_are_searched_without_accents_over_rest()
    {
        await Client().ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: Ct);

        var result = await _host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/search?q=albanil&language=es&scheme=isco08", Ct);
        var top = result.GetProperty("hits")[0];

        Assert.Equal("7112", top.GetProperty("concept").GetProperty("code").GetString());
        Assert.Equal("Albañiles", top.GetProperty("matchedLabel").GetString());
    }

    [Fact]
    public async Task Pathways_are_searched_by_corridor_over_rest()
    {
        await Client().ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: Ct);
        var pathway = new ConceptInput { Code = "can-sawp", Labels = { ["en"] = "Seasonal Agricultural Worker Program", ["es"] = "Programa de Trabajadores Agrícolas Temporales" } };
        foreach (var (name, value) in new[]
        {
            ("type", "seasonal_worker_scheme"), ("origin", "MEX"), ("origin", "JAM"), ("destination", "CAN"), ("sector", "A"),
            ("occupation", "611"), ("valid_from", "1974-01-01"), ("status", "in_force"), ("source_document", "ESDC: Seasonal Agricultural Worker Program"),
        })
        {
            pathway.Attributes.Add(new Contracts.Taxonomy.V1.Attribute { Name = name, Value = value });
        }

        await Client().ImportSchemeVersionAsync(new ImportSchemeVersionRequest { Scheme = "pathways", Concepts = { pathway } }, cancellationToken: Ct);
        var found = await _host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/pathways?origin=MX&destination=CAN&occupation=6111", Ct);
        var none = await _host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/pathways?origin=GTM&destination=CAN", Ct);

        var only = Assert.Single(found.GetProperty("pathways").EnumerateArray());
        Assert.Equal(("can-sawp", "seasonal_worker_scheme", "Programa de Trabajadores Agrícolas Temporales"),
            (only.GetProperty("id").GetString(), only.GetProperty("type").GetString(), only.GetProperty("names").GetProperty("es").GetString()));
        Assert.Equal(0, none.GetProperty("pathways").GetArrayLength());
    }

    [Fact]
    public async Task Unknown_codes_are_not_found_over_grpc_and_rest()
    {
        var grpcError = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client().GetConceptAsync(new GetConceptRequest { Scheme = "isco08", Code = "9999" }, cancellationToken: Ct));
        using var rest = await _host.CreateClient().GetAsync("/api/v1/taxonomy/schemes/isco08/concepts/9999", Ct);
        var problem = await rest.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(StatusCode.NotFound, grpcError.StatusCode);
        Assert.Contains("9999", grpcError.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, rest.StatusCode);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("No concept '9999' in isco08 version 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_answers_and_grpc_reflection_lists_the_service()
    {
        using var health = await _host.CreateClient().GetAsync("/health", Ct);
        var reflection = new global::Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(_host.GrpcChannel());
        using var call = reflection.ServerReflectionInfo(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = string.Empty }, Ct);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("lmis.taxonomy.v1.TaxonomyService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}
