using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;

namespace Lmis.Taxonomy.Tests.Occupations;

/// <summary>Occupation search for autocomplete, on a fresh install: the built-in ESCO job titles and ISCO-08 titles in es, en and fr.</summary>
public sealed class OccupationSearchApiTests : IAsyncLifetime
{
    private readonly ServiceHost<TaxonomyGrpcService> _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private TaxonomyService.TaxonomyServiceClient Client() => new(_host.GrpcChannel(TestCaller.Secretariat));

    [Theory]
    [InlineData("albañ", "es", "albañil", "7112", "Albañiles")]
    [InlineData("ALBANIL", "es", "albañil", "7112", "Albañiles")]
    [InlineData("aide-soig", "fr", "aide-soignant/aide-soignante", "5321", "Aides-soignants en institution")]
    [InlineData("truck dri", "en", "cargo vehicle driver", "8332", "Heavy truck and lorry drivers")]
    public async Task A_title_as_typed_finds_the_esco_occupation_and_its_isco08_unit_group_in_the_language_asked(
        string typed, string language, string escoTitle, string isco, string iscoTitle)
    {
        var found = await Client().SearchOccupationsAsync(new SearchOccupationsRequest { Q = typed, Language = language }, cancellationToken: Ct);

        var hit = Assert.Single(found.Hits, h => h.EscoTitle == escoTitle);
        Assert.Equal((isco, iscoTitle, language), (hit.IscoCode, hit.IscoTitle, hit.MatchedLanguage));
        Assert.StartsWith("http://data.europa.eu/esco/occupation/", hit.EscoUri, StringComparison.Ordinal);
        Assert.All(found.Hits, h => Assert.Equal(language, h.MatchedLanguage));
        Assert.InRange(found.Hits.Count, 1, 10);
    }

    [Fact]
    public async Task A_whole_title_ranks_above_titles_that_only_start_with_it_and_isco_group_titles_are_found_too_over_rest()
    {
        var found = await _host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/occupations?q=albanil&language=es&limit=50", Ct);
        var hits = found.GetProperty("hits").EnumerateArray().ToArray();

        Assert.Equal(("albañil", "7112"), (hits[0].GetProperty("matchedTitle").GetString(), hits[0].GetProperty("iscoCode").GetString()));
        Assert.Contains(hits, h => h.GetProperty("escoCode").GetString() == string.Empty && h.GetProperty("iscoTitle").GetString() == "Albañiles");
        Assert.Equal(hits.Select(h => h.GetProperty("score").GetInt32()).OrderDescending(), hits.Select(h => h.GetProperty("score").GetInt32()));
    }

    [Theory]
    [InlineData("", "es", 0, "q")]
    [InlineData("albañil", "de", 0, "language")]
    [InlineData("albañil", "es", 51, "limit")]
    public async Task A_search_without_a_title_in_another_language_or_for_too_many_is_refused_naming_the_field(string q, string language, int limit, string field)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client().SearchOccupationsAsync(new SearchOccupationsRequest { Q = q, Language = language, Limit = limit }, cancellationToken: Ct));
        using var rest = await _host.CreateClient().GetAsync($"/api/v1/taxonomy/occupations?q={Uri.EscapeDataString(q)}&language={language}&limit={limit}", Ct);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(field, Assert.Single(Refusals.FieldErrors(refused)).Field);
        Assert.Equal(HttpStatusCode.BadRequest, rest.StatusCode);
    }
}
