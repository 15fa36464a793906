using System.Globalization;
using Lmis.BuildingBlocks.Classifications;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Text;
using Lmis.Contracts.Events;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Storage;
using static Lmis.BuildingBlocks.Text.OptionalText;

namespace Lmis.Vacancies.Search;

/// <summary>
/// The filters of a search as a caller sends them, before they are checked; each one left out does not filter. The
/// page size 0 means <see cref="VacancySearch.DefaultPageSize"/>.
/// </summary>
public sealed record SearchRequest
{
    /// <summary>Member states, comma-separated (ISO 3166-1 alpha-3 or alpha-2).</summary>
    public string? Countries { get; init; }

    /// <summary>An ISCO-08 code at any level: the group and everything under it.</summary>
    public string? Occupation { get; init; }

    public string? Sector { get; init; }

    /// <summary>A vacancy status or <c>all</c>; open when not given.</summary>
    public string? Status { get; init; }

    public string? EmploymentType { get; init; }

    public bool? ForeignWorkersEligible { get; init; }

    public string? OriginCountry { get; init; }

    public string? PathwayId { get; init; }

    public bool FeeFreeOnly { get; init; }

    public decimal? WageMin { get; init; }

    public decimal? WageMax { get; init; }

    public string? WageCurrency { get; init; }

    /// <summary>A date YYYY-MM-DD.</summary>
    public string? PostedSince { get; init; }

    public string? Text { get; init; }

    /// <summary><c>newest</c> (when not given) or <c>relevance</c>.</summary>
    public string? Order { get; init; }

    public int PageSize { get; init; }

    public string? PageToken { get; init; }

    public bool IncludeTotal { get; init; }
}

/// <summary>Checks a search's filters (a filter that cannot match is an error, not an empty page) and runs it.</summary>
public sealed class VacancySearch(IVacancyStore store, Region region)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>
    /// How many matches a search by relevance ranks: the newest this many. Scoring every match of a word found in a
    /// fifth of a million vacancies took 0.7 s a search (as long as PostgreSQL's <c>ts_rank_cd</c> over the same
    /// data); ranked within the newest 2,000, a search stays within tens of milliseconds. Pages stop there.
    /// </summary>
    public const int MaxRankedMatches = 2_000;

    /// <summary>Marks a page token of a search by relevance (a rank position, not a keyset position).</summary>
    public const string RankedPageTokenPrefix = "r";

    public Task<VacancyPage> SearchAsync(SearchRequest request, CancellationToken cancellationToken) =>
        store.SearchAsync(ToQuery(request), cancellationToken);

    public Task<VacancyPage> SearchAsync(VacancyQuery query, CancellationToken cancellationToken) =>
        store.SearchAsync(query, cancellationToken);

    /// <summary>
    /// The keyset position a page token names (null for no token), or why the token is not one an earlier page gave.
    /// </summary>
    public static FieldError? ReadPageToken(string? pageToken, out long? after) =>
        ReadPageToken(pageToken, VacancyOrder.Newest, out after);

    /// <summary>
    /// Where the page a token names starts (null for no token): a keyset position newest first, the number of better
    /// matches by relevance; or why the token is not one an earlier page of a search in this order gave.
    /// </summary>
    public static FieldError? ReadPageToken(string? pageToken, VacancyOrder order, out long? start)
    {
        start = null;
        if (TrimmedOrNull(pageToken) is not { } token)
        {
            return null;
        }

        var ranked = token.StartsWith(RankedPageTokenPrefix, StringComparison.Ordinal);
        var digits = ranked ? token[RankedPageTokenPrefix.Length..] : token;
        if (ranked == (order == VacancyOrder.Relevance)
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position > 0
            && (!ranked || position < MaxRankedMatches))
        {
            start = position;
            return null;
        }

        return new FieldError("page_token", token, ranked == (order == VacancyOrder.Relevance)
            ? "not a page token from an earlier page"
            : $"a page token from a search in {(ranked ? "relevance" : "newest")} order: send the same order as the page that gave it");
    }

    public VacancyQuery ToQuery(SearchRequest request)
    {
        var errors = new List<FieldError>();
        var countries = region.MemberFilters(request.Countries, errors);

        var occupation = TrimmedOrNull(request.Occupation);
        if (occupation is not null && !Isco08.IsCode(occupation))
        {
            errors.Add(new FieldError("occupation", occupation, "an ISCO-08 code at any level: 1 to 4 digits"));
        }

        var status = TrimmedOrNull(request.Status)?.ToLowerInvariant() ?? VacancyStatus.Open;
        IReadOnlyList<string> statuses = status == "all" ? [] : [status];
        if (status != "all" && !VacancyStatus.All.Contains(status))
        {
            errors.Add(new FieldError("status", status, "open, filled, withdrawn, expired or all"));
        }

        var type = TrimmedOrNull(request.EmploymentType)?.ToLowerInvariant();
        if (type is not null && !VacancyValidation.EmploymentTypes.Contains(type))
        {
            errors.Add(new FieldError("employment_type", type, $"one of {string.Join(", ", VacancyValidation.EmploymentTypes)}"));
        }

        var origin = TrimmedOrNull(request.OriginCountry) is { } given ? Region.CountryAlpha3(given) : null;
        if (origin is null && TrimmedOrNull(request.OriginCountry) is not null)
        {
            errors.Add(new FieldError("origin_country", request.OriginCountry, "not a country ISO 3166-1 has assigned: give its alpha-3 or alpha-2 code"));
        }

        var currency = TrimmedOrNull(request.WageCurrency)?.ToUpperInvariant();
        if ((request.WageMin is not null || request.WageMax is not null) && currency is null)
        {
            errors.Add(new FieldError("wage_currency", null, "required with a wage bound: wages are compared in one currency"));
        }

        if (request.WageMin < 0 || request.WageMax < 0 || request.WageMin > request.WageMax)
        {
            errors.Add(new FieldError("wage_min", request.WageMin?.ToString(CultureInfo.InvariantCulture), "wage bounds are positive, the minimum not above the maximum"));
        }

        DateOnly? since = null;
        if (TrimmedOrNull(request.PostedSince) is { } posted)
        {
            if (DateOnly.TryParseExact(posted, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                since = date;
            }
            else
            {
                errors.Add(new FieldError("posted_since", posted, "a date YYYY-MM-DD"));
            }
        }

        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add(new FieldError("page_size", request.PageSize.ToString(CultureInfo.InvariantCulture), $"1 to {MaxPageSize}"));
        }

        var text = TrimmedOrNull(request.Text);
        if (text is { Length: > 500 })
        {
            errors.Add(new FieldError("text", null, "at most 500 characters"));
        }

        var order = TrimmedOrNull(request.Order)?.ToLowerInvariant() switch
        {
            null or "newest" => VacancyOrder.Newest,
            "relevance" => VacancyOrder.Relevance,
            var other => Refused(new FieldError("order", other, "newest or relevance")),
        };
        if (order == VacancyOrder.Relevance && !TextFolding.Words(text ?? string.Empty).Any())
        {
            errors.Add(new FieldError("order", "relevance", "relevance needs words to rank by: send text too"));
        }

        if (ReadPageToken(request.PageToken, order, out var start) is { } tokenError)
        {
            errors.Add(tokenError);
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException("Search", errors);
        }

        VacancyOrder Refused(FieldError error)
        {
            errors.Add(error);
            return VacancyOrder.Newest;
        }

        return new VacancyQuery
        {
            Countries = countries,
            OccupationPrefix = occupation,
            SectorCode = TrimmedOrNull(request.Sector)?.ToUpperInvariant(),
            Statuses = statuses,
            EmploymentType = type,
            ForeignWorkersEligible = request.ForeignWorkersEligible,
            OriginCountry = origin,
            PathwayId = TrimmedOrNull(request.PathwayId),
            FeeFreeOnly = request.FeeFreeOnly,
            WageMin = request.WageMin,
            WageMax = request.WageMax,
            WageCurrency = currency,
            PostedSince = since,
            Text = text,
            PageSize = pageSize,
            Order = order,
            After = order == VacancyOrder.Newest ? start : null,
            Skip = order == VacancyOrder.Relevance ? (int)(start ?? 0) : 0,
            IncludeTotal = request.IncludeTotal,
        };
    }
}
