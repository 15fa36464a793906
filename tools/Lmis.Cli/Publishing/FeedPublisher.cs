using System.Diagnostics;
using System.Threading.Channels;
using Grpc.Core;
using Lmis.Cli.Feeds;
using Lmis.Cli.Progress;
using Lmis.Cli.Transport;
using Lmis.Contracts.Vacancies.V1;

namespace Lmis.Cli.Publishing;

/// <summary>How a feed is to be sent.</summary>
public sealed record FeedOptions(string File, string? Format, string ErrorsFile, int BatchSize, int Retries, bool Check, bool Restart);

/// <summary>What a run of a feed came to.</summary>
public sealed record FeedResult(FeedCounts Counts, string ErrorsFile, int ErrorRows, int? ResumedAfterRow, TimeSpan Elapsed);

/// <summary>
/// Sends a feed file over the client-streaming <c>PublishVacancies</c>, one stream call per batch. After each batch's
/// answer its refusals and warnings go into the error report and (publishing, not checking) the checkpoint is saved,
/// so a later run resumes after the last acknowledged batch. The batch in flight when a run stops is simply sent
/// again: publishing is an idempotent upsert by (country, source_id), and a vacancy sent again unchanged is
/// UNCHANGED — no new version, no event.
/// </summary>
public sealed class FeedPublisher(LmisConnection connection, FeedOptions options)
{
    private static readonly PublishOutcome[] Stored =
        [PublishOutcome.Created, PublishOutcome.Updated, PublishOutcome.Unchanged, PublishOutcome.Closed];

    public async Task<FeedResult> RunAsync(IVacancyFeed feed, IFeedProgress progress, CancellationToken cancellationToken)
    {
        var checkpoint = options.Check ? null : FeedCheckpoint.Start(options.File, connection.Server, options.ErrorsFile);
        var saved = options.Check ? null : FeedCheckpoint.Load(options.File);
        int? resumedAfter = null;
        if (checkpoint is not null && saved is not null)
        {
            if (options.Restart)
            {
                progress.Note($"starting {options.File} from the top (--restart): the checkpoint of {saved.SavedAt:yyyy-MM-dd HH:mm} after row {saved.RowsDone} is set aside");
            }
            else if (!saved.Matches(checkpoint))
            {
                progress.Note($"{options.File} or the server changed since the checkpoint of {saved.SavedAt:yyyy-MM-dd HH:mm}: starting from the top (sending again is safe)");
            }
            else
            {
                resumedAfter = saved.RowsDone;
                checkpoint.RowsDone = saved.RowsDone;
                checkpoint.LastLine = saved.LastLine;
                checkpoint.Counts = saved.Counts;
                checkpoint.ErrorsLength = saved.ErrorsLength;
                progress.Note($"resuming {options.File} after row {saved.RowsDone} (line {saved.LastLine}), acknowledged by {saved.Server} at {saved.SavedAt:yyyy-MM-dd HH:mm:ss}; --restart to start from the top");
            }
        }

        var counts = checkpoint?.Counts ?? new FeedCounts();
        using var report = resumedAfter is not null && checkpoint!.ErrorsFile == Path.GetFullPath(options.ErrorsFile)
            ? ErrorReport.Resume(options.ErrorsFile, checkpoint.ErrorsLength)
            : ErrorReport.Create(options.ErrorsFile);
        var clock = Stopwatch.StartNew();
        var startRows = counts.Rows;
        // The file is read and parsed one batch ahead while the server works on the batch in flight, so the tool adds
        // little to the time a feed takes; batches are still sent and acknowledged one after another, in file order.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<FeedBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(() => ReadBatchesAsync(feed, resumedAfter ?? 0, batches.Writer, stop.Token), CancellationToken.None);
        long startPosition = 0;
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                if (batch.Rows.Count == 0)
                {
                    // Only the rows an earlier run had acknowledged came before this point of the file.
                    startPosition = batch.Position;
                    continue;
                }

                await SendBatchAsync(batch.Rows, counts, report, progress, cancellationToken);
                Acknowledge(checkpoint, batch.Rows, counts, report);
                progress.Report(new FeedSnapshot(counts.Copy(), batch.Position, feed.Length, startPosition, startRows, clock.Elapsed));
            }

            // A file that stopped being readable midway ends the run here, with what came before it acknowledged.
            await reading;
        }
        finally
        {
            await stop.CancelAsync();
            await reading.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        progress.Report(new FeedSnapshot(counts.Copy(), feed.Length, feed.Length, startPosition, startRows, clock.Elapsed));
        // The feed is through: nothing is left to resume.
        checkpoint?.Delete();
        return new FeedResult(counts, report.Path, report.Rows, resumedAfter, clock.Elapsed);
    }

    /// <summary>
    /// Reads the file into batches of <see cref="FeedOptions.BatchSize"/> rows, each with how far into the file it
    /// ends; the rows an earlier run had acknowledged are skipped, then marked by one empty batch.
    /// </summary>
    private async Task ReadBatchesAsync(IVacancyFeed feed, int skip, ChannelWriter<FeedBatch> batches, CancellationToken cancellationToken)
    {
        try
        {
            var batch = new List<FeedRow>(options.BatchSize);
            var skipped = 0;
            foreach (var row in feed.Rows())
            {
                if (skipped < skip)
                {
                    if (++skipped == skip)
                    {
                        await batches.WriteAsync(new FeedBatch([], feed.Position), cancellationToken);
                    }

                    continue;
                }

                batch.Add(row);
                if (batch.Count == options.BatchSize)
                {
                    await batches.WriteAsync(new FeedBatch(batch, feed.Position), cancellationToken);
                    batch = new List<FeedRow>(options.BatchSize);
                }
            }

            if (batch.Count > 0)
            {
                await batches.WriteAsync(new FeedBatch(batch, feed.Position), cancellationToken);
            }
        }
        finally
        {
            batches.Complete();
        }
    }

    private sealed record FeedBatch(List<FeedRow> Rows, long Position);

    private static void Acknowledge(FeedCheckpoint? checkpoint, List<FeedRow> batch, FeedCounts counts, ErrorReport report)
    {
        var length = report.Flush();
        if (checkpoint is null)
        {
            return;
        }

        checkpoint.RowsDone += batch.Count;
        checkpoint.LastLine = batch[^1].Line;
        checkpoint.Counts = counts;
        checkpoint.ErrorsLength = length;
        checkpoint.Save();
    }

    private async Task SendBatchAsync(List<FeedRow> batch, FeedCounts counts, ErrorReport report, IFeedProgress progress, CancellationToken cancellationToken)
    {
        var sent = batch.Where(r => r.Vacancy is not null).ToList();
        var response = sent.Count == 0 ? new PublishVacanciesResponse() : await SendWithRetriesAsync(sent, progress, cancellationToken);
        var results = response.Results.DistinctBy(r => r.Index).ToDictionary(r => r.Index);
        var published = 0;
        var index = 0;
        // In the file's order, so the report reads top to bottom like the feed.
        foreach (var row in batch)
        {
            if (row.Vacancy is null)
            {
                counts.Refused++;
                foreach (var problem in row.Problems)
                {
                    report.Refused(row, problem.Field, problem.Value, problem.Reason);
                }
            }
            else if (results.TryGetValue(index++, out var result))
            {
                published += Stored.Contains(result.Outcome) ? 1 : 0;
                Count(row, result, counts, report);
            }
        }

        counts.Sent += sent.Count;
        counts.Rows += batch.Count;
        if (options.Check && published > 0)
        {
            // A server from before validate_only ignores it and publishes: say so plainly rather than report a check.
            throw new CommandFailedException(ExitCodes.Server,
                $"{connection.Server} does not know checks (validate_only): it published {published} of the rows sent. Update the server; the rows it published stay published.");
        }
    }

    private static void Count(FeedRow row, ItemResult result, FeedCounts counts, ErrorReport report)
    {
        switch (result.Outcome)
        {
            case PublishOutcome.Created: counts.Created++; break;
            case PublishOutcome.Updated: counts.Updated++; break;
            case PublishOutcome.Unchanged: counts.Unchanged++; break;
            case PublishOutcome.Closed: counts.Closed++; break;
            case PublishOutcome.Valid: counts.Valid++; break;
            default:
                counts.Refused++;
                foreach (var error in result.Errors)
                {
                    report.Refused(row, error.Field, error.Value, error.Reason);
                }

                if (result.Errors.Count == 0)
                {
                    report.Refused(row, string.Empty, null, "refused");
                }

                break;
        }

        if (result.Warnings.Count > 0)
        {
            counts.Warned++;
            foreach (var warning in result.Warnings)
            {
                report.Warning(row, warning.Field, warning.Value, warning.Reason);
            }
        }
    }

    private async Task<PublishVacanciesResponse> SendWithRetriesAsync(List<FeedRow> rows, IFeedProgress progress, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await SendAsync(rows, cancellationToken);
            }
            catch (RpcException e) when (RpcFailures.IsTransient(e) && attempt < options.Retries && !cancellationToken.IsCancellationRequested)
            {
                var wait = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt)));
                progress.Note($"{connection.Server}: {e.StatusCode} {e.Status.Detail}; sending the batch of lines {rows[0].Line}-{rows[^1].Line} again in {wait.TotalSeconds:0}s ({attempt + 1} of {options.Retries} retries)");
                await Task.Delay(wait, cancellationToken);
            }
        }
    }

    private async Task<PublishVacanciesResponse> SendAsync(List<FeedRow> rows, CancellationToken cancellationToken)
    {
        var client = new VacanciesService.VacanciesServiceClient(connection.Invoker);
        using var call = client.PublishVacancies(connection.Headers(), cancellationToken: cancellationToken);
        try
        {
            foreach (var row in rows)
            {
                await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = row.Vacancy, ValidateOnly = options.Check }, cancellationToken);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // The call ended while the batch was being written (refused, server gone): its status, read below, says why.
        }

        return await call.ResponseAsync;
    }
}
