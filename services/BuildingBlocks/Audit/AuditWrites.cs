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
        builder.Services.AddKeyedSingleton(service, StorageLocation.For(builder, database).Open<AuditTrail>(
            mongo => new MongoAuditTrail(mongo),
            file => new SqliteAuditTrail(new SqliteDatabase(file, SqliteAuditTrail.Schema))));
        return builder;
    }

    /// <summary>Says briefly what this write did (which resource, how many items), for its audit entry.</summary>
    public static void AuditSummary(this HttpContext context, string summary) => context.Items[SummaryItem] = summary;

    public static void AuditSummary(this ServerCallContext context, string summary) => context.GetHttpContext().AuditSummary(summary);

    internal static string? AuditSummaryOf(HttpContext context) => context.Items[SummaryItem] as string;
}

/// <summary>
/// Writes an audit entry for every call to an endpoint marked <see cref="WriteAttribute"/>, whether it was
/// accepted or refused, once the call has finished. The entry goes to the trail of the service the call belongs to
/// (<c>/lmis.&lt;service&gt;.v1.*</c> or <c>/api/v1/&lt;service&gt;...</c>), so modules sharing one process keep
/// their own trails. A write for which no trail is registered is refused: nothing is written unaudited.
/// </summary>
internal sealed class AuditWrites(RequestDelegate next, TimeProvider time, ILogger<AuditWrites> logger)
{
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

        try
        {
            await next(context);
        }
        catch
        {
            await RecordAsync(context, trail, service!, "FAILED");
            throw;
        }

        await RecordAsync(context, trail, service!, OutcomeOf(context));
    }

    private async Task RecordAsync(HttpContext context, AuditTrail trail, string service, string outcome)
    {
        var caller = Caller.From(context);
        var entry = new AuditEntry(
            Guid.NewGuid(), time.GetUtcNow(), service, CallRefusal.ActionOf(context), caller.Subject, caller.Credential,
            caller.Role, caller.Country, caller.ClientAddress, outcome, AuditExtensions.AuditSummaryOf(context));
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

    /// <summary>"vacancies" for /lmis.vacancies.v1.VacanciesService/... and for /api/v1/vacancies... .</summary>
    internal static string? ServiceOf(PathString path)
    {
        var value = path.Value ?? string.Empty;
        if (value.StartsWith("/lmis.", StringComparison.Ordinal))
        {
            var end = value.IndexOf('.', 6);
            return end > 6 ? value[6..end] : null;
        }

        // SDMX REST paths are the statistics service's.
        if (value.StartsWith("/sdmx/", StringComparison.Ordinal))
        {
            return "statistics";
        }

        if (value.StartsWith("/api/v1/", StringComparison.Ordinal))
        {
            var rest = value[8..];
            var end = rest.IndexOfAny(['/', ':']);
            return end < 0 ? rest : rest[..end];
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

    /// <summary>The canonical name, e.g. PERMISSION_DENIED.</summary>
    private static string StatusName(StatusCode code)
    {
        var name = code.ToString();
        var upper = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                upper.Append('_');
            }

            upper.Append(char.ToUpperInvariant(name[i]));
        }

        return upper.ToString();
    }
}
