using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Lmis.Contracts.Events;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;
using Lmis.Vacancies.Grpc;
using Lmis.Vacancies.Tests.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace Lmis.Vacancies.Tests.Api;

/// <summary>
/// The vacancies service in process, checking occupations against a real taxonomy service (also in process),
/// with MassTransit's test harness standing in for the broker so the published events can be seen.
/// </summary>
public sealed class VacanciesApiTests : IAsyncLifetime
{
    private readonly ServiceHost<TaxonomyGrpcService> _taxonomy = new();
    private ServiceHost<VacanciesGrpcService> _vacancies = null!;

    /// <summary>How long a test waits for an event the outbox has yet to hand over (longer than its polling under load).</summary>
    public static readonly TimeSpan EventWait = TimeSpan.FromSeconds(10);

    public async ValueTask InitializeAsync()
    {
        var taxonomy = new TaxonomyService.TaxonomyServiceClient(_taxonomy.GrpcChannel(TestCaller.Secretariat));
        await taxonomy.ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: TestContext.Current.CancellationToken);
        _vacancies = UsingTaxonomy(new ServiceHost<VacanciesGrpcService>(), _taxonomy);
        _vacancies.WithServices(services => services.AddMassTransitTestHarness(bus => bus.SetTestTimeouts(testInactivityTimeout: EventWait)));
    }

    public async ValueTask DisposeAsync()
    {
        await _vacancies.DisposeAsync();
        await _taxonomy.DisposeAsync();
    }

    /// <summary>Sends the vacancies service's taxonomy calls to the given in-process taxonomy host.</summary>
    internal static ServiceHost<VacanciesGrpcService> UsingTaxonomy(ServiceHost<VacanciesGrpcService> host, ServiceHost<TaxonomyGrpcService>? taxonomy) =>
        (ServiceHost<VacanciesGrpcService>)host
            .WithSetting("services:taxonomy:grpc:0", "http://localhost")
            .WithServices(services => services.Configure<HttpClientFactoryOptions>(
                nameof(TaxonomyService.TaxonomyServiceClient),
                options => options.HttpMessageHandlerBuilderActions.Add(handlers =>
                    handlers.PrimaryHandler = taxonomy is null ? new RefusingHandler() : taxonomy.Server.CreateHandler())));

    private static object Vacancy(string sourceId, string occupation = "7112", int positions = 3) => new
    {
        country = "MX",
        sourceId,
        title = "Albañil",
        description = "Obra en Monterrey",
        language = "es",
        occupationCode = occupation,
        positions,
        datePosted = "2026-11-01",
        validThrough = TestDates.Open,
    };

    [Fact]
    public async Task A_vacancy_published_over_rest_is_stored_and_announced_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var http = _vacancies.CreateClient(TestCaller.Publisher("MEX"));
        var harness = _vacancies.Services.GetTestHarness();

        var first = await (await http.PostAsJsonAsync("/api/v1/vacancies", Vacancy("STPS-100"), ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        var again = await (await http.PostAsJsonAsync("/api/v1/vacancies", Vacancy("STPS-100"), ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        var stored = await http.GetFromJsonAsync<JsonElement>("/api/v1/vacancies/MEX/STPS-100", ct);

        Assert.Equal("PUBLISH_OUTCOME_CREATED", first.GetProperty("outcome").GetString());
        Assert.Equal("PUBLISH_OUTCOME_UNCHANGED", again.GetProperty("outcome").GetString());
        Assert.Equal(first.GetProperty("id").GetString(), stored.GetProperty("id").GetString());
        Assert.Equal(("MEX", 3, "open"), (stored.GetProperty("country").GetString(), stored.GetProperty("positions").GetInt32(), stored.GetProperty("status").GetString()));

        Assert.True(await PublishedVacancyEvents.AnyAsync<VacancyPublished>(harness, e => e.Vacancy.SourceId == "STPS-100", ct));
        await Task.Delay(500, ct);
        Assert.Single(PublishedVacancyEvents.Of<VacancyPublished>(harness, ct), e => e.Vacancy.SourceId == "STPS-100");
    }

    [Fact]
    public async Task A_changed_vacancy_published_over_grpc_becomes_version_2_and_is_announced_as_updated()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = new VacanciesService.VacanciesServiceClient(_vacancies.GrpcChannel(TestCaller.Publisher("GTM")));
        var harness = _vacancies.Services.GetTestHarness();
        var vacancy = new Contracts.Vacancies.V1.Vacancy { Country = "GTM", SourceId = "MINTRAB-9", Title = "Enfermera", OccupationCode = "2221", Positions = 1 };

        var created = await client.PublishVacancyAsync(new PublishVacancyRequest { Vacancy = vacancy }, cancellationToken: ct);
        vacancy.Positions = 4;
        var updated = await client.PublishVacancyAsync(new PublishVacancyRequest { Vacancy = vacancy }, cancellationToken: ct);

        Assert.Equal((Contracts.Vacancies.V1.PublishOutcome.Created, 1), (created.Outcome, created.Version));
        Assert.Equal((Contracts.Vacancies.V1.PublishOutcome.Updated, 2, created.Id), (updated.Outcome, updated.Version, updated.Id));
        Assert.True(await PublishedVacancyEvents.AnyAsync<VacancyUpdated>(harness, e => e.Vacancy.Version == 2 && e.Vacancy.Positions == 4, ct));
    }

    [Fact]
    public async Task An_invalid_vacancy_is_refused_over_grpc_and_rest_with_every_field_error_and_nothing_is_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = new VacanciesService.VacanciesServiceClient(_vacancies.GrpcChannel(TestCaller.Publisher("MEX")));
        var http = _vacancies.CreateClient(TestCaller.Publisher("MEX"));

        var grpcError = await Assert.ThrowsAsync<RpcException>(async () => await client.PublishVacancyAsync(
            new PublishVacancyRequest { Vacancy = new Contracts.Vacancies.V1.Vacancy { Country = "FRA", SourceId = "X-1", Title = "Chef", OccupationCode = "9999" } },
            cancellationToken: ct));
        using var rest = await http.PostAsJsonAsync("/api/v1/vacancies", Vacancy("STPS-200", occupation: "9999"), ct);
        var problem = await rest.Content.ReadFromJsonAsync<JsonElement>(ct);
        using var lookup = await http.GetAsync("/api/v1/vacancies/MEX/STPS-200", ct);

        Assert.Equal(StatusCode.InvalidArgument, grpcError.StatusCode);
        Assert.Contains("country 'FRA': not a member state", grpcError.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("occupation_code '9999'", grpcError.Status.Detail, StringComparison.Ordinal);
        // A gRPC client reads field, value and reason apart (lmis.errors.v1.FieldErrors), and the same errors in the
        // same order as google.rpc.BadRequest, whose description quotes the value as it always has.
        var grpcErrors = Refusals.FieldErrors(grpcError);
        var country = Assert.Single(grpcErrors, e => e.Field == "country");
        Assert.Equal("FRA", country.Value);
        Assert.StartsWith("not a member state", country.Reason, StringComparison.Ordinal);
        var occupation = Assert.Single(grpcErrors, e => e.Field == "occupation_code");
        Assert.Equal("9999", occupation.Value);
        Assert.StartsWith("not an ISCO-08 occupation known to the taxonomy", occupation.Reason, StringComparison.Ordinal);
        Assert.Equal(grpcErrors.Select(e => (e.Field, e.Description)), Refusals.Violations(grpcError).Select(v => (v.Field, v.Description)));
        Assert.Equal(HttpStatusCode.BadRequest, rest.StatusCode);
        Assert.Equal("application/problem+json", rest.Content.Headers.ContentType?.MediaType);
        // REST gives the same error, in the one problem shape.
        Assert.Equal(occupation, Assert.Single(Refusals.ProblemErrors(problem)));
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task When_the_taxonomy_cannot_be_reached_the_vacancy_is_refused_as_unavailable_not_stored_unchecked()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var isolated = UsingTaxonomy(new ServiceHost<VacanciesGrpcService>(), taxonomy: null);
        var http = isolated.CreateClient(TestCaller.Publisher("MEX"));

        using var response = await http.PostAsJsonAsync("/api/v1/vacancies", Vacancy("STPS-300"), ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        using var lookup = await http.GetAsync("/api/v1/vacancies/MEX/STPS-300", ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("taxonomy service could not check isco08 code 7112", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    /// <summary>A taxonomy that is down: every connection is refused.</summary>
    internal sealed class RefusingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused (test)", new System.Net.Sockets.SocketException(111));
    }
}
