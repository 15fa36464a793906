using System.Globalization;
using CsCheck;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Testing;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Taxonomy;

namespace Lmis.Vacancies.Tests.Publishing;

/// <summary>A taxonomy that knows a few ISCO-08, ISIC and ISCED codes, and no crosswalk or pathway.</summary>
internal sealed class FewCodesTaxonomy : ITaxonomyLookups
{
    public static readonly string[] Occupations = ["7112", "2221", "222", "6111"];

    public Task<ConceptLookup> FindAsync(string scheme, string code, CancellationToken cancellationToken) => Task.FromResult((scheme, code) switch
    {
        ("isco08", "7112" or "2221" or "222" or "6111") or ("isic4", "F" or "A") or ("isced2011", "3") => new ConceptLookup(true, false, string.Empty, []),
        _ => ConceptLookup.Unknown($"No concept '{code}' in {scheme}."),
    });

    public Task<IReadOnlyList<string>> TranslateAsync(string fromScheme, string code, string toScheme, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>No title reads as any occupation here: no warning, and no machine coding.</summary>
    public Task<IReadOnlyList<SuggestedOccupation>?> SuggestOccupationsAsync(string title, string? language, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SuggestedOccupation>?>([]);

    public void Forget()
    {
    }
}

/// <summary>Vacancies as a ministry's feed sends them, column by column (docs/vacancies.md), valid or broken in one field.</summary>
internal static class VacancyGenerators
{
    public static readonly string[] ListColumns = ["required_languages", "required_skills", "eligible_origin_countries"];

    public static readonly IReadOnlyDictionary<string, string> Members = RcmMemberStates.Alpha3ToAlpha2;

    /// <summary>A column's value in a submission; list columns as their items joined with ';'.</summary>
    public static string? Get(VacancySubmission s, string column) => column switch
    {
        "country" => s.Country,
        "source_id" => s.SourceId,
        "title" => s.Title,
        "description" => s.Description,
        "language" => s.Language,
        "occupation_code" => s.OccupationCode,
        "national_occupation_scheme" => s.NationalOccupationScheme,
        "national_occupation_code" => s.NationalOccupationCode,
        "sector_code" => s.SectorCode,
        "employer_name" => s.EmployerName,
        "location_subdivision" => s.LocationSubdivision,
        "location_locality" => s.LocationLocality,
        "positions" => s.Positions.Text,
        "employment_type" => s.EmploymentType,
        "working_time" => s.WorkingTime,
        "hours_per_week" => s.HoursPerWeek.Text,
        "wage_min" => s.WageMin.Text,
        "wage_max" => s.WageMax.Text,
        "wage_currency" => s.WageCurrency,
        "wage_period" => s.WagePeriod,
        "education_level" => s.EducationLevel,
        "experience_months" => s.ExperienceMonths.Text,
        "required_languages" => string.Join(';', s.RequiredLanguages),
        "required_skills" => string.Join(';', s.RequiredSkills),
        "date_posted" => s.DatePosted,
        "valid_through" => s.ValidThrough,
        "foreign_workers_eligible" => s.ForeignWorkersEligible.Text,
        "eligible_origin_countries" => string.Join(';', s.EligibleOriginCountries),
        "pathway_id" => s.PathwayId,
        "worker_pays_recruitment_fees" => s.WorkerPaysRecruitmentFees.Text,
        "recruiter_name" => s.RecruiterName,
        "recruiter_certification" => s.RecruiterCertification,
        "status" => s.Status,
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, null),
    };

    /// <summary>The submission with one column set; list columns take their items separated by ';'.</summary>
    public static VacancySubmission Set(VacancySubmission s, string column, string? value)
    {
        IReadOnlyList<string> Items() => (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return column switch
        {
            "country" => s with { Country = value },
            "source_id" => s with { SourceId = value },
            "title" => s with { Title = value },
            "description" => s with { Description = value },
            "language" => s with { Language = value },
            "occupation_code" => s with { OccupationCode = value },
            "national_occupation_scheme" => s with { NationalOccupationScheme = value },
            "national_occupation_code" => s with { NationalOccupationCode = value },
            "sector_code" => s with { SectorCode = value },
            "employer_name" => s with { EmployerName = value },
            "location_subdivision" => s with { LocationSubdivision = value },
            "location_locality" => s with { LocationLocality = value },
            "positions" => s with { Positions = value },
            "employment_type" => s with { EmploymentType = value },
            "working_time" => s with { WorkingTime = value },
            "hours_per_week" => s with { HoursPerWeek = value },
            "wage_min" => s with { WageMin = value },
            "wage_max" => s with { WageMax = value },
            "wage_currency" => s with { WageCurrency = value },
            "wage_period" => s with { WagePeriod = value },
            "education_level" => s with { EducationLevel = value },
            "experience_months" => s with { ExperienceMonths = value },
            "required_languages" => s with { RequiredLanguages = Items() },
            "required_skills" => s with { RequiredSkills = Items() },
            "date_posted" => s with { DatePosted = value },
            "valid_through" => s with { ValidThrough = value },
            "foreign_workers_eligible" => s with { ForeignWorkersEligible = value },
            "eligible_origin_countries" => s with { EligibleOriginCountries = Items() },
            "pathway_id" => s with { PathwayId = value },
            "worker_pays_recruitment_fees" => s with { WorkerPaysRecruitmentFees = value },
            "recruiter_name" => s with { RecruiterName = value },
            "recruiter_certification" => s with { RecruiterCertification = value },
            "status" => s with { Status = value },
            _ => throw new ArgumentOutOfRangeException(nameof(column), column, null),
        };
    }

    private static Gen<string> Blanked(Gen<string> value) =>
        Gen.Select(value, Gen.OneOf(string.Empty, " ", "  "), Gen.OneOf(string.Empty, " ", "\t"), (v, before, after) => before + v + after);

    private static Gen<string> AnyCase(Gen<string> value) =>
        Gen.Select(value, Gen.Int[0, 2], (v, casing) => casing switch { 0 => v, 1 => v.ToUpperInvariant(), _ => v.ToLowerInvariant() });

    private static Gen<string?> Maybe(Gen<string> value) => Gen.Frequency((2, value.Select(v => (string?)v)), (1, Gen.Const((string?)null)));

    /// <summary>Words of Spanish, English and French, accents included.</summary>
    public static readonly Gen<string> Words =
        Hostile.Of("abcdefghijklmnopqrstuvwxyzáéíóúüñàâçèêëîïôùûÿABCÉÑ0123456789", 1, 12).Array[1, 6].Select(w => string.Join(' ', w));

    private static readonly Gen<string> Decimal2 = Gen.Select(Gen.Int[0, 99_999], Gen.Int[0, 99], Gen.Bool,
        (units, cents, fraction) => fraction ? string.Create(CultureInfo.InvariantCulture, $"{units}.{cents:00}") : units.ToString(CultureInfo.InvariantCulture));

    /// <summary>A vacancy every rule accepts, in the many forms the rules allow (case, blanks, optional fields).</summary>
    public static readonly Gen<VacancySubmission> Valid =
        from country in Gen.OneOf([.. Members.Keys])
        from countryCode in Blanked(AnyCase(Gen.OneOf(country, Members[country])))
        from sourceId in Blanked(Hostile.Of("ABCXYZ0123456789-_/.", 1, 30))
        from title in Blanked(Words)
        from description in Maybe(Gen.Select(Words.Array[1, 4], Gen.OneOf("\n", "\r\n", "\t", " "), (w, s) => string.Join(s, w)))
        from language in Maybe(Gen.OneOf("es", "en", "fr", "pt-BR", "es-419"))
        from occupation in Blanked(Gen.OneOf(FewCodesTaxonomy.Occupations))
        from positions in Maybe(Blanked(Gen.Int[1, 100_000].Select(n => n.ToString(CultureInfo.InvariantCulture))))
        from subdivision in Maybe(AnyCase(Hostile.Of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 1, 3).Select(code => Members[country] + "-" + code)))
        from employment in Maybe(AnyCase(Gen.OneOf([.. VacancyValidation.EmploymentTypes])))
        from workingTime in Maybe(AnyCase(Gen.OneOf([.. VacancyValidation.WorkingTimes])))
        from hours in Maybe(Gen.Int[1, 336].Select(half => (half / 2m).ToString(CultureInfo.InvariantCulture)))
        from experience in Maybe(Gen.Int[0, 600].Select(n => n.ToString(CultureInfo.InvariantCulture)))
        from wage in Gen.Select(Decimal2, Decimal2, Gen.Int[0, 2]).Select((a, b, bounds) => (Min: bounds == 1 ? null : Min(a, b), Max: bounds == 2 ? null : Max(a, b)))
        from hasWage in Gen.Bool
        from currency in AnyCase(Gen.OneOf("MXN", "USD", "CAD", "GTQ", "HNL", "CRC", "DOP", "PAB", "NIO", "BZD"))
        from period in AnyCase(Gen.OneOf([.. VacancyValidation.WagePeriods]))
        from posted in Gen.Int[0, 3_000].Select(d => new DateOnly(2020, 1, 1).AddDays(d))
        from open in Maybe(Gen.Int[0, 365].Select(d => d.ToString(CultureInfo.InvariantCulture)))
        from languages in Gen.OneOf("es", "en", "fr", "pt-BR").Array[0, 3]
        from skills in Words.Array[0, 3]
        from fees in Maybe(AnyCase(Gen.OneOf("true", "false", "yes", "no", "1", "0")))
        select new VacancySubmission
        {
            Country = countryCode,
            SourceId = sourceId,
            Title = title,
            Description = description,
            Language = language,
            OccupationCode = occupation,
            Positions = positions,
            LocationSubdivision = subdivision,
            EmploymentType = employment,
            WorkingTime = workingTime,
            HoursPerWeek = hours,
            ExperienceMonths = experience,
            WageMin = hasWage ? wage.Min : null,
            WageMax = hasWage ? wage.Max : null,
            WageCurrency = hasWage ? currency : null,
            WagePeriod = hasWage ? period : null,
            DatePosted = posted.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            // An open vacancy closes today or later: its days open count from the later of posting and today.
            ValidThrough = open is null ? null : TestDates.Text((posted > TestDates.Today ? posted : TestDates.Today).AddDays(int.Parse(open, CultureInfo.InvariantCulture))),
            RequiredLanguages = languages,
            RequiredSkills = skills,
            WorkerPaysRecruitmentFees = fees,
        };

    /// <summary>A valid vacancy with a wage, posted on 2026-11-01 and open for years: the base one field is broken in.</summary>
    public static readonly VacancySubmission Base = new()
    {
        Country = "MEX",
        SourceId = "STPS-1",
        Title = "Albañil",
        Description = "Obra",
        Language = "es",
        OccupationCode = "7112",
        Positions = "2",
        HoursPerWeek = "40",
        ExperienceMonths = "12",
        WageMin = "9000",
        WageMax = "12000.50",
        WageCurrency = "MXN",
        WagePeriod = "month",
        DatePosted = "2026-11-01",
        ValidThrough = TestDates.Open,
    };

    private static readonly Gen<string> Blank = Gen.OneOf(string.Empty, " ", "\t", "\u00A0");

    private static Gen<string> Oversize(int max) => Gen.Select(Words, Gen.Int[1, 50], (w, extra) => string.Concat(Enumerable.Repeat(w + " ", (max / (w.Length + 1)) + 1)).Trim() + new string('x', extra))
        .Where(t => t.Trim().Length > max);

    /// <summary>The text with one of the awkward characters inside it (not at an end, where trimming would take it).</summary>
    private static Gen<string> WithOne(Gen<string> text, string awkward) =>
        Gen.Select(text, Gen.Char[awkward], Gen.Int[0, 100], (t, c, at) => t.Insert(Math.Clamp(at, 1, t.Length), c.ToString()) + ".");

    /// <summary>Text a single-line field refuses: control characters or U+FFFD inside.</summary>
    private static Gen<string> BrokenLine => WithOne(Words, "\u0001\u0007\b\n\r\t\u001B\u007F\u0085\uFFFD");

    private static Gen<string> NotANumber(decimal min, decimal max) => Gen.Frequency(
        (2, Gen.OneOf("abc", "1,5", "1,000", "9.000,50", "1e3", "½", "\u0663", "\uFF11", "1 000", "0x10", "NaN", "∞", "1..2", "--1")),
        (2, Gen.Int[-1000, -1].Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Const((max + 1).ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Const((min - 0.01m).ToString(CultureInfo.InvariantCulture))),
        (1, Hostile.Text(10).Where(t => !string.IsNullOrWhiteSpace(t) && !decimal.TryParse(t.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))));

    private static Gen<string> NotADate => Gen.Frequency(
        (2, Gen.OneOf("2026-02-30", "2026-13-01", "2026-00-10", "01/11/2026", "2026-1-1", "20261101", "2026-11-01T00:00", "2026/11/01", "26-11-01", "2026-11-01 12:00", "\u0662\u0660\u0662\u0666-11-01")),
        (1, Hostile.Text(12).Where(t => !string.IsNullOrWhiteSpace(t) && !DateOnly.TryParseExact(t.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))));

    /// <summary>Text that is not the code or choice a field takes (after trimming and, where the rule does, changing case).</summary>
    private static Gen<string> NotIn(Func<string, bool> valid) => Gen.Select(Hostile.Text(12), Gen.Char[Hostile.Awkward], (t, c) => t + c)
        .Where(t => !string.IsNullOrWhiteSpace(t) && !valid(t.Trim()));

    /// <summary>One field broken, with the field every error must then name.</summary>
    public static readonly Gen<(string Column, string Value, string Field)> Broken = Gen.OneOf<(string Column, Gen<string> Value, string Field)>(
        ("country", Gen.Frequency((1, Blank), (3, NotIn(c => Members.ContainsKey(c.ToUpperInvariant()) || Members.Values.Contains(c.ToUpperInvariant()))), (2, Gen.OneOf("ESP", "XX", "mexico", "M X", "MEXX", "\u017FLV", "C\u0430N"))), "country"),
        ("source_id", Gen.OneOf(Blank, Oversize(VacancyValidation.MaxSourceIdLength), BrokenLine), "source_id"),
        ("title", Gen.OneOf(Blank, Oversize(VacancyValidation.MaxTitleLength), BrokenLine), "title"),
        ("description", Gen.OneOf(Oversize(VacancyValidation.MaxDescriptionLength), WithOne(Words, "\u0001\u0007\b\u001B\u007F\u0085\uFFFD")), "description"),
        ("employer_name", Gen.OneOf(Oversize(VacancyValidation.MaxNameLength), BrokenLine), "employer_name"),
        ("language", Gen.Frequency((2, Gen.OneOf("ES", "español", "e", "es_MX", "es-", "-es", "es-ÑÑ", "es--MX", "spanish-language")), (1, NotIn(_ => false).Where(t => !IsTag(t.Trim())))), "language"),
        ("occupation_code", Gen.OneOf("71a2", "\u0667\u0661\u0661\u0662", "12345", "9999", "7-11", "\uFF17\uFF11\uFF11\uFF12"), "occupation_code"),
        ("location_subdivision", Gen.OneOf("GT-01", "MX_NLE", "MXNLE", "MX-", "MX-NLEE", "M-NLE", "MX-N\u00C9", "MX-N\u017FE"), "location_subdivision"),
        ("positions", Gen.OneOf(NotANumber(1, VacancyValidation.MaxPositions), Gen.OneOf("0", "1.5")), "positions"),
        ("hours_per_week", NotANumber(0.5m, 168m), "hours_per_week"),
        ("experience_months", Gen.OneOf(NotANumber(0, 600), Gen.Const("2.5")), "experience_months"),
        ("wage_min", NotANumber(0, VacancyValidation.MaxWage), "wage.min"),
        ("wage_currency", Gen.OneOf(Gen.OneOf("ABC", "US", "EURO", "mx$", "€", "M X N", "\u0455SD", "u\u017Fd"), Gen.Select(Gen.Int[0, 2], Gen.Char[Hostile.Awkward], (at, c) => "MXN".Remove(at, 1).Insert(at, c.ToString())).Where(t => !string.IsNullOrWhiteSpace(t))), "wage.currency"),
        ("wage_period", Gen.OneOf(Blank, Gen.OneOf("monthly", "mes", "hours", "annual", "wee\u212A")), "wage.period"),
        ("employment_type", NotIn(t => VacancyValidation.EmploymentTypes.Contains(t.ToLowerInvariant())), "employment_type"),
        ("working_time", Gen.OneOf("full-time", "FULL TIME", "tiempo completo", "part"), "working_time"),
        ("date_posted", NotADate, "date_posted"),
        ("valid_through", Gen.OneOf(NotADate, Gen.OneOf("2026-10-31", "2025-12-31", TestDates.Yesterday)), "valid_through"),
        ("foreign_workers_eligible", Gen.OneOf("si", "maybe", "2", "tru", "yes!", "oui"), "foreign_workers_eligible"),
        ("required_languages", Gen.OneOf("español", "EN", "e", "es;FR", "en_US"), "required_languages"))
        .SelectMany(b => b.Value.Select(v => (b.Column, v, b.Field)));

    private static bool IsTag(string tag)
    {
        var parts = tag.Split('-');
        return parts[0].Length is 2 or 3 && parts[0].All(char.IsAsciiLetterLower)
            && parts.Skip(1).All(p => p.Length is >= 2 and <= 8 && p.All(char.IsAsciiLetterOrDigit));
    }

    private static string? Min(string a, string b) => decimal.Parse(a, CultureInfo.InvariantCulture) <= decimal.Parse(b, CultureInfo.InvariantCulture) ? a : b;

    private static string? Max(string a, string b) => decimal.Parse(a, CultureInfo.InvariantCulture) <= decimal.Parse(b, CultureInfo.InvariantCulture) ? b : a;
}
