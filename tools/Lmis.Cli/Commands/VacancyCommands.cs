using System.CommandLine;
using Lmis.Cli.Feeds;
using Lmis.Cli.Progress;
using Lmis.Cli.Publishing;
using Lmis.Cli.Transport;

namespace Lmis.Cli.Commands;

/// <summary>
/// <c>lmis vacancies publish|check FILE</c>: a ministry's vacancy feed, sent in batches with progress; <c>close</c>;
/// <c>export</c> and <c>mirror</c> (their own classes).
/// </summary>
public static class VacancyCommands
{
    public static Command Create()
    {
        var vacancies = new Command("vacancies", "publish or check a vacancy feed (CSV or JSON lines), close a vacancy, export or mirror vacancies");
        vacancies.Subcommands.Add(Feed("publish", check: false,
            "publish a vacancy feed: created, updated, unchanged, closed or refused row by row; resumes where a run stopped"));
        vacancies.Subcommands.Add(Feed("check", check: true,
            "check a vacancy feed with the server's rules, storing nothing: every row valid or refused, with the same report"));
        vacancies.Subcommands.Add(Close());
        vacancies.Subcommands.Add(VacancyExport.Create());
        vacancies.Subcommands.Add(VacancyMirror.Create());
        return vacancies;
    }

    private static Command Close()
    {
        var country = new Argument<string>("COUNTRY") { Description = "the publishing member state (MEX)" };
        var sourceId = new Argument<string>("SOURCE_ID") { Description = "your id of the vacancy" };
        var reason = new Option<string>("--reason") { Description = "filled or withdrawn", Required = true };
        reason.AcceptOnlyFromAmong("filled", "withdrawn");
        var command = new Command("close", "close one vacancy as filled or withdrawn (a publisher key of its member state)") { country, sourceId, reason };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            var client = new Lmis.Contracts.Vacancies.V1.VacanciesService.VacanciesServiceClient(connection.Invoker);
            var subject = $"{parse.GetValue(country)}/{parse.GetValue(sourceId)}";
            return await Refusals.ExplainAsync(async () =>
            {
                var closed = await client.CloseVacancyAsync(new Lmis.Contracts.Vacancies.V1.CloseVacancyRequest
                {
                    Country = parse.GetValue(country)!,
                    SourceId = parse.GetValue(sourceId)!,
                    Reason = parse.GetValue(reason)!,
                }, connection.Headers(), cancellationToken: cancellationToken);
                Console.WriteLine(parse.GetValue(GlobalOptions.Output) == "json"
                    ? Google.Protobuf.JsonFormatter.Default.Format(closed)
                    : $"{subject}: {closed.Outcome switch
                    {
                        Lmis.Contracts.Vacancies.V1.PublishOutcome.Unchanged => "already closed",
                        _ => $"closed as {parse.GetValue(reason)}",
                    }} (version {closed.Version})");
                return ExitCodes.Ok;
            }, subject, connection, "set LMIS_API_KEY or --key-file to a publisher key of the vacancy's member state", cancellationToken);
        });
        return command;
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
