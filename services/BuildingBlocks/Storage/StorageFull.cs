using System.Diagnostics.CodeAnalysis;
using Lmis.BuildingBlocks.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Lmis.BuildingBlocks.Storage;

/// <summary>
/// A write that failed because the disk under a service's data is full. The write's transaction rolled back, so
/// nothing of it was kept; callers are told so, with when to try again (gRPC UNAVAILABLE, HTTP 503 with
/// Retry-After), and <c>/health</c> reports the service unhealthy until the storage has room again.
/// </summary>
public static class StorageFull
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(60);

    public const string Message =
        "The service's storage is full: nothing of this request was written. Try again later; the operators see it in /health.";

    private const int SqliteFull = 13;
    private const int NoSpaceLeftOnDevice = 28; // ENOSPC, as .NET reports it on Linux
    private const int WindowsDiskFull = 0x70;   // ERROR_DISK_FULL
    private const int WindowsHandleDiskFull = 0x27;

    private static long _lastSeenTicks;

    /// <summary>When a write last failed for want of space (null when never in this process).</summary>
    public static DateTimeOffset? LastSeen =>
        Interlocked.Read(ref _lastSeenTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>True when the exception, or one inside it, says the disk is full.</summary>
    public static bool Is([NotNullWhen(true)] Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteFull }
                || (e is IOException && (e.HResult & 0xFFFF) is NoSpaceLeftOnDevice or WindowsDiskFull or WindowsHandleDiskFull))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Remembers that a write was just refused for want of space, for <c>/health</c>.</summary>
    public static void Noted() => Interlocked.Exchange(ref _lastSeenTicks, DateTimeOffset.UtcNow.UtcTicks);
}

/// <summary>
/// Answers a request whose write found the storage full — wherever it failed, in an endpoint or while writing its
/// audit entry — in the caller's protocol instead of an unexplained 500 or UNKNOWN.
/// </summary>
internal sealed partial class StorageFullResponses(RequestDelegate next, ILogger<StorageFullResponses> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (StorageFull.Is(e))
        {
            StorageFull.Noted();
            LogStorageFull(context.Request.Path, e.Message);
            await CallRefusal.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, Grpc.Core.StatusCode.Unavailable,
                StorageFull.Message, StorageFull.RetryAfter);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage full: a write to {Path} was refused, nothing was written ({Reason})")]
    private partial void LogStorageFull(string path, string reason);
}

/// <summary>
/// The storage part of <c>/health</c>: unhealthy while the disk under the SQLite files has less room than
/// <c>Lmis:Storage:MinimumFreeBytes</c> (default 32 MiB), or shortly after a write failed for want of space.
/// </summary>
public sealed class StorageHealthCheck(string directory, long minimumFreeBytes, TimeProvider time) : IHealthCheck
{
    public const long DefaultMinimumFreeBytes = 32L * 1024 * 1024;
    private static readonly TimeSpan RecentFailure = TimeSpan.FromSeconds(10);

    public static StorageHealthCheck For(string directory, IConfiguration configuration, TimeProvider time) =>
        new(directory, configuration.GetValue("Lmis:Storage:MinimumFreeBytes", DefaultMinimumFreeBytes), time);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var free = new DriveInfo(directory).AvailableFreeSpace;
        var data = new Dictionary<string, object> { ["directory"] = directory, ["freeBytes"] = free };
        if (free < minimumFreeBytes)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"Storage is full or nearly so: {free} bytes free under {directory} (at least {minimumFreeBytes} wanted); writes are refused.", data: data));
        }

        if (StorageFull.LastSeen is { } seen && time.GetUtcNow() - seen < RecentFailure)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"A write failed for want of space at {seen:O}; {free} bytes free under {directory}.", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"{free} bytes free under {directory}", data));
    }
}
