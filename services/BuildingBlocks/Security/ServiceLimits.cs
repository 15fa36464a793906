using Microsoft.Extensions.Configuration;

namespace Lmis.BuildingBlocks.Security;

/// <summary>
/// What one call may carry (<c>Lmis:Limits</c>), so no caller can make a service hold unbounded work:
/// <c>MessageMaxBytes</c> per gRPC message or REST body (default 4 MiB), <c>FeedMaxItems</c> per feed stream
/// (default 100,000: split larger feeds — publishing is idempotent, so a feed can be resent whole),
/// <c>FeedIdleSeconds</c> a feed stream may go without a message (default 60), <c>CsvMaxBytes</c> per CSV
/// upload (default 64 MiB).
/// </summary>
public sealed record ServiceLimits(int MessageMaxBytes, int FeedMaxItems, TimeSpan FeedIdle, long CsvMaxBytes)
{
    public static ServiceLimits From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Lmis:Limits");
        var limits = new ServiceLimits(
            section.GetValue("MessageMaxBytes", 4 * 1024 * 1024),
            section.GetValue("FeedMaxItems", 100_000),
            TimeSpan.FromSeconds(section.GetValue("FeedIdleSeconds", 60)),
            section.GetValue("CsvMaxBytes", 64L * 1024 * 1024));
        return limits.MessageMaxBytes < 1024 || limits.FeedMaxItems < 1 || limits.FeedIdle <= TimeSpan.Zero || limits.CsvMaxBytes < 1024
            ? throw new InvalidOperationException("Lmis:Limits: MessageMaxBytes and CsvMaxBytes need at least 1024, FeedMaxItems and FeedIdleSeconds at least 1.")
            : limits;
    }
}
