using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Taxonomy;

namespace Lmis.Vacancies.Tests.Publishing;

public sealed class VacancyValidationTests
{
    /// <summary>The occupations a taxonomy knows in these tests.</summary>
    private sealed class KnownOccupations(params string[] codes) : IOccupationCatalogue
    {
        public Task<OccupationLookup> FindAsync(string isco08Code, CancellationToken cancellationToken) =>
            Task.FromResult(codes.Contains(isco08Code) ? OccupationLookup.Found : new OccupationLookup(false, "unknown to the taxonomy"));

        public void Forget()
        {
        }
    }

    private readonly VacancyValidation _validation = new(Region.Shipped("RCM"), new KnownOccupations("7112", "6111"));

    private static VacancySubmission Valid() =>
        new("MEX", "STPS-1", "Albañil", "Obra", "es", "7112", 2, "2026-11-01", "2026-12-31");

    private async Task<FieldError[]> ErrorsOf(VacancySubmission submission)
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(
            () => _validation.ValidateAsync(submission, TestContext.Current.CancellationToken));
        return error.Errors.ToArray();
    }

    [Fact]
    public async Task A_valid_vacancy_is_normalised()
    {
        var (country, sourceId, content) = await _validation.ValidateAsync(
            Valid() with { Country = " mx ", SourceId = " STPS-1 ", Positions = 0 }, TestContext.Current.CancellationToken);

        Assert.Equal(("MEX", "STPS-1", 1), (country.Alpha3, sourceId, content.Positions));
        Assert.Equal(new DateOnly(2026, 12, 31), content.ValidThrough);
    }

    [Theory]
    [InlineData("country", "FRA", "not a member state of RCM")]
    [InlineData("country", "", "required")]
    [InlineData("source_id", "", "required")]
    [InlineData("title", " ", "required")]
    [InlineData("occupation_code", "71A2", "not an ISCO-08 code")]
    [InlineData("occupation_code", "9999", "unknown to the taxonomy")]
    [InlineData("language", "Spanish", "BCP 47")]
    [InlineData("date_posted", "01/11/2026", "YYYY-MM-DD")]
    [InlineData("valid_through", "2026-10-01", "closes before it was posted")]
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
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var error = Assert.Single(await ErrorsOf(submission));

        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversize_text_and_absurd_positions_are_refused()
    {
        var errors = await ErrorsOf(Valid() with
        {
            Title = new string('a', VacancyValidation.MaxTitleLength + 1),
            Description = new string('b', VacancyValidation.MaxDescriptionLength + 1),
            Positions = -3,
        });

        Assert.Equal(["title", "description", "positions"], errors.Select(e => e.Field));
    }

    [Fact]
    public async Task Every_broken_rule_is_reported_at_once()
    {
        var errors = await ErrorsOf(new VacancySubmission("ZZZ", null, null, null, null, "abc", 1, "2026-13-01", null));

        Assert.Equal(["country", "source_id", "title", "date_posted", "occupation_code"], errors.Select(e => e.Field));
    }
}
