using System.Net.Http.Json;
using System.Text.Json;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// Coding occupations from job titles, across the processes behind the gateway: the taxonomy suggests ISCO-08 unit
/// groups for a title (REST and gRPC), and the vacancies service asks it to code a vacancy sent without a code, or to
/// warn about one whose title reads as another group — never changing what a ministry sent.
/// </summary>
[Collection(DistributedStackCollection.Name)]
public sealed class OccupationCodingTests(DistributedStack stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("albañil", "es", "7112")]
    [InlineData("aide-soignante", "fr", "5321")]
    [InlineData("truck driver", "en", "8332")]
    public async Task A_job_title_gets_its_isco08_unit_group_suggested_through_the_gateway_over_rest_and_grpc(string title, string language, string expected)
    {
        stack.RequireRunning();
        using var http = stack.Http();
        using var channel = stack.Grpc();
        var taxonomy = new TaxonomyService.TaxonomyServiceClient(channel);

        var byGet = await http.GetFromJsonAsync<JsonElement>($"/api/v1/taxonomy/occupations:suggest?title={Uri.EscapeDataString(title)}&language={language}", Ct);
        using var posted = await http.PostAsJsonAsync("/api/v1/taxonomy/occupations:suggest", new { title, language, limit = 3 }, Ct);
        var byPost = await posted.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var byGrpc = await taxonomy.SuggestOccupationCodesAsync(new SuggestOccupationCodesRequest { Title = title, Language = language }, cancellationToken: Ct);

        var best = byGet.GetProperty("suggestions")[0];
        Assert.Equal(expected, best.GetProperty("iscoCode").GetString());
        Assert.InRange(best.GetProperty("score").GetDouble(), 0.0, 1.0);
        Assert.Equal(language, best.GetProperty("matchedLanguage").GetString());
        Assert.True(posted.IsSuccessStatusCode, byPost.ToString());
        Assert.Equal(expected, byPost.GetProperty("suggestions")[0].GetProperty("iscoCode").GetString());
        Assert.InRange(byPost.GetProperty("suggestions").GetArrayLength(), 1, 3);
        Assert.Equal(expected, byGrpc.Suggestions[0].IscoCode);
    }

    [Fact]
    public async Task A_vacancy_sent_without_a_code_is_coded_by_machine_and_one_whose_title_reads_otherwise_is_kept_with_a_warning()
    {
        stack.RequireRunning();
        using var http = stack.Http(await stack.PublisherKeyAsync("MEX"));
        var run = Guid.NewGuid().ToString("N")[..10];

        using var uncoded = await http.PostAsJsonAsync("/api/v1/vacancies",
            new { country = "MEX", sourceId = $"SNE-{run}-1", title = "Albañil", language = "es", suggestOccupationCode = true, positions = 4 }, Ct);
        var machineAnswer = await uncoded.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var miscoded = await http.PostAsJsonAsync("/api/v1/vacancies",
            new { country = "MEX", sourceId = $"SNE-{run}-2", title = "Albañil", language = "es", occupationCode = "2221", positions = 1 }, Ct);
        var warnedAnswer = await miscoded.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var machineCoded = await http.GetFromJsonAsync<JsonElement>($"/api/v1/vacancies/MEX/SNE-{run}-1", Ct);
        var kept = await http.GetFromJsonAsync<JsonElement>($"/api/v1/vacancies/MEX/SNE-{run}-2", Ct);

        Assert.True(uncoded.IsSuccessStatusCode, machineAnswer + stack.Output());
        Assert.Equal("PUBLISH_OUTCOME_CREATED", machineAnswer.GetProperty("outcome").GetString());
        var coded = Assert.Single(machineAnswer.GetProperty("warnings").EnumerateArray());
        Assert.Equal(("occupation_code", "7112"), (coded.GetProperty("field").GetString(), coded.GetProperty("value").GetString()));
        Assert.Equal(("7112", "machine"), (machineCoded.GetProperty("occupationCode").GetString(), machineCoded.GetProperty("occupationCoding").GetString()));

        Assert.True(miscoded.IsSuccessStatusCode, warnedAnswer + stack.Output());
        var warning = Assert.Single(warnedAnswer.GetProperty("warnings").EnumerateArray());
        Assert.Equal(("occupation_code", "2221"), (warning.GetProperty("field").GetString(), warning.GetProperty("value").GetString()));
        Assert.Contains("7112", warning.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(("2221", "publisher"), (kept.GetProperty("occupationCode").GetString(), kept.GetProperty("occupationCoding").GetString()));
    }
}
