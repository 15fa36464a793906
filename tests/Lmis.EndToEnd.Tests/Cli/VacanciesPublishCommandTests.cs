using System.Diagnostics;
using System.Text.Json;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests.Cli;

/// <summary>
/// <c>lmis vacancies publish</c> against a running LMIS, as a public employment service's scheduled job sends its
/// daily feed: counts, the per-row report, progress lines, resuming after a stop, and the exit codes scripts rely on.
/// </summary>
[Collection(LmisCommandCollection.Name)]
public sealed class VacanciesPublishCommandTests(StandaloneStack stack) : IDisposable
{
    private readonly TempDirectory _files = new("lmis-feeds");

    private LmisCommand Lmis => new(Path.Combine(_files.Path, "config"));

    [Fact]
    public async Task A_feed_with_bad_rows_is_published_except_them_and_every_refused_line_is_in_the_report()
    {
        var word = VacancyFeedFiles.NewBatchWord();
        var feed = Path.Combine(_files.Path, "daily.csv");
        var unknown = new HashSet<int> { 10, 50, 120, 299 };
        var notANumber = new HashSet<int> { 7 };
        VacancyFeedFiles.WriteCsv(feed, word, 300, unknown, notANumber);

        var run = await Lmis.RunAsync(await stack.PublisherKeyAsync("MEX"), "vacancies", "publish", feed, "--batch", "64", "--output", "json", "--server", stack.GrpcUrl);

        Assert.True(run.ExitCode == 1, run.All);
        var summary = run.Summary();
        Assert.Equal(300, summary.GetProperty("rows").GetInt32());
        Assert.Equal(299, summary.GetProperty("sent").GetInt32());
        Assert.Equal(295, summary.GetProperty("created").GetInt32());
        Assert.Equal(5, summary.GetProperty("refused").GetInt32());
        Assert.Equal(feed + ".errors.csv", summary.GetProperty("errorsFile").GetString());
        var report = VacancyFeedFiles.ReadReport(feed + ".errors.csv").Where(r => r["kind"] == "refused").ToList();
        // Row i of the feed is on line i + 2 (the header is line 1).
        Assert.Equal(unknown.Concat(notANumber).Select(i => (i + 2).ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), report.Select(r => r["line"]).Order());
        Assert.All(report.Where(r => r["line"] != "9"), r => Assert.Equal(("occupation_code", "9999"), (r["field"], r["value"])));
        var local = Assert.Single(report, r => r["line"] == "9");
        Assert.Equal(("positions", "tres", VacancyFeedFiles.SourceId(word, 7)), (local["field"], local["value"], local["source_id"]));
        Assert.All(report, r => Assert.NotEmpty(r["reason"]));
        // Progress, in plain lines since the output is not a terminal.
        Assert.Contains("lmis: 300 rows: 299 sent, 295 created, 0 updated, 0 unchanged, 0 closed, 5 refused", run.Errors, StringComparison.Ordinal);
        Assert.Matches(@"rows/s, \d+% of the file, ETA", run.Errors);
        var stored = await VacancyFeedFiles.StoredAsync(stack, word);
        Assert.Equal(295, stored.Count);
        Assert.Equal(4, (await VacancyFeedFiles.GetAsync(stack, VacancyFeedFiles.SourceId(word, 3)))?.Positions); // row i asks for (i % 5) + 1
        Assert.Null(await VacancyFeedFiles.GetAsync(stack, VacancyFeedFiles.SourceId(word, 50)));
        Assert.False(File.Exists(feed + ".lmis-progress"), "a feed sent to its end leaves no checkpoint");
    }

    [Fact]
    public async Task A_feed_stopped_midway_resumes_after_its_last_acknowledged_batch_and_stores_each_vacancy_once()
    {
        var word = VacancyFeedFiles.NewBatchWord();
        var feed = Path.Combine(_files.Path, "large.csv");
        const int Rows = 3000;
        VacancyFeedFiles.WriteCsv(feed, word, Rows);
        var key = await stack.PublisherKeyAsync("MEX");

        using (var first = Process.Start(Lmis.StartInfo(key, "vacancies", "publish", feed, "--batch", "25", "--quiet", "--server", stack.GrpcUrl))!)
        {
            var done = await WaitForCheckpointAsync(feed, first);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(done is > 0 and < Rows, $"the first run should be stopped midway, was at row {done}");
        }

        var second = await Lmis.RunAsync(key, "vacancies", "publish", feed, "--batch", "25", "--output", "json", "--server", stack.GrpcUrl);

        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("resuming", second.Errors, StringComparison.Ordinal);
        var summary = second.Summary();
        Assert.Equal(Rows, summary.GetProperty("rows").GetInt32());
        Assert.True(summary.GetProperty("resumedAfterRow").GetInt32() > 0, second.All);
        // The batch in flight when the first run was stopped may have been stored: sent again, it is unchanged.
        Assert.Equal(Rows, summary.GetProperty("created").GetInt32() + summary.GetProperty("unchanged").GetInt32());
        var stored = await VacancyFeedFiles.StoredAsync(stack, word);
        Assert.Equal(Rows, stored.Count);
        Assert.Equal(Rows, stored.Select(v => v.SourceId).Distinct().Count());
        Assert.All(stored, v => Assert.Equal(1, v.Version));
        Assert.False(File.Exists(feed + ".lmis-progress"));
    }

    [Fact]
    public async Task When_the_server_goes_down_midway_the_command_exits_3_keeping_its_checkpoint_and_resumes_once_it_is_back()
    {
        var word = VacancyFeedFiles.NewBatchWord();
        var feed = Path.Combine(_files.Path, "restart.csv");
        const int Rows = 1500;
        VacancyFeedFiles.WriteCsv(feed, word, Rows);
        var key = await stack.PublisherKeyAsync("MEX");

        LmisRun cut;
        using (var first = Process.Start(Lmis.StartInfo(key, "vacancies", "publish", feed, "--batch", "20", "--retries", "1", "--quiet", "--server", stack.GrpcUrl))!)
        {
            await WaitForCheckpointAsync(feed, first);
            await stack.KillAsync();
            cut = await LmisCommand.FinishAsync(first);
        }

        await stack.StartAgainAsync();
        var resumed = await Lmis.RunAsync(key, "vacancies", "publish", feed, "--batch", "20", "--output", "json", "--server", stack.GrpcUrl);

        Assert.True(cut.ExitCode == 3, cut.All);
        Assert.Contains("run the same command again to resume", cut.Errors, StringComparison.Ordinal);
        Assert.Contains("sending the batch of lines", cut.Errors, StringComparison.Ordinal);
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains("resuming", resumed.Errors, StringComparison.Ordinal);
        var stored = await VacancyFeedFiles.StoredAsync(stack, word);
        Assert.Equal(Rows, stored.Count);
        Assert.All(stored, v => Assert.Equal(1, v.Version));
    }

    [Fact]
    public async Task A_restart_ignores_the_checkpoint_and_sends_everything_again_unchanged()
    {
        var word = VacancyFeedFiles.NewBatchWord();
        var feed = Path.Combine(_files.Path, "again.csv");
        VacancyFeedFiles.WriteCsv(feed, word, 40);
        var key = await stack.PublisherKeyAsync("MEX");

        var first = await Lmis.RunAsync(key, "vacancies", "publish", feed, "--output", "json", "--server", stack.GrpcUrl);
        var again = await Lmis.RunAsync(key, "vacancies", "publish", feed, "--restart", "--output", "csv", "--server", stack.GrpcUrl);

        Assert.True(first.ExitCode == 0, first.All);
        Assert.Equal(40, first.Summary().GetProperty("created").GetInt32());
        Assert.True(again.ExitCode == 0, again.All);
        var lines = again.Output.Trim().Split('\n');
        var columns = lines[0].Trim().Split(',');
        var values = lines[1].Trim().Split(',');
        Assert.Equal("40", values[Array.IndexOf(columns, "unchanged")]);
        Assert.Equal("0", values[Array.IndexOf(columns, "created")]);
    }

    [Fact]
    public async Task A_feed_of_json_lines_is_published_and_a_line_that_is_not_a_vacancy_is_refused_by_its_number()
    {
        var word = VacancyFeedFiles.NewBatchWord();
        var feed = Path.Combine(_files.Path, "daily.jsonl");
        await File.WriteAllLinesAsync(feed,
        [
            $$"""{"country":"MEX","sourceId":"{{word}}-1","title":"Albañil","description":"{{word}}","occupationCode":"7112","positions":2}""",
            "",
            $$"""{"country":"MEX","sourceId":"{{word}}-2","title":"Albañil","description":"{{word}}","occupationCode":"7112","wageMin":100}""",
            $$"""{"country":"MEX","source_id":"{{word}}-3","title":"Albañil","description":"{{word}}","occupation_code":"7112"}""",
        ], TestContext.Current.CancellationToken);

        var run = await Lmis.RunAsync(await stack.PublisherKeyAsync("MEX"), "vacancies", "publish", feed, "--output", "json", "--server", stack.GrpcUrl);

        Assert.True(run.ExitCode == 1, run.All);
        Assert.Equal((2, 1), (run.Summary().GetProperty("created").GetInt32(), run.Summary().GetProperty("refused").GetInt32()));
        var refused = Assert.Single(VacancyFeedFiles.ReadReport(feed + ".errors.csv"));
        Assert.Equal("3", refused["line"]);
        Assert.Contains("wageMin", refused["reason"], StringComparison.Ordinal);
        Assert.Equal(2, (await VacancyFeedFiles.GetAsync(stack, word + "-1"))?.Positions);
    }

    [Fact]
    public async Task A_key_on_the_command_line_is_refused_for_the_shell_history_before_anything_is_sent()
    {
        var feed = Path.Combine(_files.Path, "key.csv");
        VacancyFeedFiles.WriteCsv(feed, VacancyFeedFiles.NewBatchWord(), 1);

        var key = await Lmis.RunAsync(null, "vacancies", "publish", feed, "--key", "lmis_secret", "--server", stack.GrpcUrl);
        var apiKey = await Lmis.RunAsync(null, "vacancies", "publish", feed, "--api-key=lmis_secret", "--server", stack.GrpcUrl);
        var unknownOption = await Lmis.RunAsync(null, "vacancies", "publish", feed, "--batch", "0", "--server", stack.GrpcUrl);

        Assert.True(key.ExitCode == 2, key.All);
        Assert.Contains("shell's history", key.Errors, StringComparison.Ordinal);
        Assert.True(apiKey.ExitCode == 2, apiKey.All);
        Assert.True(unknownOption.ExitCode == 2, unknownOption.All);
        Assert.Contains("--batch must be from 1 to 100000", unknownOption.Errors, StringComparison.Ordinal);
        Assert.False(File.Exists(feed + ".errors.csv"), "nothing was read or sent");
    }

    [Fact]
    public async Task Without_a_publisher_key_it_exits_4_and_without_a_server_it_exits_3_saying_where()
    {
        var feed = Path.Combine(_files.Path, "nokey.csv");
        var word = VacancyFeedFiles.NewBatchWord();
        VacancyFeedFiles.WriteCsv(feed, word, 5);
        var nowhere = $"http://127.0.0.1:{FreePort.Next()}";

        var anonymous = await Lmis.RunAsync(null, "vacancies", "publish", feed, "--server", stack.GrpcUrl);
        var forged = await Lmis.RunAsync("lmis_not_a_key_of_this_installation_at_all", "vacancies", "publish", feed, "--server", stack.GrpcUrl);
        var secretariat = await Lmis.RunAsync(stack.SecretariatKey, "vacancies", "publish", feed, "--server", stack.GrpcUrl);
        var unreachable = await Lmis.RunAsync(await stack.PublisherKeyAsync("MEX"), "vacancies", "publish", feed, "--retries", "0", "--server", nowhere);

        Assert.True(anonymous.ExitCode == 4, anonymous.All);
        Assert.Contains("LMIS_API_KEY", anonymous.Errors, StringComparison.Ordinal);
        Assert.True(forged.ExitCode == 4, forged.All);
        // The secretariat reads and administers; publishing is a member state's.
        Assert.True(secretariat.ExitCode == 4, secretariat.All);
        Assert.Contains("is for the publisher", secretariat.Errors, StringComparison.Ordinal);
        Assert.True(unreachable.ExitCode == 3, unreachable.All);
        Assert.Contains(nowhere, unreachable.Errors, StringComparison.Ordinal);
        Assert.Empty(await VacancyFeedFiles.StoredAsync(stack, word));
    }

    [Fact]
    public async Task A_profile_names_the_server_and_the_key_file_for_every_later_command()
    {
        var feed = Path.Combine(_files.Path, "profile.csv");
        var word = VacancyFeedFiles.NewBatchWord();
        VacancyFeedFiles.WriteCsv(feed, word, 3);
        var keyFile = Path.Combine(_files.Path, "mexico.key");
        await File.WriteAllTextAsync(keyFile, await stack.PublisherKeyAsync("MEX") + "\n", TestContext.Current.CancellationToken);

        var set = await Lmis.RunAsync(null, "profile", "set", "stps", "--server", stack.GrpcUrl, "--key-file", keyFile);
        var start = Lmis.StartInfo(null, "vacancies", "publish", feed, "--output", "json");
        start.Environment["LMIS_PROFILE"] = "stps";
        using var process = Process.Start(start)!;
        var published = await LmisCommand.FinishAsync(process);
        var unknown = await Lmis.RunAsync(null, "vacancies", "publish", feed, "--profile", "nosuch");

        Assert.True(set.ExitCode == 0, set.All);
        Assert.True(File.Exists(Path.Combine(_files.Path, "config", "lmis", "config.json")));
        Assert.True(published.ExitCode == 0, published.All);
        Assert.Equal(3, published.Summary().GetProperty("created").GetInt32());
        Assert.Equal(stack.GrpcUrl, published.Summary().GetProperty("server").GetString());
        Assert.True(unknown.ExitCode == 2, unknown.All);
        Assert.Contains("no profile 'nosuch'", unknown.Errors, StringComparison.Ordinal);
    }

    /// <summary>Waits until the running command has saved a checkpoint with rows done; answers them.</summary>
    private static async Task<int> WaitForCheckpointAsync(string feed, Process process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if (File.Exists(feed + ".lmis-progress")
                    && JsonDocument.Parse(await File.ReadAllTextAsync(feed + ".lmis-progress", TestContext.Current.CancellationToken))
                        .RootElement.GetProperty("rowsDone").GetInt32() is > 0 and var done)
                {
                    return done;
                }
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // Read while being replaced: look again.
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        throw new InvalidOperationException($"no checkpoint with rows done (the command {(process.HasExited ? $"exited with {process.ExitCode}" : "is still running")})");
    }

    public void Dispose() => _files.Dispose();
}
