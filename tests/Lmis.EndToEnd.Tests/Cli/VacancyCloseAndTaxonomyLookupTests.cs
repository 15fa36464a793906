using System.Text.Json;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests.Cli;

/// <summary>The small commands a data team uses between feeds: closing one vacancy, looking a code or a label up.</summary>
[Collection(LmisCommandCollection.Name)]
public sealed class VacancyCloseAndTaxonomyLookupTests(StandaloneStack stack) : IDisposable
{
    private readonly TempDirectory _files = new("lmis-small");

    private LmisCommand Lmis => new(Path.Combine(_files.Path, "config"));

    [Fact]
    public async Task A_vacancy_is_closed_as_filled_and_one_never_published_is_refused()
    {
        var word = VacancyFeedFiles.NewBatchWord();
        var feed = Path.Combine(_files.Path, "one.csv");
        VacancyFeedFiles.WriteCsv(feed, word, 1);
        var key = await stack.PublisherKeyAsync("MEX");
        var published = await Lmis.RunAsync(key, "vacancies", "publish", feed, "--server", stack.GrpcUrl);

        var closed = await Lmis.RunAsync(key, "vacancies", "close", "MEX", VacancyFeedFiles.SourceId(word, 0), "--reason", "filled", "--server", stack.GrpcUrl);
        var unknown = await Lmis.RunAsync(key, "vacancies", "close", "MEX", word + "-never", "--reason", "filled", "--server", stack.GrpcUrl);
        var badReason = await Lmis.RunAsync(key, "vacancies", "close", "MEX", VacancyFeedFiles.SourceId(word, 0), "--reason", "expired", "--server", stack.GrpcUrl);

        Assert.True(published.ExitCode == 0, published.All);
        Assert.True(closed.ExitCode == 0, closed.All);
        Assert.Contains("closed as filled (version 2)", closed.Output, StringComparison.Ordinal);
        Assert.Equal("filled", (await VacancyFeedFiles.GetAsync(stack, VacancyFeedFiles.SourceId(word, 0)))?.Status);
        Assert.True(unknown.ExitCode == 1, unknown.All);
        Assert.True(badReason.ExitCode == 2, badReason.All);
    }

    [Fact]
    public async Task A_code_is_looked_up_and_a_label_searched_without_a_key()
    {
        var lookup = await Lmis.RunAsync(null, "taxonomy", "lookup", "isco08", "7112", "--output", "json", "--server", stack.GrpcUrl);
        var search = await Lmis.RunAsync(null, "taxonomy", "search", "albanil", "--scheme", "isco08", "--output", "csv", "--server", stack.GrpcUrl);
        var missing = await Lmis.RunAsync(null, "taxonomy", "lookup", "isco08", "99999", "--server", stack.GrpcUrl);

        Assert.True(lookup.ExitCode == 0, lookup.All);
        var concept = JsonDocument.Parse(lookup.Output).RootElement;
        Assert.Equal(("711", "Albañiles"), (concept.GetProperty("parentCode").GetString(), concept.GetProperty("labels").GetProperty("es").GetString()));
        Assert.True(search.ExitCode == 0, search.All);
        Assert.Equal("scheme,code,language,label,score", search.Output.Split('\n')[0].Trim());
        Assert.Contains("isco08,7112,es,Albañiles,", search.Output, StringComparison.Ordinal);
        Assert.True(missing.ExitCode == 1, missing.All);
        Assert.Contains("99999", missing.Errors, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();
}
