using System.Security.Cryptography;
using System.Text.Json;
using Lmis.Contracts.Events;

namespace Lmis.Vacancies.Publishing;

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
    /// <summary>A fingerprint of the content: the same feed row sent again has the same one, so it changes nothing.</summary>
    public string Fingerprint() =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(this)));
}

public static class VacancyStatus
{
    public const string Open = "open";
}

public enum PublishOutcome
{
    Created,
    Updated,
    Unchanged,
}

/// <summary>A vacancy as LMIS keeps it: the ministry's identity for it, its content, and its version history.</summary>
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
    public VacancySnapshot ToSnapshot() => new(
        Id, Country, SourceId, Version, Content.OccupationCode, Content.Positions, Status, Content.DatePosted, Content.ValidThrough);

    /// <summary>The event that announces this version of the vacancy.</summary>
    public IIntegrationEvent Announce(PublishOutcome outcome) => outcome switch
    {
        PublishOutcome.Created => new VacancyPublished(Guid.NewGuid(), UpdatedAt, ToSnapshot()),
        PublishOutcome.Updated => new VacancyUpdated(Guid.NewGuid(), UpdatedAt, ToSnapshot()),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "An unchanged vacancy announces nothing."),
    };
}
