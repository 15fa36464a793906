using Lmis.Testing;

namespace Lmis.EndToEnd.Tests.Cli;

/// <summary><c>lmis vacancies check</c>: the server's rules applied to a whole feed, and nothing stored.</summary>
[Collection(LmisCommandCollection.Name)]
public sealed class VacanciesCheckCommandTests(StandaloneStack stack) : IDisposable
{
    private readonly TempDirectory _files = new("lmis-checks");

    [Fact]
    public async Task A_check_reports_the_rows_that_would_be_refused_and_stores_nothing()
    {
        var word = VacancyFeedFiles.NewBatchWord();
        var feed = Path.Combine(_files.Path, "tomorrow.csv");
        VacancyFeedFiles.WriteCsv(feed, word, 50, unknownOccupation: new HashSet<int> { 4, 30 }, notANumber: new HashSet<int> { 12 });
        var lmis = new LmisCommand(Path.Combine(_files.Path, "config"));

        var run = await lmis.RunAsync(await stack.PublisherKeyAsync("MEX"), "vacancies", "check", feed, "--batch", "20", "--output", "json", "--server", stack.GrpcUrl);

        Assert.True(run.ExitCode == 1, run.All);
        var summary = run.Summary();
        Assert.Equal((50, 47, 3), (summary.GetProperty("rows").GetInt32(), summary.GetProperty("valid").GetInt32(), summary.GetProperty("refused").GetInt32()));
        Assert.False(summary.TryGetProperty("created", out _));
        var report = VacancyFeedFiles.ReadReport(feed + ".errors.csv");
        Assert.Equal(["14", "32", "6"], report.Select(r => r["line"]).Order());
        Assert.Contains("lmis: 50 rows: 49 sent, 47 valid, 3 refused", run.Errors, StringComparison.Ordinal);
        Assert.Empty(await VacancyFeedFiles.StoredAsync(stack, word));
        Assert.Null(await VacancyFeedFiles.GetAsync(stack, VacancyFeedFiles.SourceId(word, 0)));
        Assert.False(File.Exists(feed + ".lmis-progress"), "a check keeps no checkpoint");
    }

    public void Dispose() => _files.Dispose();
}
