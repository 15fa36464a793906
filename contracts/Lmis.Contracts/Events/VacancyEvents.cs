namespace Lmis.Contracts.Events;

/// <summary>
/// What consumers of vacancy events need to know of a vacancy at one of its versions. Later versions carry a
/// higher <see cref="Version"/>, so a consumer keeps the highest it has seen and ignores older or repeated ones.
/// </summary>
public sealed record VacancySnapshot(
    Guid VacancyId,
    string Country,
    string SourceId,
    int Version,
    string OccupationCode,
    int Positions,
    string Status,
    DateOnly? DatePosted,
    DateOnly? ValidThrough)
{
    /// <summary>ISIC Rev.4 code of the employer's activity, when given.</summary>
    public string? SectorCode { get; init; }

    public bool ForeignWorkersEligible { get; init; }

    public bool WorkerPaysRecruitmentFees { get; init; }

    public string? PathwayId { get; init; }

    public decimal? WageMin { get; init; }

    public decimal? WageMax { get; init; }

    public string? WageCurrency { get; init; }

    public string? WagePeriod { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }
}

/// <summary>A ministry published a vacancy LMIS did not have before.</summary>
public sealed record VacancyPublished(Guid EventId, DateTimeOffset OccurredAt, VacancySnapshot Vacancy)
    : IIntegrationEvent;

/// <summary>A ministry published a changed version of a vacancy LMIS already had.</summary>
public sealed record VacancyUpdated(Guid EventId, DateTimeOffset OccurredAt, VacancySnapshot Vacancy)
    : IIntegrationEvent;

/// <summary>A vacancy was closed: filled, withdrawn by its ministry, or expired after its closing date.</summary>
public sealed record VacancyClosed(Guid EventId, DateTimeOffset OccurredAt, VacancySnapshot Vacancy, string Reason)
    : IIntegrationEvent;

/// <summary>
/// Vacancy events sent together as one message. A feed brings thousands of vacancies at once, and each message on the
/// bus costs far more than the event it carries. Every event keeps its own id and version: a consumer applies them
/// as if they had come one by one (the highest version of a vacancy wins), so their order inside the bundle does not
/// matter. Named by its first event's id.
/// </summary>
public sealed record VacancyEventBundle(
    Guid EventId,
    DateTimeOffset OccurredAt,
    IReadOnlyList<VacancyPublished> Published,
    IReadOnlyList<VacancyUpdated> Updated,
    IReadOnlyList<VacancyClosed> Closed)
    : IIntegrationEvent
{
    /// <summary>Whether <paramref name="integrationEvent"/> is one a bundle carries.</summary>
    public static bool Carries(IIntegrationEvent integrationEvent) =>
        integrationEvent is VacancyPublished or VacancyUpdated or VacancyClosed;

    /// <summary>The bundle of <paramref name="events"/>, each a vacancy event (<see cref="Carries"/>).</summary>
    public static VacancyEventBundle Of(IReadOnlyList<IIntegrationEvent> events)
    {
        if (events.Count == 0 || !events.All(Carries))
        {
            throw new ArgumentException("A bundle carries one or more vacancy events, and nothing else.", nameof(events));
        }

        return new VacancyEventBundle(
            events[0].EventId,
            events.Max(e => e.OccurredAt),
            [.. events.OfType<VacancyPublished>()],
            [.. events.OfType<VacancyUpdated>()],
            [.. events.OfType<VacancyClosed>()]);
    }

    /// <summary>Every event of the bundle.</summary>
    public IEnumerable<IIntegrationEvent> Events() =>
        Published.Cast<IIntegrationEvent>().Concat(Updated).Concat(Closed);

    /// <summary>The vacancy of every event of the bundle.</summary>
    public IEnumerable<VacancySnapshot> Vacancies() =>
        Published.Select(e => e.Vacancy).Concat(Updated.Select(e => e.Vacancy)).Concat(Closed.Select(e => e.Vacancy));
}

/// <summary>
/// The states a vacancy is in, as the vacancies service keeps them and its events and change feed carry them: open,
/// or closed as filled, withdrawn (both said by the ministry) or expired (past its closing date).
/// </summary>
public static class VacancyStatus
{
    public const string Open = "open";
    public const string Filled = "filled";
    public const string Withdrawn = "withdrawn";
    public const string Expired = "expired";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Open, Filled, Withdrawn, Expired };

    /// <summary>Why a ministry may close a vacancy (expiry is LMIS's own).</summary>
    public static readonly IReadOnlySet<string> ClosingReasons = new HashSet<string>(StringComparer.Ordinal) { Filled, Withdrawn };
}
