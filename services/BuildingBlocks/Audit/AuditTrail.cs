using System.Globalization;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Audit.V1;
using static Lmis.BuildingBlocks.Text.OptionalText;

namespace Lmis.BuildingBlocks.Audit;

/// <summary>
/// One entry of a write as the audit trail keeps it: who, for which country, when, what, from where, and how it
/// ended. Each write call has two entries with the same <see cref="Call"/>: <c>STARTED</c> before it could write,
/// and its outcome after.
/// </summary>
public sealed record AuditEntry(
    Guid Id, DateTimeOffset At, string Service, string Action, string Subject, string Credential, string Role,
    string? Country, string? ClientAddress, string Outcome, string? Summary)
{
    /// <summary>The write call this entry belongs to: the id of its <c>STARTED</c> entry.</summary>
    public Guid Call { get; init; } = Id;

    public AuditRecord ToMessage() => new()
    {
        Id = Id.ToString(),
        At = At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        Service = Service,
        Action = Action,
        Subject = Subject,
        Credential = Credential,
        Role = Role,
        Country = Country ?? string.Empty,
        ClientAddress = ClientAddress ?? string.Empty,
        Outcome = Outcome,
        Summary = Summary ?? string.Empty,
        CallId = Call.ToString(),
    };
}

/// <summary>Which entries a reader asks for, newest first; <see cref="After"/> is the position the previous page ended at.</summary>
public sealed record AuditQuery(string? Country, string? Subject, DateTimeOffset? Since, int Limit, long? After);

/// <summary>
/// A service's audit trail: append and read, nothing else — no code path here or in the API changes or removes an
/// entry (the SQLite table refuses updates and deletes outright).
/// </summary>
public abstract class AuditTrail
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public abstract Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>A page of entries, newest first, and the position to continue from (null at the end).</summary>
    public abstract Task<(IReadOnlyList<AuditEntry> Entries, long? Next)> ReadAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>The <c>ListAuditRecords</c> call every service offers the secretariat.</summary>
    public async Task<ListAuditRecordsResponse> ListAsync(ListAuditRecordsRequest request, Region region, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        string? country = null;
        if (!string.IsNullOrWhiteSpace(request.Country))
        {
            country = region.Find(request.Country.Trim())?.Alpha3;
            if (country is null)
            {
                errors.Add(new FieldError("country", request.Country, $"not a member state of {region.Id}"));
            }
        }

        DateTimeOffset? since = null;
        if (!string.IsNullOrWhiteSpace(request.Since))
        {
            if (DateTimeOffset.TryParse(request.Since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                since = parsed;
            }
            else
            {
                errors.Add(new FieldError("since", request.Since, "not an RFC 3339 time such as 2026-11-23T00:00:00Z"));
            }
        }

        if (request.PageSize is < 0 or > MaxPageSize)
        {
            errors.Add(new FieldError("page_size", request.PageSize.ToString(CultureInfo.InvariantCulture), $"between 1 and {MaxPageSize} (0 for {DefaultPageSize})"));
        }

        long? after = null;
        if (!string.IsNullOrEmpty(request.PageToken))
        {
            if (long.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            {
                after = position;
            }
            else
            {
                errors.Add(new FieldError("page_token", request.PageToken, "not a token this service gave"));
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException("Audit query", errors);
        }

        var subject = TrimmedOrNull(request.Subject);
        var (entries, next) = await ReadAsync(
            new AuditQuery(country, subject, since, request.PageSize == 0 ? DefaultPageSize : request.PageSize, after), cancellationToken);
        return new ListAuditRecordsResponse
        {
            Records = { entries.Select(e => e.ToMessage()) },
            NextPageToken = next?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        };
    }
}
