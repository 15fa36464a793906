using Lmis.Contracts.Vacancies.V1;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Lmis.Vacancies.StructuredData;

/// <summary>
/// In the OpenAPI document, GetVacancy's answer also comes as a JobPosting when Accept asks for
/// <c>application/ld+json</c> (<see cref="JsonLdNegotiation"/>): one path, two representations.
/// </summary>
internal sealed class JobPostingNegotiationDocument : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var getVacancy = document.Paths.Values
            .SelectMany(p => p.Operations.Values)
            .FirstOrDefault(o => o.OperationId == nameof(VacanciesService.VacanciesServiceBase.GetVacancy));
        if (getVacancy?.Responses.GetValueOrDefault("200") is { } answer)
        {
            answer.Content[JobPostingDocument.MediaType] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = "object", AdditionalPropertiesAllowed = true, Description = "The vacancy as a schema.org JobPosting (JSON-LD), as GetJobPosting answers it." },
            };
        }
    }
}
