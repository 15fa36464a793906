using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Lmis.BuildingBlocks.Classifications;
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
    private readonly OccupationFromTitle _fromTitle = new(taxonomy, occupationFromTitle ?? new());

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
        var check = new Checks(errors);

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
        var subdivision = check.Code("location_subdivision", AsciiUpper(submission.LocationSubdivision), Subdivision(), "an ISO 3166-2 subdivision such as MX-NLE");
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
        var (occupation, coding) = await CheckOccupationAsync(submission, suggestOccupation ? title : null, language, errors, warnings, cancellationToken);
        var sector = await CheckCodeAsync("sector_code", SchemeIds.Isic4, "ISIC Rev.4", submission.SectorCode, errors, cancellationToken);
        var education = await CheckCodeAsync("education_level", SchemeIds.Isced2011, "ISCED 2011", submission.EducationLevel, errors, cancellationToken);
        var pathway = await CheckPathwayAsync(submission.PathwayId, country, foreignEligible, origins, errors, cancellationToken);

        if (errors.Count > 0)
        {
            throw new ValidationFailedException("Vacancy", errors);
        }

        // Asked only of a vacancy otherwise accepted: a refused one needs no advice.
        if (coding != OccupationCodings.Machine && await _fromTitle.CheckAsync(title, language, occupation!, cancellationToken) is { } disagreement)
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
        var status = AsciiLower(TrimmedOrNull(value)) ?? VacancyStatus.Open;
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

    private static WageRange? CheckWage(VacancySubmission submission, Checks check, List<FieldError> errors)
    {
        var min = check.Number("wage.min", submission.WageMin, 0m, MaxWage);
        var max = check.Number("wage.max", submission.WageMax, 0m, MaxWage);
        var currency = AsciiUpper(TrimmedOrNull(submission.WageCurrency));
        var period = AsciiLower(TrimmedOrNull(submission.WagePeriod));
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

    /// <summary>
    /// The ISCO-08 code and how it was obtained (null: as given): translated from the national code through the
    /// taxonomy's crosswalk, or, when neither is given and <paramref name="suggestFromTitle"/> is, the taxonomy's
    /// suggestion for the title.
    /// </summary>
    private async Task<(string? Code, string? Coding)> CheckOccupationAsync(VacancySubmission submission, string? suggestFromTitle, string? language,
        List<FieldError> errors, List<FieldError> warnings, CancellationToken cancellationToken)
    {
        string? coding = null;
        var isco = TrimmedOrNull(submission.OccupationCode);
        var nationalScheme = TrimmedOrNull(submission.NationalOccupationScheme)?.ToLowerInvariant();
        var nationalCode = TrimmedOrNull(submission.NationalOccupationCode);
        if ((nationalScheme is null) != (nationalCode is null))
        {
            errors.Add(new FieldError(nationalScheme is null ? "national_occupation_scheme" : "national_occupation_code", null,
                "a national occupation needs both its scheme (e.g. noc2021) and its code"));
            nationalScheme = nationalCode = null;
        }

        if (isco is null && nationalCode is null && suggestFromTitle is { Length: > 0 })
        {
            (isco, var note) = await _fromTitle.CodeByMachineAsync(suggestFromTitle, language, cancellationToken);
            (isco is null ? errors : warnings).Add(note);
            if (isco is null)
            {
                return (null, null);
            }

            coding = OccupationCodings.Machine;
        }

        if (isco is null && nationalCode is null)
        {
            errors.Add(new FieldError("occupation_code", null,
                "required: an ISCO-08 code, or a national occupation code the taxonomy can translate, or suggest_occupation_code with a title"));
            return (null, null);
        }

        if (nationalCode is not null)
        {
            var national = await taxonomy.FindAsync(nationalScheme!, nationalCode, cancellationToken);
            if (!national.Known)
            {
                errors.Add(new FieldError("national_occupation_code", nationalCode, $"not a code of {nationalScheme} known to the taxonomy ({national.Reason})"));
                return (null, null);
            }

            if (isco is null)
            {
                var targets = await taxonomy.TranslateAsync(nationalScheme!, nationalCode, SchemeIds.Isco08, cancellationToken);
                isco = CommonGroup(targets);
                coding = OccupationCodings.Crosswalk;
                if (isco is null)
                {
                    errors.Add(new FieldError("national_occupation_code", nationalCode, targets.Count == 0
                        ? $"no crosswalk from {nationalScheme} {nationalCode} to ISCO-08; give occupation_code"
                        : $"{nationalScheme} {nationalCode} maps to ISCO-08 groups with nothing in common ({string.Join(", ", targets)}); give occupation_code"));
                    return (null, null);
                }
            }
        }

        if (!Isco08.IsCode(isco))
        {
            errors.Add(new FieldError("occupation_code", isco, "not an ISCO-08 code: expected 1 to 4 digits"));
            return (null, null);
        }

        var lookup = await taxonomy.FindAsync(SchemeIds.Isco08, isco!, cancellationToken);
        if (!lookup.Known)
        {
            errors.Add(new FieldError("occupation_code", isco, $"not an ISCO-08 occupation known to the taxonomy ({lookup.Reason})"));
        }
        else if (lookup.Deprecated)
        {
            errors.Add(new FieldError("occupation_code", isco, $"ISCO-08 code {lookup.Reason}"));
        }

        return (isco, coding);
    }

    /// <summary>The most specific ISCO-08 group containing every target (2221 and 2222 → 222), or null when none does.</summary>
    private static string? CommonGroup(IReadOnlyList<string> targets)
    {
        if (targets.Count == 0)
        {
            return null;
        }

        var common = targets[0];
        foreach (var target in targets.Skip(1))
        {
            var length = 0;
            while (length < common.Length && length < target.Length && common[length] == target[length])
            {
                length++;
            }

            common = common[..length];
        }

        return common.Length == 0 ? null : common;
    }

    private async Task<string?> CheckCodeAsync(
        string field, string scheme, string name, string? value, List<FieldError> errors, CancellationToken cancellationToken)
    {
        var code = TrimmedOrNull(value);
        if (code is null)
        {
            return null;
        }

        var lookup = await taxonomy.FindAsync(scheme, code, cancellationToken);
        if (!lookup.Known)
        {
            errors.Add(new FieldError(field, code, $"not a {name} code known to the taxonomy ({lookup.Reason})"));
        }
        else if (lookup.Deprecated)
        {
            errors.Add(new FieldError(field, code, $"{name} code {lookup.Reason}"));
        }

        return code;
    }

    /// <summary>A pathway the vacancy is offered under: in force, to this country, from the origins it names.</summary>
    private async Task<string?> CheckPathwayAsync(
        string? value, MemberState? country, bool foreignEligible, List<string> origins, List<FieldError> errors, CancellationToken cancellationToken)
    {
        var id = TrimmedOrNull(value);
        if (id is null)
        {
            return null;
        }

        var pathway = await taxonomy.FindAsync(SchemeIds.Pathways, id, cancellationToken);
        if (!pathway.Known)
        {
            errors.Add(new FieldError("pathway_id", id, $"not a labour-mobility pathway in the taxonomy's registry ({pathway.Reason})"));
            return id;
        }

        if (!foreignEligible)
        {
            errors.Add(new FieldError("pathway_id", id, "a vacancy offered under a labour-mobility pathway is open to foreign workers: set foreign_workers_eligible"));
        }

        if (pathway.Values("status").FirstOrDefault() != "in_force")
        {
            errors.Add(new FieldError("pathway_id", id, $"the pathway is not in force (status {pathway.Values("status").FirstOrDefault()})"));
        }

        if (country is not null && !pathway.Values("destination").Contains(country.Alpha3))
        {
            errors.Add(new FieldError("pathway_id", id, $"the pathway leads to {string.Join(",", pathway.Values("destination"))}, not {country.Alpha3}"));
        }

        var outside = origins.Except(pathway.Values("origin")).ToArray();
        if (outside.Length > 0)
        {
            errors.Add(new FieldError("eligible_origin_countries", string.Join(",", outside), $"not origins of pathway {id} ({string.Join(",", pathway.Values("origin"))})"));
        }

        return id;
    }

    /// <summary>
    /// A code in capitals when it is ASCII; otherwise as given, so that the code's rule refuses it ('ſ', the long s,
    /// would upper-case into the ASCII 'S').
    /// </summary>
    private static string? AsciiUpper(string? value) => value is not null && Ascii.IsValid(value) ? value.ToUpperInvariant() : value;

    /// <summary>A choice in small letters when it is ASCII; otherwise as given (the Kelvin sign would lower-case into 'k').</summary>
    private static string? AsciiLower(string? value) => value is not null && Ascii.IsValid(value) ? value.ToLowerInvariant() : value;

    /// <summary>The field checks every vacancy field shares: each adds its error and returns the clean value.</summary>
    private sealed class Checks(List<FieldError> errors)
    {
        public string? Text(string field, string? value, int max, bool required, bool singleLine)
        {
            var text = TrimmedOrNull(value);
            if (text is null)
            {
                if (required)
                {
                    errors.Add(new FieldError(field, null, "required"));
                }

                return null;
            }

            if (text.Length > max)
            {
                errors.Add(new FieldError(field, null, $"at most {max} characters, got {text.Length}"));
            }
            else if (text.Contains('\uFFFD', StringComparison.Ordinal))
            {
                errors.Add(new FieldError(field, text, "not valid UTF-8 text (a byte sequence could not be decoded)"));
            }
            else if (text.Any(c => char.IsControl(c) && (singleLine || (c != '\n' && c != '\r' && c != '\t'))))
            {
                errors.Add(new FieldError(field, text, "contains control characters"));
            }

            return text;
        }

        public string? Code(string field, string? value, Regex pattern, string expected)
        {
            var code = TrimmedOrNull(value);
            if (code is not null && !pattern.IsMatch(code))
            {
                errors.Add(new FieldError(field, code, $"not {expected}"));
            }

            return code;
        }

        public string? OneOf(string field, string? value, IReadOnlySet<string> allowed)
        {
            var choice = AsciiLower(TrimmedOrNull(value));
            if (choice is not null && !allowed.Contains(choice))
            {
                errors.Add(new FieldError(field, choice, $"one of {string.Join(", ", allowed)}"));
            }

            return choice;
        }

        public int? Integer(string field, string? value, int min, int max)
        {
            var text = TrimmedOrNull(value);
            if (text is null)
            {
                return null;
            }

            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
            {
                errors.Add(new FieldError(field, text, $"a whole number from {min} to {max}"));
                return null;
            }

            return number;
        }

        public decimal? Number(string field, string? value, decimal min, decimal max)
        {
            var text = TrimmedOrNull(value);
            if (text is null)
            {
                return null;
            }

            // No thousands separator: "9,50" with a decimal comma must be refused, not read as 950.
            if (!decimal.TryParse(text, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
            {
                errors.Add(new FieldError(field, text, $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} (decimal point, no thousands separator)"));
                return null;
            }

            return number;
        }

        public bool? Flag(string field, string? value)
        {
            switch (TrimmedOrNull(value)?.ToLowerInvariant())
            {
                case null:
                    return null;
                case "true" or "yes" or "1":
                    return true;
                case "false" or "no" or "0":
                    return false;
                default:
                    errors.Add(new FieldError(field, value, "true or false"));
                    return null;
            }
        }

        public DateOnly? Date(string field, string? value)
        {
            var text = TrimmedOrNull(value);
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            errors.Add(new FieldError(field, text, "not a date in the form YYYY-MM-DD"));
            return null;
        }

        public IReadOnlyList<string> List(string field, IReadOnlyList<string> values, Func<string, bool> valid, string expected, int max)
        {
            var items = values.Select(TrimmedOrNull).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            if (items.Count > max)
            {
                errors.Add(new FieldError(field, null, $"at most {max} items, got {items.Count}"));
            }

            foreach (var bad in items.Where(i => !valid(i)))
            {
                errors.Add(new FieldError(field, bad, $"not one of {expected}"));
            }

            return items;
        }
    }

    [GeneratedRegex(@"^[A-Z]{2}-[A-Z0-9]{1,3}$")]
    private static partial Regex Subdivision();
}
