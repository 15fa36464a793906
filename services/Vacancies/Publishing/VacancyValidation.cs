using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Text;
using Lmis.Contracts.Classifications;
using Lmis.Contracts.Events;
using Lmis.Vacancies.Taxonomy;
using static Lmis.BuildingBlocks.Text.OptionalText;

namespace Lmis.Vacancies.Publishing;

/// <summary>
/// A vacancy that meets the rules: its identity, content, the reason it is sent closed (null: open), and the things
/// its publisher should check (warnings never change or refuse it).
/// </summary>
public sealed record ValidVacancy(MemberState Country, string SourceId, string? Closing, VacancyContent Content)
{
    public IReadOnlyList<FieldError> Warnings { get; init; } = [];

    public void Deconstruct(out MemberState country, out string sourceId, out VacancyContent content) =>
        (country, sourceId, content) = (Country, SourceId, Content);
}

/// <summary>
/// The rules a vacancy from a ministry's feed must meet. Every broken rule is reported at once (field, value,
/// reason), so a ministry can fix its feed in one pass. Codes are checked against the taxonomy's latest versions, and
/// the occupation against the job title (<see cref="OccupationFromTitle"/>).
/// </summary>
public sealed partial class VacancyValidation(
    Region region, ITaxonomyLookups taxonomy, TimeProvider? time = null, OccupationFromTitleSettings? occupationFromTitle = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly OccupationCheck _occupation = new(taxonomy, occupationFromTitle ?? new());
    private readonly TaxonomyCodeChecks _codes = new(taxonomy);

    public const int MaxSourceIdLength = 200;
    public const int MaxTitleLength = 300;
    public const int MaxDescriptionLength = 20_000;
    public const int MaxNameLength = 300;
    public const int MaxPositions = 100_000;
    public const int MaxListItems = 50;
    public const decimal MaxWage = 1_000_000_000m;

    public static readonly IReadOnlySet<string> EmploymentTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "permanent", "temporary", "seasonal", "apprenticeship", "internship", "other",
    };

    public static readonly IReadOnlySet<string> WorkingTimes = new HashSet<string>(StringComparer.Ordinal) { "full_time", "part_time" };

    public static readonly IReadOnlySet<string> WagePeriods = new HashSet<string>(StringComparer.Ordinal) { "hour", "day", "week", "month", "year" };

    /// <summary>ISO 4217 codes of the currencies in use, as the platform's regional data knows them.</summary>
    private static readonly FrozenSet<string> Currencies = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
        .Select(c =>
        {
            try
            {
                return new RegionInfo(c.Name).ISOCurrencySymbol;
            }
            catch (ArgumentException)
            {
                return null;
            }
        })
        .OfType<string>()
        .Where(code => code.Length == 3 && code.All(char.IsAsciiLetterUpper))
        .ToFrozenSet(StringComparer.Ordinal);

    public async Task<ValidVacancy> ValidateAsync(VacancySubmission submission, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var check = new FieldChecks(errors);

        var country = region.Find(submission.Country);
        if (country is null)
        {
            errors.Add(string.IsNullOrWhiteSpace(submission.Country)
                ? new FieldError("country", null, "required: the publishing member state (ISO 3166-1 alpha-3, e.g. MEX)")
                : new FieldError("country", submission.Country,
                    $"not a member state of {region.Id} ({string.Join(", ", region.MemberStates.Select(m => m.Alpha3))})"));
        }

        var sourceId = check.Text("source_id", submission.SourceId, MaxSourceIdLength, required: true, singleLine: true);
        var title = check.Text("title", submission.Title, MaxTitleLength, required: true, singleLine: true) ?? string.Empty;
        var description = check.Text("description", submission.Description, MaxDescriptionLength, required: false, singleLine: false) ?? string.Empty;
        var language = check.Code("language", submission.Language, LanguageTags.Pattern(), "a BCP 47 language tag such as es, en or fr");
        var employer = check.Text("employer_name", submission.EmployerName, MaxNameLength, required: false, singleLine: true);
        var locality = check.Text("location_locality", submission.LocationLocality, MaxNameLength, required: false, singleLine: true);
        var subdivision = check.Code("location_subdivision", FieldChecks.AsciiUpper(submission.LocationSubdivision), Subdivision(), "an ISO 3166-2 subdivision such as MX-NLE");
        if (subdivision is not null && country is not null && !subdivision.StartsWith(country.Alpha2 + "-", StringComparison.Ordinal))
        {
            errors.Add(new FieldError("location_subdivision", subdivision, $"not a subdivision of {country.Alpha3} (ISO 3166-2 codes of {country.Name} start with {country.Alpha2}-)"));
        }

        var positions = check.Integer("positions", submission.Positions, 1, MaxPositions) ?? 1;
        var employmentType = check.OneOf("employment_type", submission.EmploymentType, EmploymentTypes);
        var workingTime = check.OneOf("working_time", submission.WorkingTime, WorkingTimes);
        var hours = check.Number("hours_per_week", submission.HoursPerWeek, 0.5m, 168m);
        var experience = check.Integer("experience_months", submission.ExperienceMonths, 0, 600);
        var wage = CheckWage(submission, check, errors);
        var requiredLanguages = check.List("required_languages", submission.RequiredLanguages, v => LanguageTags.IsValid(v), "BCP 47 language tags", 20);
        var skills = check.List("required_skills", submission.RequiredSkills, v => v.Length <= 200 && !v.Any(char.IsControl), "skills of up to 200 characters", MaxListItems);
        var recruiter = check.Text("recruiter_name", submission.RecruiterName, MaxNameLength, required: false, singleLine: true);
        var certification = check.Text("recruiter_certification", submission.RecruiterCertification, 100, required: false, singleLine: true);
        var workerPays = check.Flag("worker_pays_recruitment_fees", submission.WorkerPaysRecruitmentFees) ?? false;
        var foreignEligible = check.Flag("foreign_workers_eligible", submission.ForeignWorkersEligible) ?? false;
        var suggestOccupation = check.Flag("suggest_occupation_code", submission.SuggestOccupationCode) ?? false;

        var datePosted = check.Date("date_posted", submission.DatePosted);
        var validThrough = check.Date("valid_through", submission.ValidThrough);
        var closing = ClosingReason(submission.Status, errors);
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        if (datePosted is not null && validThrough is not null && validThrough < datePosted)
        {
            errors.Add(new FieldError("valid_through", submission.ValidThrough, $"closes before it was posted ({submission.DatePosted})"));
        }
        else if (closing is null && validThrough < today)
        {
            // It would be announced open and expire a minute later: past vacancies are history, sent closed.
            errors.Add(new FieldError("valid_through", submission.ValidThrough,
                $"the closing date has passed (today is {today:yyyy-MM-dd} UTC): an open vacancy closes today or later; send a past one with status filled or withdrawn"));
        }

        var origins = new List<string>();
        foreach (var origin in submission.EligibleOriginCountries.Where(o => !string.IsNullOrWhiteSpace(o)))
        {
            var code = Region.CountryAlpha3(origin);
            if (code is null)
            {
                errors.Add(new FieldError("eligible_origin_countries", origin, "not a country ISO 3166-1 has assigned: give its alpha-3 or alpha-2 code"));
            }
            else if (!origins.Contains(code))
            {
                origins.Add(code);
            }
        }

        if (origins.Count > 0 && !foreignEligible)
        {
            errors.Add(new FieldError("eligible_origin_countries", string.Join(",", origins), "origin countries are given only when foreign_workers_eligible is true"));
        }

        var warnings = new List<FieldError>();
        var (occupation, coding) = await _occupation.CheckAsync(submission, suggestOccupation ? title : null, language, errors, warnings, cancellationToken);
        var sector = await _codes.CodeAsync("sector_code", SchemeIds.Isic4, "ISIC Rev.4", submission.SectorCode, errors, cancellationToken);
        var education = await _codes.CodeAsync("education_level", SchemeIds.Isced2011, "ISCED 2011", submission.EducationLevel, errors, cancellationToken);
        var pathway = await _codes.PathwayAsync(submission.PathwayId, country, foreignEligible, origins, errors, cancellationToken);

        if (errors.Count > 0)
        {
            throw new ValidationFailedException("Vacancy", errors);
        }

        // Asked only of a vacancy otherwise accepted: a refused one needs no advice.
        if (coding != OccupationCodings.Machine && await _occupation.TitleDisagreementAsync(title, language, occupation!, cancellationToken) is { } disagreement)
        {
            warnings.Add(disagreement);
        }

        return new ValidVacancy(country!, sourceId!, closing, new VacancyContent(title, description, language, occupation!, positions, datePosted, validThrough)
        {
            OccupationCoding = coding,
            NationalOccupationScheme = TrimmedOrNull(submission.NationalOccupationScheme),
            NationalOccupationCode = TrimmedOrNull(submission.NationalOccupationCode),
            SectorCode = sector,
            EmployerName = employer,
            LocationSubdivision = subdivision,
            LocationLocality = locality,
            EmploymentType = employmentType,
            WorkingTime = workingTime,
            HoursPerWeek = (double?)hours,
            Wage = wage,
            EducationLevel = education,
            ExperienceMonths = experience,
            RequiredLanguages = requiredLanguages,
            RequiredSkills = skills,
            ForeignWorkersEligible = foreignEligible,
            EligibleOriginCountries = origins,
            PathwayId = pathway,
            WorkerPaysRecruitmentFees = workerPays,
            RecruiterName = recruiter,
            RecruiterCertification = certification,
        })
        {
            Warnings = warnings,
        };
    }

    /// <summary>The status a vacancy is sent with: null to publish it open (the default), or the reason to close it.</summary>
    private static string? ClosingReason(string? value, List<FieldError> errors)
    {
        var status = FieldChecks.AsciiLower(TrimmedOrNull(value)) ?? VacancyStatus.Open;
        if (status == VacancyStatus.Open)
        {
            return null;
        }

        if (!VacancyStatus.ClosingReasons.Contains(status))
        {
            errors.Add(new FieldError("status", value, "open, filled or withdrawn"));
            return null;
        }

        return status;
    }

    private static WageRange? CheckWage(VacancySubmission submission, FieldChecks check, List<FieldError> errors)
    {
        var min = check.Number("wage.min", submission.WageMin, 0m, MaxWage);
        var max = check.Number("wage.max", submission.WageMax, 0m, MaxWage);
        var currency = FieldChecks.AsciiUpper(TrimmedOrNull(submission.WageCurrency));
        var period = FieldChecks.AsciiLower(TrimmedOrNull(submission.WagePeriod));
        if (min is null && max is null && currency is null && period is null)
        {
            return null;
        }

        if (min is null && max is null)
        {
            errors.Add(new FieldError("wage", null, "a wage needs a minimum, a maximum or both"));
        }

        if (min is not null && max is not null && min > max)
        {
            errors.Add(new FieldError("wage.max", max.Value.ToString(CultureInfo.InvariantCulture), $"below the minimum ({min.Value.ToString(CultureInfo.InvariantCulture)})"));
        }

        if (currency is null)
        {
            errors.Add(new FieldError("wage.currency", null, "required with a wage: an ISO 4217 code such as MXN"));
        }
        else if (!Currencies.Contains(currency))
        {
            errors.Add(new FieldError("wage.currency", currency, "not an ISO 4217 currency code"));
        }

        if (period is null || !WagePeriods.Contains(period))
        {
            errors.Add(new FieldError("wage.period", period, $"required with a wage: one of {string.Join(", ", WagePeriods)}"));
        }

        return new WageRange(min, max, currency ?? string.Empty, period ?? string.Empty);
    }

    [GeneratedRegex(@"^[A-Z]{2}-[A-Z0-9]{1,3}$")]
    private static partial Regex Subdivision();
}
