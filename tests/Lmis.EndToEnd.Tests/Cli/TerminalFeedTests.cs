using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests.Cli;

/// <summary>
/// <c>lmis vacancies publish</c> at a terminal, as an operator runs it by hand: a pseudo-terminal (util-linux
/// <c>script</c>) stands for the operator's terminal, and Ctrl+C is typed into it.
/// </summary>
[Collection(LmisCommandCollection.Name)]
public sealed partial class TerminalFeedTests(StandaloneStack stack) : IDisposable
{
    private const int Rows = 3000;
    private readonly TempDirectory _files = new("lmis-terminal");

    [Fact]
    public async Task At_a_terminal_a_feed_shows_its_live_progress_and_ctrl_c_stops_it_for_the_same_command_to_finish()
    {
        if (SignalIgnored(2))
        {
            Assert.Skip("this test run was started with SIGINT ignored (a background job without job control): Ctrl+C typed at a terminal cannot reach the command");
        }

        var word = VacancyFeedFiles.NewBatchWord();
        var feed = Path.Combine(_files.Path, "vacantes.csv");
        VacancyFeedFiles.WriteCsv(feed, word, Rows);
        var key = await stack.PublisherKeyAsync("MEX");
        var lmis = new LmisCommand(Path.Combine(_files.Path, "config"));
        var command = lmis.StartInfo(key, "vacancies", "publish", feed, "--batch", "25", "--server", stack.GrpcUrl);

        var terminal = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--quiet", "--return", "--command", string.Join(' ', new[] { command.FileName }.Concat(command.ArgumentList).Select(Quoted)), "/dev/null" })
        {
            terminal.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment)
        {
            terminal.Environment[name] = value;
        }

        terminal.Environment["TERM"] = "xterm-256color";
        terminal.Environment["COLUMNS"] = "120";
        terminal.Environment.Remove("NO_COLOR");
        string shown;
        int done;
        int exitCode;
        using (var run = Process.Start(terminal)!)
        {
            var reading = run.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            done = await VacanciesPublishCommandTests.WaitForCheckpointAsync(feed, run);
            await Task.Delay(500, TestContext.Current.CancellationToken);
            await run.StandardInput.WriteAsync('\u0003');
            await run.StandardInput.FlushAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(1));
            await run.WaitForExitAsync(timeout.Token);
            shown = await reading;
            exitCode = run.ExitCode;
        }

        Assert.True(exitCode == 130, $"exit {exitCode}\n{shown}");
        Assert.True(done is > 0 and < Rows, $"the feed should be stopped midway, was at row {done}");
        // A live table redrawn in place (the cursor moved up over it), with the figures an operator watches.
        Assert.Matches(CursorUp(), shown);
        Assert.All(new[] { "rows/s", "created", "refused", "ETA", "vacantes.csv" }, label => Assert.Contains(label, shown, StringComparison.Ordinal));
        Assert.Contains("lmis: stopped.", shown, StringComparison.Ordinal);
        var checkpoint = JsonDocument.Parse(await File.ReadAllTextAsync(feed + ".lmis-progress", TestContext.Current.CancellationToken)).RootElement;
        Assert.InRange(checkpoint.GetProperty("rowsDone").GetInt32(), done, Rows - 1);

        var again = await lmis.RunAsync(key, "vacancies", "publish", feed, "--batch", "25", "--output", "json", "--server", stack.GrpcUrl);

        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("resuming", again.Errors, StringComparison.Ordinal);
        var stored = await VacancyFeedFiles.StoredAsync(stack, word);
        Assert.Equal(Rows, stored.Count);
        Assert.Equal(Rows, stored.Select(v => v.SourceId).Distinct().Count());
        Assert.All(stored, v => Assert.Equal(1, v.Version));
    }

    public void Dispose() => _files.Dispose();

    /// <summary>Whether this process ignores a signal (as a background job started without job control ignores SIGINT): its children then do too.</summary>
    private static bool SignalIgnored(int signal)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (mask & (1UL << (signal - 1))) != 0;
    }

    private static string Quoted(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"\x1b\[\d+A")]
    private static partial Regex CursorUp();
}
