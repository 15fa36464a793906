using System.CommandLine;
using Grpc.Core;
using Lmis.Cli.Mirroring;
using Lmis.Cli.Transport;
using Lmis.Contracts.Vacancies.V1;

namespace Lmis.Cli.Commands;

/// <summary>
/// <c>lmis vacancies mirror DIR</c>: a copy of LMIS's vacancies kept in files, as the secretariat or a partner system
/// keeps one — the snapshot once, then the change feed from the saved cursor (docs/vacancies.md, "Mirroring").
/// </summary>
public static class VacancyMirror
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "the mirror's folder: snapshot.jsonl, changes.jsonl and mirror.json (the cursor)" };
        var country = new Option<string?>("--country") { Description = "only this member state's vacancies (fixed when the mirror starts)" };
        var follow = new Option<bool>("--follow") { Description = "keep following the change feed until Ctrl+C (default: stop when caught up)" };
        var command = new Command("mirror", "follow the vacancies' change feed into files; run again, it goes on from the saved cursor") { dir, country, follow };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            var client = new VacanciesService.VacanciesServiceClient(connection.Invoker);
            var folder = MirrorFolder.Open(parse.GetValue(dir)!);
            var wanted = (parse.GetValue(country) ?? string.Empty).ToUpperInvariant();
            if (folder.State is { } state && (state.Server != connection.Server || (parse.GetValue(country) is not null && state.Country != wanted)))
            {
                throw new CommandFailedException(ExitCodes.Usage,
                    $"{folder.Path} mirrors {(state.Country.Length > 0 ? state.Country : "every member state")} from {state.Server}; its cursor means nothing elsewhere: mirror into another folder");
            }

            int? snapshot = null;
            var startedAt = folder.State?.Cursor;
            try
            {
                if (folder.State is null)
                {
                    var stream = client.GetSnapshot(new GetSnapshotRequest { Country = wanted }, connection.Headers(), cancellationToken: cancellationToken);
                    snapshot = await folder.WriteSnapshotAsync(connection.Server, wanted, stream.ResponseStream.ReadAllAsync(cancellationToken), cancellationToken);
                    Console.Error.WriteLine($"lmis: snapshot of {snapshot} open vacancies written to {Path.Combine(folder.Path, MirrorFolder.SnapshotFile)}");
                }
                else
                {
                    Console.Error.WriteLine($"lmis: going on after cursor {folder.State.Cursor}");
                }

                var (changes, removed) = await FollowAsync(client, connection, folder, parse.GetValue(follow), cancellationToken);
                Answers.Fields(parse.GetValue(GlobalOptions.Output)!,
                [
                    ("dir", folder.Path), ("server", connection.Server), ("country", folder.State!.Country.Length > 0 ? folder.State.Country : null),
                    ("snapshot", snapshot), ("resumedAfterCursor", startedAt), ("changes", changes), ("removed", removed), ("cursor", folder.State.Cursor),
                ]);
                return ExitCodes.Ok;
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                var failure = RpcFailures.ToFailure(e, connection.Server, "reads need no key");
                throw failure.ExitCode == ExitCodes.Server && folder.State is not null
                    ? new CommandFailedException(failure.ExitCode, $"{failure.Message}\nthe changes received so far are kept (cursor {folder.State.Cursor}): run the same command again to go on")
                    : failure;
            }
        });
        return command;
    }

    /// <summary>
    /// The changes after the saved cursor, until caught up; when following, until Ctrl+C, asking again from the saved
    /// cursor after a dropped connection (a resent change is impossible: each is asked for after the last written).
    /// </summary>
    private static async Task<(int Changes, int Removed)> FollowAsync(
        VacanciesService.VacanciesServiceClient client, LmisConnection connection, MirrorFolder folder, bool follow, CancellationToken cancellationToken)
    {
        var total = (Changes: 0, Removed: 0);
        for (var attempt = 0; ; attempt++)
        {
            var request = new StreamChangesRequest { After = folder.State!.Cursor, Country = folder.State.Country, Follow = follow };
            try
            {
                using var call = client.StreamChanges(request, connection.Headers(), cancellationToken: cancellationToken);
                if (follow)
                {
                    Console.Error.WriteLine($"lmis: following the change feed after cursor {request.After}; Ctrl+C to stop");
                }

                var (changes, removed) = await folder.AppendChangesAsync(call.ResponseStream.ReadAllAsync(cancellationToken),
                    follow ? c => Console.Error.WriteLine($"lmis: {c.Vacancy.Country}/{c.Vacancy.SourceId} {(c.Removed ? "removed" : $"version {c.Vacancy.Version}")} (cursor {c.Cursor})") : null,
                    cancellationToken);
                total = (total.Changes + changes, total.Removed + removed);
                if (!follow)
                {
                    return total;
                }

                attempt = -1;
            }
            catch (RpcException e) when (follow && RpcFailures.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                var wait = TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(attempt, 5)));
                Console.Error.WriteLine($"lmis: {connection.Server}: {e.StatusCode}; asking again in {wait.TotalSeconds:0} s");
                await Task.Delay(wait, cancellationToken);
            }
        }
    }
}
