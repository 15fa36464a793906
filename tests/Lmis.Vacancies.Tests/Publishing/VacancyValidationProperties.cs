using CsCheck;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Testing;
using Lmis.Vacancies.Feeds;
using Lmis.Vacancies.Publishing;

namespace Lmis.Vacancies.Tests.Publishing;

public sealed class VacancyValidationProperties
{
    private static readonly VacancyValidation Validation = new(Region.Shipped("RCM"), new FewCodesTaxonomy());

    /// <summary>Every field anything at all: hostile text, oversize text, lists of it.</summary>
    private static readonly Gen<VacancySubmission> Anything =
        Gen.Select(Gen.Select(Hostile.Text(60), Gen.Int[0, 8]).Array[VacancyCsv.Columns.Count], Hostile.Text(20).Array[0, 4].Array[3], (fields, lists) =>
        {
            var submission = new VacancySubmission();
            var columns = VacancyCsv.Columns;
            for (var i = 0; i < columns.Count; i++)
            {
                var (text, kind) = fields[i];
                // Now and then a value from a valid vacancy, so that later rules are reached too.
                var value = kind switch
                {
                    0 => null,
                    1 => VacancyGenerators.Get(VacancyGenerators.Base, columns[i]),
                    2 => text + new string('x', 20_001),
                    _ => text,
                };
                submission = VacancyGenerators.Set(submission, columns[i], value);
            }

            return submission with { RequiredLanguages = lists[0], RequiredSkills = lists[1], EligibleOriginCountries = lists[2] };
        });

    [Fact]
    public Task Any_submission_is_accepted_or_refused_field_by_field() =>
        Properties.HoldAsync(Anything, async submission =>
        {
            try
            {
                await Validation.ValidateAsync(submission, CancellationToken.None);
            }
            catch (ValidationFailedException e)
            {
                Assert.NotEmpty(e.Errors);
                Assert.All(e.Errors, error => Assert.False(string.IsNullOrEmpty(error.Field)));
            }
        }, iter: 2_000);

    [Fact]
    public Task A_date_is_read_as_the_calendar_reads_it() =>
        Properties.HoldAsync(
            Gen.OneOf(
                Gen.Int[0, 99_999_999].Select(n => $"{n / 10_000:D4}-{n / 100 % 100:D2}-{n % 100:D2}"),
                Gen.Char["0123456789- x"].Array[8, 12].Select(chars => new string(chars))),
            async text =>
            {
                DateOnly? expected = DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.None, out var date) ? date : null;
                const string NotADate = "not a date in the form YYYY-MM-DD";
                try
                {
                    var (_, _, content) = await Validation.ValidateAsync(
                        VacancyGenerators.Set(VacancyGenerators.Base, "date_posted", text), CancellationToken.None);
                    Assert.Equal(expected, content.DatePosted);
                }
                catch (ValidationFailedException e)
                {
                    // Refused as no date exactly when the calendar knows no such day (a real date may break another rule).
                    Assert.Equal(expected is null, e.Errors.Any(error => error.Field == "date_posted" && error.Reason == NotADate));
                }
            },
            iter: 5_000);

    [Fact]
    public Task A_valid_vacancy_is_accepted_as_written_but_trimmed() =>
        Properties.HoldAsync(VacancyGenerators.Valid, async submission =>
        {
            var (country, sourceId, content) = await Validation.ValidateAsync(submission, CancellationToken.None);

            var code = submission.Country!.Trim().ToUpperInvariant();
            Assert.Equal(VacancyGenerators.Members.Single(m => m.Key == code || m.Value == code).Key, country.Alpha3);
            Assert.Equal(submission.SourceId!.Trim(), sourceId);
            Assert.Equal(submission.Title!.Trim(), content.Title);
            Assert.Equal(submission.OccupationCode!.Trim(), content.OccupationCode);
            Assert.Equal(submission.Positions.Text is null ? 1 : int.Parse(submission.Positions.Text, System.Globalization.CultureInfo.InvariantCulture), content.Positions);
            Assert.Equal(submission.WageCurrency?.ToUpperInvariant(), content.Wage?.Currency);
            Assert.Equal(submission.LocationSubdivision?.ToUpperInvariant(), content.LocationSubdivision);
        }, iter: 1_000);

    [Fact]
    public Task A_broken_field_is_reported_on_that_field_alone() =>
        Properties.HoldAsync(VacancyGenerators.Broken, async broken =>
        {
            var (column, value, field) = broken;
            var error = await Assert.ThrowsAsync<ValidationFailedException>(
                () => Validation.ValidateAsync(VacancyGenerators.Set(VacancyGenerators.Base, column, value), CancellationToken.None));
            Assert.All(error.Errors, e => Assert.Equal(field, e.Field));
        }, iter: 2_000);
}

