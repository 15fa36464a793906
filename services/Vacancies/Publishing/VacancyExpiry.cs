using Lmis.Vacancies.Storage;

namespace Lmis.Vacancies.Publishing;

/// <summary>
/// Closes as expired every open vacancy whose closing date (valid_through) has passed, announcing each with
/// VacancyClosed. Runs every <c>Lmis:Vacancies:ExpiryIntervalSeconds</c> (default 60); dates are UTC.
/// </summary>
public sealed partial class VacancyExpiry(IVacancyStore store, TimeProvider time, IConfiguration configuration, ILogger<VacancyExpiry> logger)
    : BackgroundService
{
    private const int Batch = 1000;

    /// <summary>Expires what is due now; returns how many vacancies it closed.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var total = 0;
        int expired;
        do
        {
            expired = await store.ExpireAsync(today, now, Batch, cancellationToken);
            total += expired;
        }
        while (expired == Batch);

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(configuration.GetValue("Lmis:Vacancies:ExpiryIntervalSeconds", 60));
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                var expired = await ExpireDueAsync(stoppingToken);
                if (expired > 0)
                {
                    LogExpired(expired);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Count} vacancies past their closing date")]
    private partial void LogExpired(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiring vacancies failed; will try again")]
    private partial void LogFailed(Exception exception);
}
