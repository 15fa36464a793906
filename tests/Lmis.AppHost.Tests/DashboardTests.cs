namespace Lmis.AppHost.Tests;

/// <summary>
/// The Aspire dashboard of an AppHost started as a developer starts it without Docker, in Debian's chromium: every
/// resource Running, and a published vacancy's spans from the gateway, vacancies and statistics in the traces.
/// Screenshots go with the test results (attachments and a screenshots folder beside the test assembly).
/// </summary>
public sealed class DashboardTests(DashboardSession dashboard) : IClassFixture<DashboardSession>
{
    [Fact]
    public async Task The_resources_page_lists_every_resource_of_the_local_stack_as_running()
    {
        dashboard.RequireRunning();
        var ct = TestContext.Current.CancellationToken;

        var running = await dashboard.Pages.WaitForRunningResourcesAsync(LocalAppHost.Resources, TimeSpan.FromSeconds(60), ct);

        await Screenshots.SaveAsync(dashboard.Page, "resources");
        Assert.True(running.Missing.Count == 0, $"Not Running in the dashboard: {string.Join(", ", running.Missing)}\n{running.Text}\n{dashboard.Stack.Output()}");
    }

    [Fact]
    public async Task A_published_vacancy_shows_spans_from_gateway_vacancies_and_statistics_in_the_traces()
    {
        dashboard.RequireRunning();
        var ct = TestContext.Current.CancellationToken;
        await dashboard.PublishOneVacancyAsync(ct);

        // The vacancy's request (gateway → vacancies) and its event counted by statistics.
        var (reading, traces) = await dashboard.Pages.WaitForTracesAsync(SpansOfTheVacancy, TimeSpan.FromSeconds(45), ct);

        await Screenshots.SaveAsync(dashboard.Page, "traces");
        Assert.True(reading.Missing.Count == 0, $"Not in the traces list: {string.Join("; ", reading.Missing)}\n{reading.Text}");
        await dashboard.Pages.OpenTraceAsync(traces.First(IsThePublishRequest));
        await Screenshots.SaveAsync(dashboard.Page, "trace");
    }

    [Fact]
    public async Task A_published_vacancys_way_from_gateway_to_statistics_is_one_trace()
    {
        dashboard.RequireRunning();
        var ct = TestContext.Current.CancellationToken;
        await dashboard.PublishOneVacancyAsync(ct);

        var (reading, traces) = await dashboard.Pages.WaitForTracesAsync(SpansOfTheVacancy, TimeSpan.FromSeconds(45), ct);

        Assert.True(reading.Missing.Count == 0, $"Not in the traces list: {string.Join("; ", reading.Missing)}\n{reading.Text}");
        var request = traces.First(IsThePublishRequest);
        Assert.True(request.Resources.Contains("statistics"),
            $"The request's trace holds spans of {string.Join(", ", request.Resources)} only: statistics' spans of its event are in another trace.");
    }

    private static bool IsThePublishRequest(DashboardPages.TraceRow trace) =>
        trace.Name.Contains("POST /api/v1/vacancies", StringComparison.Ordinal)
        && trace.Resources.Contains("gateway") && trace.Resources.Contains("vacancies");

    private static List<string> SpansOfTheVacancy(IReadOnlyList<DashboardPages.TraceRow> traces)
    {
        var missing = new List<string>();
        var request = traces.FirstOrDefault(IsThePublishRequest);
        if (request is null)
        {
            missing.Add("a trace of POST /api/v1/vacancies with spans from gateway and vacancies");
        }

        if (request?.Resources.Contains("statistics") != true
            && !traces.Any(t => t.Name.Contains("VacancyPublished", StringComparison.Ordinal) && t.Resources.Contains("statistics")))
        {
            missing.Add("statistics' spans of the VacancyPublished event");
        }

        return missing;
    }
}
