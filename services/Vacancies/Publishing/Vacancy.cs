using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lmis.Contracts.Events;

namespace Lmis.Vacancies.Publishing;

/// <summary>An advertised wage range: its bounds, ISO 4217 currency and the period it is paid for.</summary>
public sealed record WageRange(decimal? Min, decimal? Max, string Currency, string Period);

/// <summary>What a ministry says about a vacancy, once validated and normalised.</summary>
public sealed record VacancyContent(
    string Title,
    string Description,
    string? Language,
    string OccupationCode,
    int Positions,
    DateOnly? DatePosted,
    DateOnly? ValidThrough)
{
    /// <summary>
    /// How <see cref="OccupationCode"/> was obtained: null when the publisher gave it, else a value of
    /// <see cref="OccupationCodings"/>. Left out of the JSON when null, so that the content (and fingerprint) of every
    /// vacancy coded by its publisher reads as it did before LMIS recorded this.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OccupationCoding { get; init; }

    public string? NationalOccupationScheme { get; init; }

    public string? NationalOccupationCode { get; init; }

    public string? SectorCode { get; init; }

    public string? EmployerName { get; init; }

    public string? LocationSubdivision { get; init; }

    public string? LocationLocality { get; init; }

    public string? EmploymentType { get; init; }

    public string? WorkingTime { get; init; }

    public double? HoursPerWeek { get; init; }

    public WageRange? Wage { get; init; }

    public string? EducationLevel { get; init; }

    public int? ExperienceMonths { get; init; }

    public IReadOnlyList<string> RequiredLanguages { get; init; } = [];

    public IReadOnlyList<string> RequiredSkills { get; init; } = [];

    public bool ForeignWorkersEligible { get; init; }

    public IReadOnlyList<string> EligibleOriginCountries { get; init; } = [];

    public string? PathwayId { get; init; }

    public bool WorkerPaysRecruitmentFees { get; init; }

    public string? RecruiterName { get; init; }

    public string? RecruiterCertification { get; init; }

    /// <summary>A fingerprint of the content: the same feed row sent again has the same one, so it changes nothing.</summary>
    public string Fingerprint() => FingerprintOf(ToJson());

    /// <summary>The content as JSON, as it is stored and fingerprinted.</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The fingerprint of content already serialised with <see cref="ToJson"/> (a feed serialises it once).</summary>
    public static string FingerprintOf(string json) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    /// <summary>Two contents are equal when they say the same, lists included (a record alone compares lists by reference).</summary>
    public bool Equals(VacancyContent? other) => other is not null && Fingerprint() == other.Fingerprint();

    public override int GetHashCode() => Fingerprint().GetHashCode(StringComparison.Ordinal);
}

public enum PublishOutcome
{
    Created,
    Updated,
    Unchanged,
    Closed,

    /// <summary>Checked only (validate-only) and accepted: it would be published as sent; nothing was stored.</summary>
    Valid,
}

/// <summary>A vacancy as LMIS keeps it: the ministry's identity for it, its content, status and version history.</summary>
public sealed record Vacancy(
    Guid Id,
    string Country,
    string SourceId,
    int Version,
    string Status,
    VacancyContent Content,
    DateTimeOffset PublishedAt,
    DateTimeOffset UpdatedAt)
{
    public string? ClosedReason { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The change-feed cursor of this vacancy's latest change.</summary>
    public long Cursor { get; init; }

    public bool IsOpen => Status == VacancyStatus.Open;

    public VacancySnapshot ToSnapshot() => new(
        Id, Country, SourceId, Version, Content.OccupationCode, Content.Positions, Status, Content.DatePosted, Content.ValidThrough)
    {
        SectorCode = Content.SectorCode,
        ForeignWorkersEligible = Content.ForeignWorkersEligible,
        WorkerPaysRecruitmentFees = Content.WorkerPaysRecruitmentFees,
        PathwayId = Content.PathwayId,
        WageMin = Content.Wage?.Min,
        WageMax = Content.Wage?.Max,
        WageCurrency = Content.Wage?.Currency,
        WagePeriod = Content.Wage?.Period,
        PublishedAt = PublishedAt,
        ClosedAt = ClosedAt,
    };

    /// <summary>The event that announces this version of the vacancy.</summary>
    public IIntegrationEvent Announce(PublishOutcome outcome) => outcome switch
    {
        PublishOutcome.Created => new VacancyPublished(Guid.CreateVersion7(UpdatedAt), UpdatedAt, ToSnapshot()),
        PublishOutcome.Updated => new VacancyUpdated(Guid.CreateVersion7(UpdatedAt), UpdatedAt, ToSnapshot()),
        PublishOutcome.Closed => new VacancyClosed(Guid.CreateVersion7(UpdatedAt), UpdatedAt, ToSnapshot(), ClosedReason ?? Status),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "An unchanged vacancy announces nothing."),
    };

    /// <summary>
    /// What a ministry's write does to the vacancy stored (null: none yet), as one new version or nothing (null).
    /// New content becomes the next version, open, or closed when the write says so: one version and one event,
    /// even for a vacancy first published as closed history. The same content changes nothing, unless it closes
    /// a vacancy that is open; it never reopens a closed one.
    /// </summary>
    public static (Vacancy Next, PublishOutcome Outcome)? Apply(Vacancy? stored, bool sameContent, string country, string sourceId,
        VacancyContent content, string? closing, DateTimeOffset now)
    {
        if (stored is null)
        {
            var created = new Vacancy(Guid.CreateVersion7(now), country, sourceId, 1, VacancyStatus.Open, content, now, now);
            return closing is null ? (created, PublishOutcome.Created) : (created.ClosedAs(closing, now), PublishOutcome.Closed);
        }

        if (sameContent)
        {
            return closing is not null && stored.IsOpen ? (stored.Close(closing, now), PublishOutcome.Closed) : null;
        }

        var revised = stored.Revise(content, now);
        return closing is null ? (revised, PublishOutcome.Updated) : (revised.ClosedAs(closing, now), PublishOutcome.Closed);
    }

    /// <summary>
    /// What closing the vacancy for a reason does: the next version, closed, or nothing (null) when it is closed
    /// already — closing twice is no second version and no second event.
    /// </summary>
    public (Vacancy Next, PublishOutcome Outcome)? CloseIfOpen(string reason, DateTimeOffset now) =>
        IsOpen ? (Close(reason, now), PublishOutcome.Closed) : null;

    /// <summary>What its closing date passing does: the next version, expired, or nothing when it is closed already.</summary>
    public (Vacancy Next, PublishOutcome Outcome)? ExpireIfOpen(DateTimeOffset now) => CloseIfOpen(VacancyStatus.Expired, now);

    /// <summary>The next version with new content (a closed vacancy published again reopens).</summary>
    private Vacancy Revise(VacancyContent content, DateTimeOffset now) =>
        this with { Version = Version + 1, Content = content, Status = VacancyStatus.Open, ClosedReason = null, ClosedAt = null, UpdatedAt = now };

    /// <summary>The next version, closed for a reason: filled, withdrawn or expired.</summary>
    private Vacancy Close(string reason, DateTimeOffset now) => (this with { Version = Version + 1 }).ClosedAs(reason, now);

    /// <summary>This version, closed for a reason.</summary>
    private Vacancy ClosedAs(string reason, DateTimeOffset now) =>
        this with { Status = reason, ClosedReason = reason, ClosedAt = now, UpdatedAt = now };
}
