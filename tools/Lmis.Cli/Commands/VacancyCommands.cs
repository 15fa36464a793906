using System.CommandLine;
using Lmis.Cli.Feeds;
using Lmis.Cli.Progress;
using Lmis.Cli.Publishing;
using Lmis.Cli.Transport;

namespace Lmis.Cli.Commands;

/// <summary><c>lmis vacancies publish|check FILE</c>: a ministry's vacancy feed, sent in batches with progress.</summary>
public static class VacancyCommands
{
    public static Command Create()
    {
        var vacancies = new Command("vacancies", "publish or check a vacancy feed (CSV or JSON lines)");
        vacancies.Subcommands.Add(Feed("publish", check: false,
            "publish a vacancy feed: created, updated, unchanged, closed or refused row by row; resumes where a run stopped"));
        vacancies.Subcommands.Add(Feed("check", check: true,
            "check a vacancy feed with the server's rules, storing nothing: every row valid or refused, with the same report"));
        return vacancies;
    }

    private static Command Feed(string name, bool check, string description)
    {
        var file = new Argument<string>("FILE") { Description = "the feed: CSV in the columns of docs/vacancies.md, or JSON lines (.jsonl), one Vacancy per line" };
        var batch = new Option<int>("--batch") { Description = "rows per stream call; a checkpoint is saved after each", DefaultValueFactory = _ => 1000 };
        batch.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                r.AddError("--batch must be from 1 to 100000 (the server's limit of one stream)");
            }
        });
        var errors = new Option<string?>("--errors") { Description = "the per-row report of refusals and warnings (default: FILE.errors.csv)" };
        var format = new Option<string?>("--format") { Description = "csv or jsonl (default: by the file's extension; .jsonl and .ndjson are JSON lines)" };
        format.AcceptOnlyFromAmong(VacancyFeeds.Formats);
        var retries = new Option<int>("--retries") { Description = "times a batch is sent again when the server is unreachable, waiting 1, 2, 4… s", DefaultValueFactory = _ => 5 };
        var command = new Command(name, description) { file, batch, errors, format, retries };
        var restart = new Option<bool>("--restart") { Description = "ignore the checkpoint of an earlier run and start from the top" };
        if (!check)
        {
            command.Options.Add(restart);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CommandFailedException(ExitCodes.Usage, $"{path}: no such file");
            }

            var options = new FeedOptions(path, parse.GetValue(format), parse.GetValue(errors) ?? path + ".errors.csv",
                parse.GetValue(batch), Math.Max(0, parse.GetValue(retries)), check, !check && parse.GetValue(restart));
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            var progress = Progress(parse.GetValue(GlobalOptions.Quiet), name, Path.GetFileName(path), check);
            using var feed = VacancyFeeds.Open(path, options.Format);
            FeedResult result;
            try
            {
                result = await progress.ShowAsync(p => new FeedPublisher(connection, options).RunAsync(feed, p, cancellationToken));
            }
            catch (FeedUnreadableException e)
            {
                throw new CommandFailedException(ExitCodes.Refused, $"{path}:{e.Line}: {e.Message}; nothing was sent");
            }
            catch (Grpc.Core.RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                var failure = RpcFailures.ToFailure(e, connection.Server, "set LMIS_API_KEY or --key-file to a publisher key of the feed's member state");
                throw check || failure.ExitCode != ExitCodes.Server
                    ? failure
                    : new CommandFailedException(failure.ExitCode, $"{failure.Message}\nthe rows acknowledged so far are kept in {FeedCheckpoint.PathFor(path)}: run the same command again to resume");
            }

            FeedSummary.Write(parse.GetValue(GlobalOptions.Output)!, name, path, connection.Server, result);
            return result.Counts.Refused > 0 ? ExitCodes.Refused : ExitCodes.Ok;
        });
        return command;
    }

    private static IFeedProgress Progress(bool quiet, string verb, string file, bool check) =>
        quiet || Console.IsOutputRedirected || Console.IsErrorRedirected
            ? new PlainFeedProgress(Console.Error, check, TimeSpan.FromSeconds(2))
            : new LiveFeedProgress(GlobalOptions.Console(Console.Error, redirected: false), verb, file, check);
}
