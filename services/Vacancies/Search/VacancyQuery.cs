using System.Globalization;
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

    /// <summary>Newest first, or (with <see cref="Text"/>) the best matches first.</summary>
    public VacancyOrder Order { get; init; }

    /// <summary>The position after which this page starts (from the previous page's token), newest first.</summary>
    public long? After { get; init; }

    /// <summary>By relevance: how many of the best matches the earlier pages gave (from the previous page's token).</summary>
    public int Skip { get; init; }

    public bool IncludeTotal { get; init; }
}

/// <summary>
/// How a search's matches are ordered. Newest first pages by keyset (pages neither skip nor repeat while vacancies
/// are added); by relevance pages by rank position, so a page may repeat or skip a vacancy published between pages.
/// </summary>
public enum VacancyOrder
{
    Newest,

    /// <summary>BM25 over the words of the search, a word in the title weighing three times one in the description; ties newest first.</summary>
    Relevance,
}

/// <summary>
/// A page of a search. <see cref="Next"/> is where the next page starts: the position after which it starts (newest
/// first) or how many matches come before it (by relevance); null on the last page.
/// </summary>
public sealed record VacancyPage(IReadOnlyList<Vacancy> Vacancies, long? Next, long? Total)
{
    public VacancyOrder Order { get; init; }

    /// <summary>The token a caller sends for the next page (see <see cref="VacancySearch.ReadPageToken(string?, VacancyOrder, out long?)"/>).</summary>
    public string? NextPageToken => Next is not { } next ? null
        : Order == VacancyOrder.Relevance ? VacancySearch.RankedPageTokenPrefix + next.ToString(CultureInfo.InvariantCulture)
        : next.ToString(CultureInfo.InvariantCulture);
}
