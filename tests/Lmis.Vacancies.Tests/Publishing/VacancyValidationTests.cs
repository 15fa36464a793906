using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Taxonomy;

namespace Lmis.Vacancies.Tests.Publishing;

public sealed class VacancyValidationTests
{
    /// <summary>What a taxonomy knows in these tests: a few codes, one deprecated, a crosswalk and a pathway.</summary>
    private sealed class KnownTaxonomy : ITaxonomyLookups
    {
        public Task<ConceptLookup> FindAsync(string scheme, string code, CancellationToken cancellationToken) => Task.FromResult((scheme, code) switch
        {
            ("isco08", "7112" or "2221" or "222" or "6111") or ("isic4", "F" or "A") or ("isced2011", "3") or ("noc2021", "31301" or "72100" or "99999") =>
                new ConceptLookup(true, false, string.Empty, []),
            ("isco08", "7113") => new ConceptLookup(true, true, "deprecated in isco08 version 3; use 7112 instead", []),
            ("pathways", "can-sawp") => new ConceptLookup(true, false, string.Empty,
                [Attr("status", "in_force"), Attr("destination", "CAN"), Attr("origin", "MEX"), Attr("origin", "GTM")]),
            _ => ConceptLookup.Unknown($"No concept '{code}' in {scheme}."),
        });

        public Task<IReadOnlyList<string>> TranslateAsync(string fromScheme, string code, string toScheme, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(code switch
            {
                "31301" => ["2221", "2222"],
                "72100" => ["7223"],
                "99999" => ["2221", "7112"],
                _ => [],
            });

        /// <summary>No title reads as any occupation here: no warning, and no machine coding.</summary>
        public Task<IReadOnlyList<SuggestedOccupation>?> SuggestOccupationsAsync(string title, string? language, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<SuggestedOccupation>?>([]);

        public void Forget()
        {
        }

        private static Lmis.Contracts.Taxonomy.V1.Attribute Attr(string name, string value) => new() { Name = name, Value = value };
    }

    // The rules are checked as on 2026-11-15, between the sample's posting and closing dates.
    private readonly VacancyValidation _validation = new(Region.Shipped("RCM"), new KnownTaxonomy(), new StoppedClock(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero)));

    private static VacancySubmission Valid() => new()
    {
        Country = "MEX",
        SourceId = "STPS-1",
        Title = "Albañil",
        Description = "Obra",
        Language = "es",
        OccupationCode = "7112",
        Positions = "2",
        DatePosted = "2026-11-01",
        ValidThrough = "2026-12-31",
    };

    private async Task<FieldError[]> ErrorsOf(VacancySubmission submission)
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(
            () => _validation.ValidateAsync(submission, TestContext.Current.CancellationToken));
        return [.. error.Errors];
    }

    private Task<ValidVacancy> Accepted(VacancySubmission submission) =>
        _validation.ValidateAsync(submission, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_valid_vacancy_is_normalised()
    {
        var (country, sourceId, content) = await Accepted(Valid() with
        {
            Country = " mx ",
            SourceId = " STPS-1 ",
            Positions = null,
            LocationSubdivision = "mx-nle",
            WageMin = "9000",
            WageMax = "12000.50",
            WageCurrency = "mxn",
            WagePeriod = "Month",
            ForeignWorkersEligible = "yes",
            EligibleOriginCountries = ["gt", "HND"],
        });

        Assert.Equal(("MEX", "STPS-1", 1, "MX-NLE"), (country.Alpha3, sourceId, content.Positions, content.LocationSubdivision));
        Assert.Equal(new WageRange(9000m, 12000.50m, "MXN", "month"), content.Wage);
        Assert.Equal(["GTM", "HND"], content.EligibleOriginCountries);
        Assert.Equal(new DateOnly(2026, 12, 31), content.ValidThrough);
    }

    [Fact]
    public async Task A_vacancy_whose_closing_date_has_passed_is_refused_as_open_and_accepted_as_closed_history()
    {
        var past = Valid() with { DatePosted = "2026-10-01", ValidThrough = "2026-11-14" };

        var refused = Assert.Single(await ErrorsOf(past));
        var filled = await Accepted(past with { Status = "Filled" });
        var closingToday = await Accepted(Valid() with { ValidThrough = "2026-11-15" });

        Assert.Equal(("valid_through", "2026-11-14"), (refused.Field, refused.Value));
        Assert.StartsWith("the closing date has passed (today is 2026-11-15 UTC)", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(("filled", new DateOnly(2026, 11, 14)), (filled.Closing, filled.Content.ValidThrough));
        Assert.Null(closingToday.Closing);
    }

    [Theory]
    [InlineData("country", "FRA", "not a member state of RCM")]
    [InlineData("country", "", "required")]
    [InlineData("source_id", "", "required")]
    [InlineData("title", " ", "required")]
    [InlineData("occupation_code", "71A2", "not an ISCO-08 code")]
    [InlineData("occupation_code", "9999", "not an ISCO-08 occupation known to the taxonomy")]
    [InlineData("occupation_code", "7113", "deprecated in isco08 version 3; use 7112 instead")]
    [InlineData("language", "Spanish", "BCP 47")]
    [InlineData("date_posted", "01/11/2026", "YYYY-MM-DD")]
    [InlineData("valid_through", "2026-10-01", "closes before it was posted")]
    [InlineData("sector_code", "Z", "not a ISIC Rev.4 code known to the taxonomy")]
    [InlineData("education_level", "9", "not a ISCED 2011 code known to the taxonomy")]
    [InlineData("employment_type", "forever", "one of permanent")]
    [InlineData("positions", "-3", "a whole number from 1")]
    [InlineData("positions", "0", "a whole number from 1 to 100000")]
    [InlineData("status", "expired", "open, filled or withdrawn")]
    [InlineData("positions", "1e9", "a whole number from 1")]
    [InlineData("location_subdivision", "GT-GU", "not a subdivision of MEX")]
    [InlineData("title", "Alba\uFFFDil", "not valid UTF-8")]
    [InlineData("title", "Albañil\u0007", "control characters")]
    public async Task Each_rule_names_the_field_the_value_and_the_reason(string field, string value, string reason)
    {
        var submission = field switch
        {
            "country" => Valid() with { Country = value },
            "source_id" => Valid() with { SourceId = value },
            "title" => Valid() with { Title = value },
            "occupation_code" => Valid() with { OccupationCode = value },
            "language" => Valid() with { Language = value },
            "date_posted" => Valid() with { DatePosted = value },
            "valid_through" => Valid() with { ValidThrough = value },
            "sector_code" => Valid() with { SectorCode = value },
            "education_level" => Valid() with { EducationLevel = value },
            "employment_type" => Valid() with { EmploymentType = value },
            "positions" => Valid() with { Positions = value },
            "status" => Valid() with { Status = value },
            "location_subdivision" => Valid() with { LocationSubdivision = value },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var error = Assert.Single(await ErrorsOf(submission));

        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wages_must_be_a_real_range_in_a_known_currency_and_period()
    {
        var inverted = await ErrorsOf(Valid() with { WageMin = "5000", WageMax = "3000", WageCurrency = "MXN", WagePeriod = "month" });
        var negative = await ErrorsOf(Valid() with { WageMin = "-1", WageCurrency = "MXN", WagePeriod = "month" });
        var currency = await ErrorsOf(Valid() with { WageMin = "100", WageCurrency = "PESOS", WagePeriod = "fortnight" });
        var absurd = await ErrorsOf(Valid() with { WageMax = "1e400", WageCurrency = "USD", WagePeriod = "hour" });

        Assert.Equal(["wage.max"], inverted.Select(e => e.Field));
        Assert.Equal(["wage.min", "wage"], negative.Select(e => e.Field));
        Assert.Equal(["wage.currency", "wage.period"], currency.Select(e => e.Field));
        Assert.Equal(["wage.max", "wage"], absurd.Select(e => e.Field));
    }

    [Fact]
    public async Task A_national_code_is_translated_to_the_isco08_group_its_crosswalk_gives()
    {
        var (_, _, nurses) = await Accepted(Valid() with { OccupationCode = null, NationalOccupationScheme = "noc2021", NationalOccupationCode = "31301" });
        var noCrosswalk = await ErrorsOf(Valid() with { OccupationCode = null, NationalOccupationScheme = "noc2021", NationalOccupationCode = "72100" });
        var nothingInCommon = await ErrorsOf(Valid() with { OccupationCode = null, NationalOccupationScheme = "noc2021", NationalOccupationCode = "99999" });
        var unknown = await ErrorsOf(Valid() with { OccupationCode = null, NationalOccupationScheme = "noc2021", NationalOccupationCode = "11111" });
        var half = await ErrorsOf(Valid() with { NationalOccupationCode = "31301" });

        Assert.Equal(("222", "noc2021", "31301"), (nurses.OccupationCode, nurses.NationalOccupationScheme, nurses.NationalOccupationCode));
        Assert.Contains("not an ISCO-08 occupation known to the taxonomy", Assert.Single(noCrosswalk).Reason, StringComparison.Ordinal);
        Assert.Contains("nothing in common (2221, 7112)", Assert.Single(nothingInCommon).Reason, StringComparison.Ordinal);
        Assert.Equal("national_occupation_code", Assert.Single(unknown).Field);
        Assert.Equal("national_occupation_scheme", Assert.Single(half).Field);
    }

    [Fact]
    public async Task A_pathway_must_be_in_force_lead_to_the_country_and_cover_the_origins()
    {
        var (_, _, offered) = await Accepted(Valid() with { Country = "CAN", OccupationCode = "6111", PathwayId = "can-sawp", ForeignWorkersEligible = "true", EligibleOriginCountries = ["MEX"] });
        var wrong = await ErrorsOf(Valid() with { PathwayId = "can-sawp", EligibleOriginCountries = ["NIC"] });
        var unknown = await ErrorsOf(Valid() with { PathwayId = "nowhere", ForeignWorkersEligible = "true" });

        Assert.Equal("can-sawp", offered.PathwayId);
        Assert.Equal(
            ["eligible_origin_countries", "pathway_id", "pathway_id", "eligible_origin_countries"],
            wrong.Select(e => e.Field));
        Assert.Contains("leads to CAN, not MEX", wrong[2].Reason, StringComparison.Ordinal);
        Assert.Contains("not a labour-mobility pathway", Assert.Single(unknown).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversize_text_and_every_broken_rule_are_reported_at_once()
    {
        var errors = await ErrorsOf(new VacancySubmission
        {
            Country = "ZZZ",
            Title = new string('a', VacancyValidation.MaxTitleLength + 1),
            Description = new string('b', VacancyValidation.MaxDescriptionLength + 1),
            OccupationCode = "abc",
            DatePosted = "2026-13-01",
            RequiredSkills = [.. Enumerable.Range(0, 60).Select(i => $"skill {i}")],
        });

        Assert.Equal(["country", "source_id", "title", "description", "required_skills", "date_posted", "occupation_code"], errors.Select(e => e.Field));
    }
}
