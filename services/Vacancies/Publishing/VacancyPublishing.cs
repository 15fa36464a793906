using Lmis.Vacancies.Storage;

namespace Lmis.Vacancies.Publishing;

/// <summary>
/// Publishing a vacancy: validate it, then create or update it by (country, source id). Sending the same
/// vacancy again changes nothing and announces nothing; a changed one becomes its next version.
/// </summary>
public sealed class VacancyPublishing(VacancyValidation validation, IVacancyStore store, TimeProvider time)
{
    public async Task<(Vacancy Vacancy, PublishOutcome Outcome)> PublishAsync(
        VacancySubmission submission, CancellationToken cancellationToken)
    {
        var (country, sourceId, content) = await validation.ValidateAsync(submission, cancellationToken);
        return await store.UpsertAsync(country.Alpha3, sourceId, content, time.GetUtcNow(), cancellationToken);
    }
}
