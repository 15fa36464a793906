using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Lmis.Contracts.Events;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;
using Lmis.Vacancies.Grpc;
using Lmis.Vacancies.Tests.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Lmis.Vacancies.Tests.Api;

/// <summary>
/// A ministry tries a feed before publishing it: validate-only applies every rule publishing applies and stores
/// nothing, announces nothing, and a vacancy already stored stays as it was.
/// </summary>
public sealed class ValidateOnlyApiTests : IAsyncLifetime
{
    private readonly VacanciesInProcess _service = new(vacancies => vacancies.WithServices(services => services.AddMassTransitTestHarness(bus => bus.SetTestTimeouts(testInactivityTimeout: VacanciesApiTests.EventWait))));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServiceHost<VacanciesGrpcService> Vacancies => _service.Vacancies;

    public ValueTask InitializeAsync() => _service.InitializeAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private VacanciesService.VacanciesServiceClient Client(string country = "GTM") => new(Vacancies.GrpcChannel(TestCaller.Publisher(country)));

    private static Vacancy Vacancy(string sourceId, string occupation = "7112", int positions = 1) => new()
    {
        Country = "GTM",
        SourceId = sourceId,
        Title = "Albañil para obra en Mixco",
        Language = "es",
        OccupationCode = occupation,
        Positions = positions,
        DatePosted = "2026-11-01",
        ValidThrough = TestDates.Open,
    };

    private async Task<StatusCode?> LookupStatusAsync(string sourceId, string country = "GTM")
    {
        try
        {
            await Client(country).GetVacancyAsync(new GetVacancyRequest { Country = country, SourceId = sourceId }, cancellationToken: Ct);
            return null;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private async Task<int> PublishedEventsAsync()
    {
        // Long enough for an event written to the outbox to be dispatched and seen by the harness.
        await Task.Delay(500, Ct);
        return PublishedVacancyEvents.Of<VacancyPublished>(Vacancies.Services.GetTestHarness(), Ct).Count();
    }

    [Fact]
    public async Task A_checked_vacancy_is_valid_and_not_stored_and_a_bad_one_is_refused_as_publishing_would()
    {
        var valid = await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Vacancy("V-1"), ValidateOnly = true }, cancellationToken: Ct);
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Vacancy("V-2", occupation: "9999"), ValidateOnly = true }, cancellationToken: Ct));
        var published = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Vacancy("V-2", occupation: "9999") }, cancellationToken: Ct));

        Assert.Equal((PublishOutcome.Valid, string.Empty, 0), (valid.Outcome, valid.Id, valid.Version));
        Assert.Equal(StatusCode.NotFound, await LookupStatusAsync("V-1"));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(Refusals.FieldErrors(published), Refusals.FieldErrors(refused));
        Assert.Equal(0, await PublishedEventsAsync());
    }

    [Fact]
    public async Task Checking_a_change_to_a_stored_vacancy_leaves_the_stored_one_at_its_version()
    {
        await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Vacancy("V-3", positions: 2) }, cancellationToken: Ct);

        var check = await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Vacancy("V-3", positions: 9), ValidateOnly = true }, cancellationToken: Ct);
        var stored = await Client().GetVacancyAsync(new GetVacancyRequest { Country = "GTM", SourceId = "V-3" }, cancellationToken: Ct);

        Assert.Equal(PublishOutcome.Valid, check.Outcome);
        Assert.Equal((1, 2), (stored.Version, stored.Positions));
        Assert.Equal(1, await PublishedEventsAsync());
    }

    [Fact]
    public async Task A_checked_feed_reports_every_item_as_publishing_would_and_stores_none_of_them()
    {
        using var call = Client().PublishVacancies(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Vacancy("F-1"), ValidateOnly = true }, Ct);
        await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Vacancy("F-2", occupation: "9999"), ValidateOnly = true }, Ct);
        await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Vacancy("F-3", occupation: "2221"), ValidateOnly = true }, Ct);
        await call.RequestStream.CompleteAsync();
        var answer = await call;

        Assert.Equal((3, 2, 1, 0), (answer.Received, answer.Valid, answer.Rejected, answer.Created));
        Assert.Equal([PublishOutcome.Valid, PublishOutcome.Rejected, PublishOutcome.Valid], answer.Results.Select(r => r.Outcome));
        Assert.Equal(("occupation_code", "9999"), (answer.Results[1].Errors[0].Field, answer.Results[1].Errors[0].Value));
        Assert.Equal(StatusCode.NotFound, await LookupStatusAsync("F-1"));
        Assert.Equal(StatusCode.NotFound, await LookupStatusAsync("F-3"));
        Assert.Equal(0, await PublishedEventsAsync());
    }

    [Fact]
    public async Task A_feed_is_a_check_or_a_publication_as_its_first_message_says_and_an_item_saying_otherwise_is_refused()
    {
        async Task<PublishVacanciesResponse> SendAsync(bool firstChecks, string prefix)
        {
            using var call = Client().PublishVacancies(cancellationToken: Ct);
            await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Vacancy($"{prefix}-1"), ValidateOnly = firstChecks }, Ct);
            await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Vacancy($"{prefix}-2"), ValidateOnly = !firstChecks }, Ct);
            await call.RequestStream.CompleteAsync();
            return await call;
        }

        var check = await SendAsync(firstChecks: true, "M");
        var publication = await SendAsync(firstChecks: false, "P");

        Assert.Equal([PublishOutcome.Valid, PublishOutcome.Rejected], check.Results.Select(r => r.Outcome));
        Assert.Equal(("validate_only", "false"), (check.Results[1].Errors[0].Field, check.Results[1].Errors[0].Value));
        Assert.Equal(StatusCode.NotFound, await LookupStatusAsync("M-2"));
        Assert.Equal([PublishOutcome.Created, PublishOutcome.Rejected], publication.Results.Select(r => r.Outcome));
        Assert.Contains("first message made it a publication", publication.Results[1].Errors[0].Reason, StringComparison.Ordinal);
        Assert.Null(await LookupStatusAsync("P-1"));
        Assert.Equal(StatusCode.NotFound, await LookupStatusAsync("P-2"));
    }

    [Fact]
    public async Task A_csv_feed_with_validate_only_is_checked_line_by_line_and_stores_nothing()
    {
        const string csv = """
            country,source_id,title,occupation_code,positions
            HN,C-1,Albañil,7112,3
            HN,C-2,Cocinero,9999,1
            """;
        using var http = Vacancies.CreateClient(TestCaller.Publisher("HND"));

        using var checkedFeed = await http.PostAsync("/api/v1/vacancies:csv?validateOnly=true", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        var body = await checkedFeed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var unclear = await http.PostAsync("/api/v1/vacancies:csv?validateOnly=maybe", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        var problem = await unclear.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, checkedFeed.StatusCode);
        Assert.Equal((1, 1, 0), (body.GetProperty("valid").GetInt32(), body.GetProperty("rejected").GetInt32(), body.GetProperty("created").GetInt32()));
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(("PUBLISH_OUTCOME_VALID", 2), (results[0].GetProperty("outcome").GetString(), results[0].GetProperty("index").GetInt32()));
        Assert.Equal(StatusCode.NotFound, await LookupStatusAsync("C-1", "HND"));
        Assert.Equal(HttpStatusCode.BadRequest, unclear.StatusCode);
        Assert.Contains("validateOnly is true or false", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, await LookupStatusAsync("C-2", "HND"));
    }

    [Fact]
    public async Task Over_rest_a_vacancy_checked_with_validate_only_in_the_query_is_answered_valid_and_not_stored()
    {
        using var http = Vacancies.CreateClient(TestCaller.Publisher("GTM"));

        using var response = await http.PostAsJsonAsync("/api/v1/vacancies?validateOnly=true",
            new { country = "GTM", sourceId = "R-1", title = "Albañil", occupationCode = "7112", positions = 1 }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.Equal("PUBLISH_OUTCOME_VALID", body.GetProperty("outcome").GetString());
        Assert.Equal(StatusCode.NotFound, await LookupStatusAsync("R-1"));
    }
}
