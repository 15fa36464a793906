using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;

namespace Lmis.Vacancies.Tests.Api;

/// <summary>The vacancies service's own OpenAPI document, which the gateway merges into the public one.</summary>
public sealed class ApiDocumentTests : IAsyncLifetime
{
    private readonly VacanciesInProcess _service = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _service.InitializeAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    public async Task The_document_is_valid_OpenAPI_with_every_http_rule_and_every_endpoint_and_the_credentials_each_needs()
    {
        using var client = _service.Vacancies.CreateClient();
        await ApiDocumentChecks.ReadCompleteAsync(client, _service.Vacancies.Services, VacanciesService.Descriptor, Ct);
    }

    [Fact]
    public async Task A_vacancy_is_described_with_its_fields_and_the_publish_answer_with_its_outcomes()
    {
        using var client = _service.Vacancies.CreateClient();
        var document = await ApiDocumentChecks.ReadAsync(client, Ct);

        var publish = document.Paths["/api/v1/vacancies"].Operations[Microsoft.OpenApi.Models.OperationType.Post];
        Assert.Equal("PublishVacancy", publish.OperationId);
        Assert.Equal("lmis.vacancies.v1.Vacancy", publish.RequestBody.Content["application/json"].Schema.Reference.Id);
        var vacancy = document.Components.Schemas["lmis.vacancies.v1.Vacancy"];
        Assert.Contains("occupationCode", vacancy.Properties.Keys);
        // The proto comment is the field's description.
        Assert.Contains("ISCO-08", vacancy.Properties["occupationCode"].Description, StringComparison.Ordinal);
        var outcome = document.Components.Schemas["lmis.vacancies.v1.PublishOutcome"];
        Assert.Contains(outcome.Enum.OfType<Microsoft.OpenApi.Any.OpenApiString>(), e => e.Value == "PUBLISH_OUTCOME_CREATED");

        // Refusals are problem details with each field, value and reason; the write's credential refusals are listed.
        Assert.Equal("BadRequest", publish.Responses["400"].Reference.Id);
        var problem = document.Components.Schemas["ProblemDetails"];
        Assert.Equal(["field", "value", "reason"], problem.Properties["errors"].Items.Properties.Keys);
        Assert.All(["401", "403", "413", "415", "429"], status => Assert.Contains(status, publish.Responses.Keys));
        Assert.Contains("Retry-After", document.Components.Responses["TooManyRequests"].Headers.Keys);
    }

    [Fact]
    public async Task The_csv_feed_is_described_as_a_text_csv_upload_for_publishers()
    {
        using var client = _service.Vacancies.CreateClient();
        var document = await ApiDocumentChecks.ReadAsync(client, Ct);

        var feed = document.Paths["/api/v1/vacancies:csv"];
        var upload = feed.Operations[Microsoft.OpenApi.Models.OperationType.Post];
        Assert.Equal(["text/csv"], upload.RequestBody.Content.Keys);
        Assert.DoesNotContain(upload.Security, requirement => requirement.Count == 0);
        var export = feed.Operations[Microsoft.OpenApi.Models.OperationType.Get];
        Assert.Contains("text/csv", export.Responses["200"].Content.Keys);
        Assert.Contains(export.Parameters, p => p.Name == "country" && p.In == Microsoft.OpenApi.Models.ParameterLocation.Query);

        // GetVacancy's path also answers JobPosting JSON-LD.
        var getVacancy = document.Paths.Single(p => p.Value.Operations.Values.Any(o => o.OperationId == "GetVacancy")).Value;
        Assert.Contains("application/ld+json", getVacancy.Operations[Microsoft.OpenApi.Models.OperationType.Get].Responses["200"].Content.Keys);
    }
}
