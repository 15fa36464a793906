using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Taxonomy;
using Microsoft.Extensions.Configuration;

namespace Lmis.Vacancies.Tests.Publishing;

/// <summary>The title check on a code given, and machine coding from the title, as the rules apply them.</summary>
public sealed class OccupationFromTitleTests
{
    /// <summary>Every ISCO-08 code, the few other codes of <see cref="FewCodesTaxonomy"/>, and NOC 2021 31301 (registered nurses) translating to ISCO-08 2221.</summary>
    private sealed class CodesWithCrosswalk : ITaxonomyLookups
    {
        private readonly FewCodesTaxonomy _few = new();

        public Task<ConceptLookup> FindAsync(string scheme, string code, CancellationToken cancellationToken) =>
            (scheme, code) is ("noc2021", "31301") or ("isco08", _) ? Task.FromResult(new ConceptLookup(true, false, string.Empty, [])) : _few.FindAsync(scheme, code, cancellationToken);

        public Task<IReadOnlyList<string>> TranslateAsync(string fromScheme, string code, string toScheme, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(code == "31301" ? ["2221"] : []);

        public Task<IReadOnlyList<SuggestedOccupation>?> SuggestOccupationsAsync(string title, string? language, CancellationToken cancellationToken) =>
            _few.SuggestOccupationsAsync(title, language, cancellationToken);

        public void Forget()
        {
        }
    }

    private readonly TitleReadingTaxonomy _taxonomy = new(new CodesWithCrosswalk(), TitleReadingTaxonomy.Readings);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private VacancyValidation Rules(OccupationFromTitleSettings? settings = null) =>
        new(Region.Shipped("RCM"), _taxonomy, new StoppedClock(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero)), settings);

    private static VacancySubmission Vacancy(string title, string? occupation) => new()
    {
        Country = "MEX",
        SourceId = "STPS-1",
        Title = title,
        Language = "es",
        OccupationCode = occupation,
        DatePosted = "2026-11-01",
        ValidThrough = "2026-12-31",
    };

    private static VacancySubmission ByMachine(string title) => Vacancy(title, null) with { SuggestOccupationCode = "true" };

    private async Task<FieldError> RefusalOf(VacancySubmission submission, OccupationFromTitleSettings? settings = null) =>
        Assert.Single((await Assert.ThrowsAsync<ValidationFailedException>(() => Rules(settings).ValidateAsync(submission, Ct))).Errors);

    [Fact]
    public async Task A_code_the_title_reads_otherwise_is_kept_as_given_with_a_warning_naming_what_the_title_reads_as()
    {
        var valid = await Rules().ValidateAsync(Vacancy("Enfermera", "7112"), Ct);

        var warning = Assert.Single(valid.Warnings);
        Assert.Equal(("7112", null), (valid.Content.OccupationCode, valid.Content.OccupationCoding));
        Assert.Equal(("occupation_code", "7112"), (warning.Field, warning.Value));
        Assert.Equal("the title reads as 2221 Nursing professionals (score 0.9, matched 'enfermera'), not 7112; check the code", warning.Reason);
    }

    [Theory]
    [InlineData("Albañil", "7112")] // the best suggestion
    [InlineData("Albañil", "71")] // a group above it
    [InlineData("Albañil", "7")] // a one-digit code shares its one digit
    [InlineData("Enfermera", "3222")] // the second suggestion's sub-major group (32)
    [InlineData("Enfermera de obra", "7112")] // among the first three, however weak
    [InlineData("Ayudante", "2221")] // the title reads too weakly as anything to contradict a code
    [InlineData("Poeta", "6111")] // the title reads as nothing
    public async Task A_code_is_not_questioned_when_the_title_agrees_or_reads_too_weakly(string title, string code)
    {
        var valid = await Rules().ValidateAsync(Vacancy(title, code) with { OccupationCode = code }, Ct);

        Assert.Empty(valid.Warnings);
    }

    [Fact]
    public async Task The_title_check_can_be_turned_off_and_its_threshold_raised()
    {
        var off = await Rules(new OccupationFromTitleSettings(CheckEnabled: false)).ValidateAsync(Vacancy("Enfermera", "7112"), Ct);
        var strict = await Rules(new OccupationFromTitleSettings(CheckMinimumScore: 0.95)).ValidateAsync(Vacancy("Enfermera", "7112"), Ct);

        Assert.Empty(off.Warnings);
        Assert.Empty(strict.Warnings);
    }

    [Fact]
    public async Task A_code_translated_from_the_national_code_is_marked_crosswalk_and_checked_against_the_title()
    {
        var agrees = await Rules().ValidateAsync(Vacancy("Enfermera", null) with { NationalOccupationScheme = "noc2021", NationalOccupationCode = "31301" }, Ct);
        var disagrees = await Rules().ValidateAsync(Vacancy("Albañil", null) with { NationalOccupationScheme = "noc2021", NationalOccupationCode = "31301" }, Ct);

        Assert.Equal(("2221", OccupationCodings.Crosswalk), (agrees.Content.OccupationCode, agrees.Content.OccupationCoding));
        Assert.Empty(agrees.Warnings);
        Assert.Equal(("2221", OccupationCodings.Crosswalk), (disagrees.Content.OccupationCode, disagrees.Content.OccupationCoding));
        Assert.Equal(("occupation_code", "2221"), (Assert.Single(disagrees.Warnings).Field, disagrees.Warnings[0].Value));
    }

    [Fact]
    public async Task A_vacancy_sent_without_a_code_is_coded_by_machine_from_its_title_with_a_warning_to_check_it()
    {
        var valid = await Rules().ValidateAsync(ByMachine("Albañil"), Ct);

        var warning = Assert.Single(valid.Warnings);
        Assert.Equal(("7112", OccupationCodings.Machine), (valid.Content.OccupationCode, valid.Content.OccupationCoding));
        Assert.Equal(("occupation_code", "7112"), (warning.Field, warning.Value));
        Assert.Equal("coded by machine from the title as 7112 Bricklayers and related workers (score 0.82, matched 'albañil'); check it", warning.Reason);
    }

    [Fact]
    public async Task Machine_coding_below_the_threshold_is_refused_on_occupation_code_naming_the_best_suggestion_its_score_and_the_threshold()
    {
        var refusal = await RefusalOf(ByMachine("Ayudante"));
        var lowered = await Rules(new OccupationFromTitleSettings(MachineCodingMinimumScore: 0.3)).ValidateAsync(ByMachine("Ayudante"), Ct);

        Assert.Equal(("occupation_code", null), (refusal.Field, refusal.Value));
        Assert.Contains("9313 Building construction labourers (score 0.31, matched 'ayudante de obra')", refusal.Reason, StringComparison.Ordinal);
        Assert.Contains("below the 0.5 required to code by machine", refusal.Reason, StringComparison.Ordinal);
        Assert.Equal(("9313", OccupationCodings.Machine), (lowered.Content.OccupationCode, lowered.Content.OccupationCoding));
    }

    [Fact]
    public async Task Machine_coding_of_a_title_that_reads_as_nothing_is_refused()
    {
        var refusal = await RefusalOf(ByMachine("Poeta"));

        Assert.Equal("occupation_code", refusal.Field);
        Assert.Contains("the title matches no ISCO-08 group; give occupation_code", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_given_wins_over_suggest_occupation_code_and_is_not_machine_coded()
    {
        var valid = await Rules().ValidateAsync(ByMachine("Albañil") with { OccupationCode = "7112" }, Ct);

        Assert.Equal(("7112", null), (valid.Content.OccupationCode, valid.Content.OccupationCoding));
        Assert.Empty(valid.Warnings);
    }

    [Fact]
    public async Task When_the_taxonomy_cannot_suggest_a_coded_vacancy_is_accepted_without_warning_and_machine_coding_is_refused_with_the_reason()
    {
        _taxonomy.Down = true;

        var coded = await Rules().ValidateAsync(Vacancy("Enfermera", "7112"), Ct);
        var refusal = await RefusalOf(ByMachine("Albañil"));

        Assert.Equal("7112", coded.Content.OccupationCode);
        Assert.Empty(coded.Warnings);
        Assert.Equal(("occupation_code", null), (refusal.Field, refusal.Value));
        Assert.StartsWith("no code given and none could be suggested: the taxonomy cannot suggest ISCO-08 codes now", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_vacancy_is_not_checked_against_its_title()
    {
        await Assert.ThrowsAsync<ValidationFailedException>(() => Rules().ValidateAsync(Vacancy("Enfermera", "7112") with { Positions = "0" }, Ct));

        Assert.Equal(0, _taxonomy.Asked);
    }

    [Fact]
    public async Task Content_coded_by_its_publisher_is_stored_and_fingerprinted_as_before_and_machine_coding_is_recorded()
    {
        var publisher = (await Rules().ValidateAsync(Vacancy("Enfermera", "2221"), Ct)).Content;
        var machine = (await Rules().ValidateAsync(ByMachine("Enfermera"), Ct)).Content;

        Assert.DoesNotContain("OccupationCoding", publisher.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"OccupationCoding\":\"machine\"", machine.ToJson(), StringComparison.Ordinal);
        Assert.NotEqual(publisher.Fingerprint(), machine.Fingerprint());
    }

    [Fact]
    public void The_settings_are_read_from_configuration_with_their_defaults()
    {
        var defaults = OccupationFromTitleSettings.From(new ConfigurationBuilder().Build());
        var set = OccupationFromTitleSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lmis:Vacancies:OccupationSuggestion:MinimumScore"] = "0.7",
            ["Lmis:Vacancies:OccupationCheck:Enabled"] = "false",
            ["Lmis:Vacancies:OccupationCheck:MinimumScore"] = "0.6",
        }).Build());

        Assert.Equal(new OccupationFromTitleSettings(0.5, true, 0.5), defaults);
        Assert.Equal(new OccupationFromTitleSettings(0.7, false, 0.6), set);
        Assert.Throws<InvalidOperationException>(() => OccupationFromTitleSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Lmis:Vacancies:OccupationCheck:MinimumScore"] = "2" }).Build()));
    }
}
