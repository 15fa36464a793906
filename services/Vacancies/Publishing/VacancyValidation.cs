using System.Globalization;
using System.Text.RegularExpressions;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Vacancies.Taxonomy;

namespace Lmis.Vacancies.Publishing;

/// <summary>A vacancy as it arrives from a ministry's feed, every field still as sent.</summary>
public sealed record VacancySubmission(
    string? Country,
    string? SourceId,
    string? Title,
    string? Description,
    string? Language,
    string? OccupationCode,
    int Positions,
    string? DatePosted,
    string? ValidThrough);

/// <summary>
/// The rules a vacancy from a ministry's feed must meet. Every broken rule is reported at once (field, value,
/// reason), so a ministry can fix its feed in one pass.
/// </summary>
public sealed partial class VacancyValidation(Region region, IOccupationCatalogue occupations)
{
    public const int MaxSourceIdLength = 200;
    public const int MaxTitleLength = 300;
    public const int MaxDescriptionLength = 20_000;
    public const int MaxPositions = 100_000;

    public async Task<(MemberState Country, string SourceId, VacancyContent Content)> ValidateAsync(
        VacancySubmission submission, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();

        var country = region.Find(submission.Country);
        if (country is null)
        {
            errors.Add(string.IsNullOrWhiteSpace(submission.Country)
                ? new FieldError("country", null, "required: the publishing member state (ISO 3166-1 alpha-3, e.g. MEX)")
                : new FieldError("country", submission.Country,
                    $"not a member state of {region.Id} ({string.Join(", ", region.MemberStates.Select(m => m.Alpha3))})"));
        }

        var sourceId = submission.SourceId?.Trim() ?? string.Empty;
        if (sourceId.Length == 0)
        {
            errors.Add(new FieldError("source_id", null, "required: the ministry's own identifier of the vacancy"));
        }
        else if (sourceId.Length > MaxSourceIdLength || sourceId.Any(char.IsControl))
        {
            errors.Add(new FieldError("source_id", sourceId, $"at most {MaxSourceIdLength} characters, no control characters"));
        }

        var title = submission.Title?.Trim() ?? string.Empty;
        if (title.Length == 0)
        {
            errors.Add(new FieldError("title", null, "required"));
        }
        else if (title.Length > MaxTitleLength)
        {
            errors.Add(new FieldError("title", title, $"at most {MaxTitleLength} characters"));
        }

        var description = submission.Description?.Trim() ?? string.Empty;
        if (description.Length > MaxDescriptionLength)
        {
            errors.Add(new FieldError("description", null, $"at most {MaxDescriptionLength} characters, got {description.Length}"));
        }

        var language = string.IsNullOrWhiteSpace(submission.Language) ? null : submission.Language.Trim();
        if (language is not null && !LanguageTag().IsMatch(language))
        {
            errors.Add(new FieldError("language", language, "not a BCP 47 language tag such as es, en or fr"));
        }

        var positions = submission.Positions == 0 ? 1 : submission.Positions;
        if (positions is < 1 or > MaxPositions)
        {
            errors.Add(new FieldError("positions", submission.Positions.ToString(CultureInfo.InvariantCulture), $"between 1 and {MaxPositions}"));
        }

        var datePosted = ParseDate("date_posted", submission.DatePosted, errors);
        var validThrough = ParseDate("valid_through", submission.ValidThrough, errors);
        if (datePosted is not null && validThrough is not null && validThrough < datePosted)
        {
            errors.Add(new FieldError("valid_through", submission.ValidThrough, $"closes before it was posted ({submission.DatePosted})"));
        }

        var occupation = submission.OccupationCode?.Trim() ?? string.Empty;
        if (occupation.Length == 0)
        {
            errors.Add(new FieldError("occupation_code", null, "required: an ISCO-08 code"));
        }
        else if (!IscoCode().IsMatch(occupation))
        {
            errors.Add(new FieldError("occupation_code", occupation, "not an ISCO-08 code: expected 1 to 4 digits"));
        }
        else if (await occupations.FindAsync(occupation, cancellationToken) is { Known: false } lookup)
        {
            errors.Add(new FieldError("occupation_code", occupation, lookup.Reason));
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException("Vacancy", errors);
        }

        return (country!, sourceId, new VacancyContent(
            title, description, language, occupation, positions, datePosted, validThrough));
    }

    private static DateOnly? ParseDate(string field, string? value, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(new FieldError(field, value, "not a date in the form YYYY-MM-DD"));
        return null;
    }

    [GeneratedRegex(@"^\d{1,4}$")]
    private static partial Regex IscoCode();

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguageTag();
}
