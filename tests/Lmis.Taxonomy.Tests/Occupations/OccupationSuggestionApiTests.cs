using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;

namespace Lmis.Taxonomy.Tests.Occupations;

/// <summary>
/// ISCO-08 unit groups suggested for a vacancy's job title on a fresh install, from the built-in ESCO and ISCO-08
/// titles in es, en and fr: what a public employment service codes a vacancy with, or checks a given code against.
/// </summary>
public sealed class OccupationSuggestionApiTests : IAsyncLifetime
{
    private readonly ServiceHost<TaxonomyGrpcService> _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private TaxonomyService.TaxonomyServiceClient Client() => new(_host.GrpcChannel(TestCaller.Secretariat));

    private async Task<IReadOnlyList<OccupationSuggestion>> SuggestAsync(string title, string language = "", string description = "", int limit = 0) =>
        (await Client().SuggestOccupationCodesAsync(
            new SuggestOccupationCodesRequest { Title = title, Language = language, Description = description, Limit = limit }, cancellationToken: Ct)).Suggestions;

    [Theory]
    [InlineData("albañil", "es", "7112")]
    [InlineData("Albañiles", "es", "7112")]
    [InlineData("aide-soignante", "fr", "5321")]
    [InlineData("aides-soignants", "fr", "5321")]
    [InlineData("truck driver", "en", "8332")]
    [InlineData("truck drivers", "en", "8332")]
    [InlineData("electricista", "es", "7411")]
    [InlineData("maçon", "fr", "7112")]
    public async Task A_job_title_as_employers_write_it_is_coded_to_its_isco08_unit_group_first(string title, string language, string unitGroup)
    {
        var suggestions = await SuggestAsync(title, language);

        Assert.Equal(unitGroup, suggestions[0].IscoCode);
        Assert.Equal(language, suggestions[0].MatchedLanguage);
    }

    [Theory]
    [InlineData("directora técnica", "director técnico", "es")]
    [InlineData("enfermera", "enfermero", "es")]
    [InlineData("vendeuse", "vendeur", "fr")]
    [InlineData("conductrice de bus", "conducteur de bus", "fr")]
    public async Task A_feminine_title_is_coded_like_its_masculine_form(string feminine, string masculine, string language)
    {
        var forFeminine = await SuggestAsync(feminine, language, limit: 3);
        var forMasculine = await SuggestAsync(masculine, language, limit: 3);

        Assert.Equal(forMasculine.Select(s => s.IscoCode), forFeminine.Select(s => s.IscoCode));
        Assert.NotEmpty(forFeminine);
    }

    [Fact]
    public async Task A_nurse_in_spanish_is_placed_among_the_nursing_professionals_and_a_specialist_nurse_first()
    {
        // ESCO titles its phlebotomist (5329) "enfermero/enfermera" in Spanish, so a bare "enfermera" is not coded first to nursing.
        var nurse = await SuggestAsync("enfermera", "es", limit: 3);
        var specialist = await SuggestAsync("enfermera especialista", "es", limit: 3);

        Assert.Contains(nurse.Select(s => s.IscoCode), c => c is "2221" or "3221");
        Assert.Equal("2221", specialist[0].IscoCode);
    }

    [Theory]
    [InlineData("electrisista", "es", "7411")]
    [InlineData("albanil", "es", "7112")]
    [InlineData("truck drivr", "en", "8332")]
    [InlineData("aide soignnte", "fr", "5321")]
    public async Task A_title_with_a_typo_or_without_its_accents_is_still_coded(string title, string language, string unitGroup)
    {
        var suggestions = await SuggestAsync(title, language, limit: 3);

        Assert.Contains(unitGroup, suggestions.Select(s => s.IscoCode));
    }

    [Fact]
    public async Task A_description_moves_an_ambiguous_title_towards_the_group_it_describes()
    {
        var titleOnly = await SuggestAsync("operador", "es", limit: 20);
        var described = await SuggestAsync("operador", "es", "Manejo de carretillas elevadoras en el almacén: carga y descarga de camiones.", limit: 20);

        Assert.Equal("8344", described[0].IscoCode);
        Assert.NotEqual("8344", titleOnly[0].IscoCode);
    }

    [Theory]
    [InlineData("albañil", "es")]
    [InlineData("assistant", "en")]
    [InlineData("responsable", "fr")]
    [InlineData("ingeniero de software senior", "")]
    public async Task Suggestions_are_distinct_isco08_unit_groups_scored_from_0_to_1_best_first(string title, string language)
    {
        var suggestions = await SuggestAsync(title, language, limit: 20);

        Assert.InRange(suggestions.Count, 1, 20);
        Assert.Equal(suggestions.Select(s => s.Score).OrderDescending(), suggestions.Select(s => s.Score));
        Assert.All(suggestions, s => Assert.InRange(s.Score, 0, 1));
        Assert.Equal(suggestions.Count, suggestions.Select(s => s.IscoCode).Distinct().Count());
        foreach (var suggestion in suggestions)
        {
            var concept = await Client().GetConceptAsync(new GetConceptRequest { Scheme = "isco08", Code = suggestion.IscoCode }, cancellationToken: Ct);
            Assert.Equal((4, 4), (suggestion.IscoCode.Length, concept.Level));
            Assert.Equal(concept.Labels[language.Length == 0 ? "en" : language], suggestion.IscoTitle);
        }
    }

    [Fact]
    public async Task An_unambiguous_title_scores_higher_than_one_many_groups_share()
    {
        var exact = await SuggestAsync("albañil", "es");
        var shared = await SuggestAsync("assistant", "en");

        Assert.True(exact[0].Score > shared[0].Score, $"albañil {exact[0].Score}, assistant {shared[0].Score}");
    }

    [Fact]
    public async Task Without_a_language_every_language_is_searched_and_the_match_says_which()
    {
        var spanish = await SuggestAsync("albañil");
        var english = await SuggestAsync("bricklayer");

        Assert.Equal(("7112", "es", "Bricklayers and related workers"), (spanish[0].IscoCode, spanish[0].MatchedLanguage, spanish[0].IscoTitle));
        Assert.Equal(("7112", "en"), (english[0].IscoCode, english[0].MatchedLanguage));
        Assert.NotEmpty(spanish[0].EscoCode);
        Assert.NotEmpty(spanish[0].EscoTitle);
    }

    [Fact]
    public async Task A_title_a_new_isco08_version_brings_is_suggested_as_soon_as_it_is_released()
    {
        var before = await SuggestAsync("tabiquero", "es");
        await Client().ImportSchemeVersionAsync(
            new ImportSchemeVersionRequest
            {
                Scheme = "isco08",
                Amend = true,
                Concepts =
                {
                    new ConceptInput
                    {
                        Code = "7112",
                        ParentCode = "711",
                        Labels = { ["en"] = "Bricklayers and related workers", ["es"] = "Albañiles y tabiqueros", ["fr"] = "Maçons" },
                    },
                },
            },
            cancellationToken: Ct);
        var after = await SuggestAsync("tabiquero", "es");

        Assert.DoesNotContain(before, s => s.IscoCode == "7112");
        Assert.Equal(("7112", "Albañiles y tabiqueros", ""), (after[0].IscoCode, after[0].MatchedTitle, after[0].EscoCode));
    }

    [Fact]
    public async Task A_title_sharing_no_word_with_any_built_in_title_gets_no_suggestion()
    {
        Assert.Empty(await SuggestAsync("qxzv wplkj", "en"));
    }

    [Fact]
    public async Task At_most_the_limit_asked_and_five_by_default()
    {
        Assert.Equal(5, (await SuggestAsync("assistant", "en")).Count);
        Assert.Equal(2, (await SuggestAsync("assistant", "en", limit: 2)).Count);
    }

    [Fact]
    public async Task Rest_clients_ask_with_a_query_string_or_a_json_body_and_get_the_same_suggestions()
    {
        using var http = _host.CreateClient();
        var byGet = await http.GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/occupations:suggest?title=aide-soignante&language=fr&limit=3", Ct);
        using var posted = await http.PostAsJsonAsync(
            "/api/v1/taxonomy/occupations:suggest", new { title = "aide-soignante", language = "fr", limit = 3, description = "Soins d'hygiène et de confort aux patients." }, Ct);
        var byPost = await posted.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        foreach (var answer in new[] { byGet, byPost })
        {
            var first = answer.GetProperty("suggestions")[0];
            Assert.Equal(("5321", "fr"), (first.GetProperty("iscoCode").GetString(), first.GetProperty("matchedLanguage").GetString()));
            Assert.InRange(first.GetProperty("score").GetDouble(), 0, 1);
            Assert.False(string.IsNullOrEmpty(first.GetProperty("matchedTitle").GetString()));
        }
    }

    public static TheoryData<string, string, string, int, string> Refused() => new()
    {
        { "", "", "es", 0, "title" },
        { "   ", "", "es", 0, "title" },
        { new string('a', 301), "", "es", 0, "title" },
        { "albañil", new string('a', 20_001), "es", 0, "description" },
        { "albañil", "", "de", 0, "language" },
        { "albañil", "", "es", 21, "limit" },
        { "albañil", "", "es", -1, "limit" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_request_without_a_title_too_long_in_another_language_or_for_too_many_is_refused_naming_the_field(
        string title, string description, string language, int limit, string field)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => SuggestAsync(title, language, description, limit));
        using var rest = await _host.CreateClient().PostAsJsonAsync(
            "/api/v1/taxonomy/occupations:suggest", new { title, description, language, limit }, Ct);
        var problem = await rest.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(field, Assert.Single(Refusals.FieldErrors(refused)).Field);
        Assert.Equal(HttpStatusCode.BadRequest, rest.StatusCode);
        Assert.Equal(field, Assert.Single(Refusals.ProblemErrors(problem)).Field);
    }

    [Fact]
    public async Task Every_refusal_of_one_request_is_named_at_once()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => SuggestAsync("", "pt", new string('a', 20_001), 99));

        Assert.Equal(["title", "description", "language", "limit"], Refusals.FieldErrors(refused).Select(e => e.Field));
    }
}
