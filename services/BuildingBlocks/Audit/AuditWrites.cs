using System.Globalization;
using System.Text;
using Grpc.Core;
using Lmis.BuildingBlocks.Security;
using Lmis.BuildingBlocks.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lmis.BuildingBlocks.Audit;

public static class AuditExtensions
{
    private const string SummaryItem = "Lmis.Audit.Summary";

    /// <summary>
    /// The audit trail of the service <paramref name="service"/>, kept beside its data: the <c>audit_trail</c>
    /// collection of its MongoDB database, or a table of its SQLite file.
    /// </summary>
    public static IHostApplicationBuilder AddAuditTrail(this IHostApplicationBuilder builder, string service, string database)
    {
        builder.Services.AddKeyedStore<AuditTrail>(service, StorageLocation.For(builder, database),
            mongo => new MongoAuditTrail(mongo),
            file => new SqliteAuditTrail(new SqliteDatabase(file, SqliteAuditTrail.Schema)));
        return builder;
    }

    /// <summary>Says briefly what this write did (which resource, how many items), for its audit entry.</summary>
    public static void AuditSummary(this HttpContext context, string summary) => context.Items[SummaryItem] = summary;

    public static void AuditSummary(this ServerCallContext context, string summary) => context.GetHttpContext().AuditSummary(summary);

    internal static string? AuditSummaryOf(HttpContext context) => context.Items[SummaryItem] as string;
}

/// <summary>
/// Audits every call to an endpoint marked <see cref="WriteAttribute"/>, accepted or refused, in two entries of
/// the same call: one with the outcome <c>STARTED</c>, committed before the call may write anything, and one with
/// how it ended. A write cut short by a crash therefore still names who made it. The entries go to the trail of the
/// service the call belongs to (<c>/lmis.&lt;service&gt;.v1.*</c> or <c>/api/v1/&lt;service&gt;...</c>), so modules
/// sharing one process keep their own trails. A write for which no trail is registered, or whose first entry cannot
/// be written, is refused: nothing is written unaudited.
/// </summary>
internal sealed class AuditWrites(RequestDelegate next, TimeProvider time, ILogger<AuditWrites> logger)
{
    public const string Started = "STARTED";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<WriteAttribute>() is null)
        {
            await next(context);
            return;
        }

        var service = ServiceOf(context.Request.Path);
        var trail = service is null ? null : context.RequestServices.GetKeyedService<AuditTrail>(service);
        if (trail is null)
        {
            await CallRefusal.WriteAsync(context, StatusCodes.Status500InternalServerError, StatusCode.Internal,
                $"No audit trail is configured for '{service}'; writes are refused.");
            return;
        }

        var call = Guid.CreateVersion7();
        await RecordAsync(context, trail, service!, call, Started);
        try
        {
            await next(context);
        }
        catch
        {
            await RecordAsync(context, trail, service!, call, "FAILED");
            throw;
        }

        await RecordAsync(context, trail, service!, call, OutcomeOf(context));
    }

    private async Task RecordAsync(HttpContext context, AuditTrail trail, string service, Guid call, string outcome)
    {
        var caller = Caller.From(context);
        var entry = new AuditEntry(
            outcome == Started ? call : Guid.CreateVersion7(), time.GetUtcNow(), service, CallRefusal.ActionOf(context), caller.Subject, caller.Credential,
            caller.Role, caller.Country, caller.ClientAddress, outcome, AuditExtensions.AuditSummaryOf(context))
        {
            Call = call,
        };
        try
        {
            // Not the caller's token: the entry is written even when the caller has gone away.
            await trail.AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Audit entry {Id} for {Action} by {Subject} could not be written", entry.Id, entry.Action, entry.Subject);
            throw;
        }
    }

    /// <summary>
    /// "vacancies" for /lmis.vacancies.v1.VacanciesService/... and for /api/v1/vacancies... . In any case: routing
    /// matches paths case-insensitively, so /API/V1/VACANCIES reaches the same endpoint and the same trail.
    /// </summary>
    internal static string? ServiceOf(PathString path)
    {
        var value = path.Value ?? string.Empty;
        if (value.StartsWith("/lmis.", StringComparison.OrdinalIgnoreCase))
        {
            var end = value.IndexOf('.', 6);
            return end > 6 ? value[6..end].ToLowerInvariant() : null;
        }

        // SDMX REST paths are the statistics service's.
        if (value.StartsWith("/sdmx/", StringComparison.OrdinalIgnoreCase))
        {
            return "statistics";
        }

        if (value.StartsWith("/api/v1/", StringComparison.OrdinalIgnoreCase))
        {
            var rest = value[8..];
            var end = rest.IndexOfAny(['/', ':']);
            return (end < 0 ? rest : rest[..end]).ToLowerInvariant();
        }

        return null;
    }

    private static string OutcomeOf(HttpContext context)
    {
        if (!CallRefusal.IsGrpc(context.Request))
        {
            return "HTTP " + context.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
        }

        var status = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"].ToString();
        if (string.IsNullOrEmpty(status))
        {
            status = context.Response.Headers["grpc-status"].ToString();
        }

        return int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? StatusName((StatusCode)code)
            : "UNKNOWN";
    }

    /// <summary>The canonical name, e.g. PERMISSION_DENIED, OK.</summary>
    internal static string StatusName(StatusCode code)
    {
        var name = code.ToString();
        var upper = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            // A word starts at a capital that follows a small letter: "InvalidArgument", but "OK" is one word.
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]))
            {
                upper.Append('_');
            }

            upper.Append(char.ToUpperInvariant(name[i]));
        }

        return upper.ToString();
    }
}
