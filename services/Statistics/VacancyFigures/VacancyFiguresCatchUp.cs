using System.Globalization;
using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Events;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Statistics.Storage;
using MassTransit;

namespace Lmis.Statistics.VacancyFigures;

/// <summary>How often the vacancy figures read the vacancies service's change feed (<c>Lmis:Statistics:CatchUpInterval</c>).</summary>
public sealed record CatchUpInterval(TimeSpan Every)
{
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(1);

    public static CatchUpInterval From(IConfiguration configuration)
    {
        var text = configuration["Lmis:Statistics:CatchUpInterval"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new CatchUpInterval(Default);
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var every) && every > TimeSpan.Zero
            ? new CatchUpInterval(every)
            : throw new InvalidOperationException($"Lmis:Statistics:CatchUpInterval: '{text}' is not a positive time span such as 00:01:00.");
    }
}

/// <summary>
/// Keeps the vacancy figures complete whatever became of the events. Events bring each change within moments, but
/// an event can be lost where no queue held it: the standalone host's in-memory bus when the process is killed, or
/// a first deployment whose vacancies were announced before the statistics queue existed. So the figures also read
/// the vacancies service's change feed (each vacancy at its latest version, in change order) from the position they
/// have reached, kept with the facts in one write: at start, once the bus receives, and then every
/// <see cref="CatchUpInterval"/>. Only a newer version replaces a kept one, so what the events already brought
/// changes nothing. A rebuild is the same reading from the start, after forgetting everything.
/// </summary>
public sealed partial class VacancyFiguresCatchUp(
    IVacancyFigureStore figures, VacanciesService.VacanciesServiceClient vacancies, CatchUpInterval interval,
    IBusControl bus, TimeProvider time, ILogger<VacancyFiguresCatchUp> logger) : BackgroundService
{
    private const int BatchSize = 2_000;
    private static readonly TimeSpan BusStartWait = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _reading = new(1, 1);

    /// <summary>Reads what changed since the position reached; returns how many changes were read.</summary>
    public Task<long> CatchUpAsync(CancellationToken cancellationToken) => ReadAsync(rebuild: false, cancellationToken);

    /// <summary>Forgets every vacancy kept and reads them all again; returns how many were read.</summary>
    public Task<long> RebuildAsync(CancellationToken cancellationToken) => ReadAsync(rebuild: true, cancellationToken);

    public override void Dispose()
    {
        _reading.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Read only once this process receives events: a change announced while the reading runs is then either
        // read or queued for the consumer, never neither.
        await WaitForBusAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var read = await CatchUpAsync(stoppingToken);
                if (read > 0)
                {
                    LogCaughtUp(read);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogCatchUpFailed(interval.Every, e.Message);
            }

            try
            {
                await Task.Delay(interval.Every, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task WaitForBusAsync(CancellationToken stoppingToken)
    {
        var deadline = time.GetUtcNow() + BusStartWait;
        while (bus.CheckHealth().Status != BusHealthStatus.Healthy && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, stoppingToken);
        }
    }

    private async Task<long> ReadAsync(bool rebuild, CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            long position = 0;
            if (rebuild)
            {
                await figures.ClearAsync(cancellationToken);
            }
            else
            {
                position = await figures.ReadChangeFeedPositionAsync(cancellationToken);
            }

            return await ReadFromAsync(position, cancellationToken);
        }
        finally
        {
            _reading.Release();
        }
    }

    private async Task<long> ReadFromAsync(long position, CancellationToken cancellationToken)
    {
        var batch = new List<VacancySnapshot>(BatchSize);
        long read = 0;
        try
        {
            using var changes = vacancies.StreamChanges(new StreamChangesRequest { After = position }, cancellationToken: cancellationToken);
            await foreach (var change in changes.ResponseStream.ReadAllAsync(cancellationToken))
            {
                batch.Add(ToSnapshot(change.Vacancy));
                position = change.Cursor;
                read++;
                if (batch.Count == BatchSize)
                {
                    await figures.ApplyFromChangeFeedAsync(batch, position, cancellationToken);
                    batch.Clear();
                }
            }
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            // What was applied so far is kept with its position; the next reading goes on from there.
            await figures.ApplyFromChangeFeedAsync(batch, position, CancellationToken.None);
            throw new DependencyUnavailableException($"The vacancies service could not be read ({e.Status.Detail}); try again.", e);
        }

        if (batch.Count > 0)
        {
            await figures.ApplyFromChangeFeedAsync(batch, position, cancellationToken);
        }

        return read;
    }

    /// <summary>
    /// The vacancy as its events describe it, closed when the vacancies service closed it. A vacancies service of an
    /// earlier release sends no closing time; a closed vacancy's last change is then its closing, as it always was.
    /// </summary>
    public static VacancySnapshot ToSnapshot(Vacancy v)
    {
        static DateOnly? Day(string text) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
        static DateTimeOffset? Time(string text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
        return new VacancySnapshot(
            Guid.Parse(v.Id), v.Country, v.SourceId, v.Version, v.OccupationCode, v.Positions, v.Status, Day(v.DatePosted), Day(v.ValidThrough))
        {
            SectorCode = v.SectorCode.Length == 0 ? null : v.SectorCode,
            ForeignWorkersEligible = v.ForeignWorkersEligible,
            WorkerPaysRecruitmentFees = v.WorkerPaysRecruitmentFees,
            PathwayId = v.PathwayId.Length == 0 ? null : v.PathwayId,
            WageMin = v.Wage is { Min: > 0 } ? (decimal)v.Wage.Min : null,
            WageMax = v.Wage is { Max: > 0 } ? (decimal)v.Wage.Max : null,
            WageCurrency = v.Wage is { Currency.Length: > 0 } ? v.Wage.Currency : null,
            WagePeriod = v.Wage is { Period.Length: > 0 } ? v.Wage.Period : null,
            PublishedAt = Time(v.PublishedAt),
            ClosedAt = v.Status == VacancyStatus.Open ? null : Time(v.ClosedAt) ?? Time(v.UpdatedAt),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Vacancy figures: read {Changes} changes from the vacancies service's change feed")]
    private partial void LogCaughtUp(long changes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vacancy figures: the change feed could not be read, trying again in {Interval}: {Reason}")]
    private partial void LogCatchUpFailed(TimeSpan interval, string reason);
}
