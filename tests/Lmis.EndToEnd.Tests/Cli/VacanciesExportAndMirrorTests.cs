using System.Diagnostics;
using System.Text.Json;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests.Cli;

/// <summary>
/// Taking vacancies out with <c>lmis</c>: an export in the feed format, and a mirror kept in files from the change
/// feed, as the secretariat or a partner system keeps one.
/// </summary>
[Collection(LmisCommandCollection.Name)]
public sealed class VacanciesExportAndMirrorTests(StandaloneStack stack) : IDisposable
{
    private readonly TempDirectory _files = new("lmis-out");

    private LmisCommand Lmis => new(Path.Combine(_files.Path, "config"));

    [Fact]
    public async Task An_export_holds_the_vacancies_found_and_published_back_changes_nothing()
    {
        var word = VacancyFeedFiles.NewBatchWord();
        var key = await PublishAsync(word, 30);
        var export = Path.Combine(_files.Path, "export.csv");

        var toFile = await Lmis.RunAsync(null, "vacancies", "export", "--country", "MEX", "--text", word, "--file", export, "--server", stack.GrpcUrl);
        var toOutput = await Lmis.RunAsync(null, "vacancies", "export", "--country", "MEX", "--text", word, "--occupation", "71", "--server", stack.GrpcUrl);
        var refused = await Lmis.RunAsync(null, "vacancies", "export", "--country", "ZZZ", "--server", stack.GrpcUrl);
        var back = await Lmis.RunAsync(key, "vacancies", "publish", export, "--output", "json", "--server", stack.GrpcUrl);

        Assert.True(toFile.ExitCode == 0, toFile.All);
        Assert.Contains("lmis: 30 vacancies exported to " + export, toFile.Errors, StringComparison.Ordinal);
        var rows = VacancyFeedFiles.ReadReport(export);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => VacancyFeedFiles.SourceId(word, i)).Order(), rows.Select(r => r["source_id"]).Order());
        Assert.All(rows, r => Assert.Equal(("7112", "open"), (r["occupation_code"], r["status"])));
        Assert.False(File.Exists(export + ".partial"));
        Assert.True(toOutput.ExitCode == 0, toOutput.All);
        Assert.Equal(await File.ReadAllTextAsync(export, TestContext.Current.CancellationToken), toOutput.Output);
        Assert.True(refused.ExitCode == 1, refused.All);
        Assert.Contains("'ZZZ': not a member state", refused.Errors, StringComparison.Ordinal);
        Assert.True(back.ExitCode == 0, back.All);
        Assert.Equal((30, 0, 0), (back.Summary().GetProperty("unchanged").GetInt32(), back.Summary().GetProperty("created").GetInt32(), back.Summary().GetProperty("updated").GetInt32()));
    }

    [Fact]
    public async Task A_mirror_run_again_appends_only_the_changes_since_its_cursor()
    {
        var mirror = Path.Combine(_files.Path, "mirror");
        await PublishAsync(VacancyFeedFiles.NewBatchWord(), 5);

        var first = await MirrorAsync(mirror);
        var snapshotLines = Lines(mirror, "snapshot.jsonl");
        var word = VacancyFeedFiles.NewBatchWord();
        var key = await PublishAsync(word, 20);
        var closed = await Lmis.RunAsync(key, "vacancies", "close", "MEX", VacancyFeedFiles.SourceId(word, 7), "--reason", "withdrawn", "--server", stack.GrpcUrl);
        var second = await MirrorAsync(mirror);
        var changes = Lines(mirror, "changes.jsonl");
        var third = await MirrorAsync(mirror);

        Assert.True(first.ExitCode == 0, first.All);
        Assert.True(snapshotLines.Count >= 5, $"the snapshot holds {snapshotLines.Count} vacancies");
        Assert.Equal(snapshotLines.Count, first.Summary().GetProperty("snapshot").GetInt32());
        Assert.Equal(0, first.Summary().GetProperty("changes").GetInt32());
        Assert.True(closed.ExitCode == 0, closed.All);
        Assert.True(second.ExitCode == 0, second.All);
        // Each vacancy once, as it is now: the one closed after being published comes as a removal.
        Assert.Equal((20, 1), (second.Summary().GetProperty("changes").GetInt32(), second.Summary().GetProperty("removed").GetInt32()));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => VacancyFeedFiles.SourceId(word, i)).Order(), changes.Select(c => c.GetProperty("vacancy").GetProperty("sourceId").GetString()).Order());
        Assert.True(Assert.Single(changes, c => c.TryGetProperty("removed", out _)).GetProperty("vacancy").GetProperty("sourceId").GetString() == VacancyFeedFiles.SourceId(word, 7));
        var cursors = changes.Select(c => long.Parse(c.GetProperty("cursor").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(cursors.Order(), cursors);
        Assert.True(cursors[0] > first.Summary().GetProperty("cursor").GetInt64(), "the changes come after the snapshot's cursor");
        Assert.Equal(cursors[^1], second.Summary().GetProperty("cursor").GetInt64());
        Assert.Equal(cursors[^1], SavedCursor(mirror));
        Assert.True(third.ExitCode == 0, third.All);
        Assert.Equal(0, third.Summary().GetProperty("changes").GetInt32());
        Assert.Equal(20, Lines(mirror, "changes.jsonl").Count);
    }

    [Fact]
    public async Task A_mirror_stopped_while_writing_a_change_receives_that_change_again_and_no_other()
    {
        var mirror = Path.Combine(_files.Path, "torn");
        Assert.Equal(0, (await MirrorAsync(mirror)).ExitCode);
        var before = SavedCursor(mirror);
        var word = VacancyFeedFiles.NewBatchWord();
        await PublishAsync(word, 6);
        // Other tests of the shared host may publish for Mexico meanwhile: this test's own vacancies are counted.
        Assert.True((await MirrorAsync(mirror)).Summary().GetProperty("changes").GetInt32() >= 6);
        // As a machine stopped between writing half of the last change and saving the cursor would leave it.
        var changes = Path.Combine(mirror, "changes.jsonl");
        var text = await File.ReadAllTextAsync(changes, TestContext.Current.CancellationToken);
        var lastLine = text.TrimEnd('\n').LastIndexOf('\n') + 1;
        await File.WriteAllTextAsync(changes, text[..(lastLine + 40)], TestContext.Current.CancellationToken);
        var state = Path.Combine(mirror, "mirror.json");
        await File.WriteAllTextAsync(state, (await File.ReadAllTextAsync(state, TestContext.Current.CancellationToken))
            .Replace($"\"cursor\": {SavedCursor(mirror)}", $"\"cursor\": {before}", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var again = await MirrorAsync(mirror);

        Assert.True(again.ExitCode == 0, again.All);
        Assert.True(again.Summary().GetProperty("changes").GetInt32() >= 1, again.All);
        // Every line whole, none twice, none missing.
        var lines = Lines(mirror, "changes.jsonl");
        var cursors = lines.Select(c => long.Parse(c.GetProperty("cursor").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(cursors.Order().Distinct(), cursors);
        Assert.Equal(
            Enumerable.Range(0, 6).Select(i => VacancyFeedFiles.SourceId(word, i)).Order(),
            lines.Select(c => c.GetProperty("vacancy").GetProperty("sourceId").GetString()).Where(id => id!.StartsWith(word + "-", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task A_followed_mirror_writes_changes_as_they_happen_and_a_later_run_repeats_none()
    {
        var mirror = Path.Combine(_files.Path, "followed");
        Assert.Equal(0, (await MirrorAsync(mirror)).ExitCode);
        var word = VacancyFeedFiles.NewBatchWord();
        int seen;
        using (var following = Process.Start(Lmis.StartInfo(null, "vacancies", "mirror", mirror, "--country", "MEX", "--follow", "--server", stack.GrpcUrl))!)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
            await PublishAsync(word, 4);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while ((seen = LinesOrNone(mirror)) < 4 && DateTime.UtcNow < deadline && !following.HasExited)
            {
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }

            Assert.False(following.HasExited, "a followed mirror keeps running: " + (following.HasExited ? (await LmisCommand.FinishAsync(following)).All : null));
            following.Kill(entireProcessTree: true);
            await following.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var later = await MirrorAsync(mirror);

        Assert.Equal(4, seen);
        Assert.True(later.ExitCode == 0, later.All);
        Assert.Equal(0, later.Summary().GetProperty("changes").GetInt32());
        Assert.Equal(4, Lines(mirror, "changes.jsonl").Count);
    }

    private async Task<string> PublishAsync(string word, int rows)
    {
        var feed = Path.Combine(_files.Path, word + ".csv");
        VacancyFeedFiles.WriteCsv(feed, word, rows);
        var key = await stack.PublisherKeyAsync("MEX");
        var published = await Lmis.RunAsync(key, "vacancies", "publish", feed, "--server", stack.GrpcUrl);
        Assert.True(published.ExitCode == 0, published.All);
        return key;
    }

    private Task<LmisRun> MirrorAsync(string folder) =>
        Lmis.RunAsync(null, "vacancies", "mirror", folder, "--country", "MEX", "--output", "json", "--server", stack.GrpcUrl);

    private static List<JsonElement> Lines(string folder, string file) =>
        [.. File.ReadAllLines(Path.Combine(folder, file)).Select(l => JsonDocument.Parse(l).RootElement)];

    private static int LinesOrNone(string folder) =>
        File.Exists(Path.Combine(folder, "changes.jsonl")) ? File.ReadAllLines(Path.Combine(folder, "changes.jsonl")).Length : 0;

    private static long SavedCursor(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "mirror.json"))).RootElement.GetProperty("cursor").GetInt64();

    public void Dispose() => _files.Dispose();
}
