using System.Globalization;
using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Storage;
using Domain = Lmis.Vacancies.Publishing;

namespace Lmis.Vacancies.Grpc;

/// <summary>Translates between the public protocol and the vacancy domain; the rules live in <see cref="Publishing"/>.</summary>
public sealed class VacanciesGrpcService(VacancyPublishing publishing, IVacancyStore store, Region region)
    : VacanciesService.VacanciesServiceBase
{
    public override async Task<PublishVacancyResponse> PublishVacancy(PublishVacancyRequest request, ServerCallContext context)
    {
        var vacancy = request.Vacancy ?? throw new ValidationFailedException(
            "Vacancy", [new FieldError("vacancy", null, "required")]);
        var (stored, outcome) = await publishing.PublishAsync(ToSubmission(vacancy), context.CancellationToken);
        return new PublishVacancyResponse
        {
            Id = stored.Id.ToString(),
            Version = stored.Version,
            Outcome = outcome switch
            {
                Domain.PublishOutcome.Created => Contracts.Vacancies.V1.PublishOutcome.Created,
                Domain.PublishOutcome.Updated => Contracts.Vacancies.V1.PublishOutcome.Updated,
                _ => Contracts.Vacancies.V1.PublishOutcome.Unchanged,
            },
        };
    }

    public override async Task<Contracts.Vacancies.V1.Vacancy> GetVacancy(GetVacancyRequest request, ServerCallContext context)
    {
        var country = region.Find(request.Country)
            ?? throw new NotFoundException($"'{request.Country}' is not a member state of {region.Id}.");
        var vacancy = await store.FindAsync(country.Alpha3, request.SourceId, context.CancellationToken)
            ?? throw new NotFoundException($"No vacancy '{request.SourceId}' published by {country.Alpha3}.");
        return ToMessage(vacancy);
    }

    private static VacancySubmission ToSubmission(Contracts.Vacancies.V1.Vacancy v) => new(
        v.Country, v.SourceId, v.Title, v.Description, v.Language, v.OccupationCode, v.Positions, v.DatePosted, v.ValidThrough);

    private static Contracts.Vacancies.V1.Vacancy ToMessage(Domain.Vacancy v) => new()
    {
        Id = v.Id.ToString(),
        Country = v.Country,
        SourceId = v.SourceId,
        Title = v.Content.Title,
        Description = v.Content.Description,
        Language = v.Content.Language ?? string.Empty,
        OccupationCode = v.Content.OccupationCode,
        Positions = v.Content.Positions,
        DatePosted = v.Content.DatePosted?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty,
        ValidThrough = v.Content.ValidThrough?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty,
        Version = v.Version,
        Status = v.Status,
        PublishedAt = v.PublishedAt.ToString("O", CultureInfo.InvariantCulture),
        UpdatedAt = v.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
    };
}
