namespace Lmis.Taxonomy.Occupations;

/// <summary>
/// Builds the job-title index while the service starts, after the built-in schemes are released, so the first
/// vacancy a ministry sends without a code is coded at once rather than waiting for (or timing out on) the build.
/// </summary>
public sealed partial class OccupationIndexWarmUp(OccupationCodeSuggester suggester, ILogger<OccupationIndexWarmUp> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await suggester.PrepareAsync(cancellationToken) is { } index)
        {
            LogBuilt(index.TitleCount);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Job-title index for ISCO-08 suggestions built: {Titles} titles")]
    private partial void LogBuilt(int titles);
}
