using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lmis.BuildingBlocks.Security;

/// <summary>
/// How much one caller may ask of the public entry point (<c>Lmis:Limits</c>): each credential, and each address
/// for anonymous callers, has its own token bucket of <c>RequestsPerSecond</c> (default 200) with bursts up to
/// <c>Burst</c> (default 400), so a flood from one credential is refused with 429 / RESOURCE_EXHAUSTED and a
/// Retry-After while every other caller keeps its own share. A feed stream counts as one request; its size is
/// bounded by the message and feed limits instead. Anonymous calls from this machine itself (a module calling
/// another in the standalone host) are not limited.
/// </summary>
public static class CallerLimits
{
    public sealed record Settings(int RequestsPerSecond, int Burst)
    {
        public static Settings From(IConfiguration configuration)
        {
            var section = configuration.GetSection("Lmis:Limits");
            var perSecond = section.GetValue("RequestsPerSecond", 200);
            var burst = section.GetValue("Burst", perSecond * 2);
            return perSecond < 1 || burst < 1
                ? throw new InvalidOperationException("Lmis:Limits:RequestsPerSecond and Lmis:Limits:Burst must be at least 1.")
                : new Settings(perSecond, burst);
        }
    }

    public static IHostApplicationBuilder AddCallerLimits(this IHostApplicationBuilder builder)
    {
        var settings = Settings.From(builder.Configuration);
        builder.Services.AddSingleton<CallerLimitMetrics>();
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var key = PartitionOf(context);
                return key is null
                    ? RateLimitPartition.GetNoLimiter(string.Empty)
                    : RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = settings.Burst,
                        TokensPerPeriod = settings.RequestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
            });
            options.OnRejected = (rejected, _) =>
            {
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var caller = Caller.From(rejected.HttpContext);
                rejected.HttpContext.RequestServices.GetRequiredService<CallerLimitMetrics>().Refused(rejected.HttpContext, caller);
                return new ValueTask(CallRefusal.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, Grpc.Core.StatusCode.ResourceExhausted,
                    $"Too many calls from {caller}: at most {settings.RequestsPerSecond} per second (bursts of {settings.Burst}). "
                    + $"Retry after {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture)} s.", wait));
            };
        });
        return builder;
    }

    /// <summary>Limits apply after authentication, so they count per credential.</summary>
    public static WebApplication UseCallerLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The credential, or the address of an anonymous caller; null for anonymous calls from this machine.</summary>
    private static string? PartitionOf(HttpContext context)
    {
        if (context.User.FindFirstValue(AccessClaims.Credential) is { Length: > 0 } credential)
        {
            return credential;
        }

        var address = context.Connection.RemoteIpAddress;
        return address is null || IPAddress.IsLoopback(address) ? null : "address:" + AddressFormat.Of(address);
    }
}
