using Lmis.Contracts.Events;
using Lmis.Vacancies.Publishing;

namespace Lmis.Vacancies.Search;

/// <summary>
/// What a vacancy search asks for, already validated: every filter is optional; results come newest first, a page
/// at a time, the next page starting after the last vacancy of this one (keyset paging: stable while data changes).
/// </summary>
public sealed record VacancyQuery
{
    public IReadOnlyList<string> Countries { get; init; } = [];

    /// <summary>An ISCO-08 code at any level: matches it and every code under it.</summary>
    public string? OccupationPrefix { get; init; }

    public string? SectorCode { get; init; }

    /// <summary>Statuses to include; empty for every status.</summary>
    public IReadOnlyList<string> Statuses { get; init; } = [VacancyStatus.Open];

    public string? EmploymentType { get; init; }

    public bool? ForeignWorkersEligible { get; init; }

    public string? OriginCountry { get; init; }

    public string? PathwayId { get; init; }

    public bool FeeFreeOnly { get; init; }

    /// <summary>Wage ranges overlapping [WageMin, WageMax] in this currency.</summary>
    public decimal? WageMin { get; init; }

    public decimal? WageMax { get; init; }

    public string? WageCurrency { get; init; }

    public DateOnly? PostedSince { get; init; }

    /// <summary>Words that must all appear in the title or description (any case, any accents).</summary>
    public string? Text { get; init; }

    public int PageSize { get; init; } = 50;

    /// <summary>The position after which this page starts (from the previous page's token).</summary>
    public long? After { get; init; }

    public bool IncludeTotal { get; init; }
}

public sealed record VacancyPage(IReadOnlyList<Vacancy> Vacancies, long? Next, long? Total);
