using System.Diagnostics;
using System.Net.Http.Json;
using Lmis.Testing;

namespace Lmis.AppHost.Tests;

/// <summary>
/// What a developer watches in the dashboard: one vacancy, one trace — from the gateway through the vacancies service
/// (and its check with the taxonomy), the outbox and RabbitMQ, to the statistics service that counts it.
/// </summary>
public sealed class TraceTests(LocalAppHost stack)
{
    [Fact]
    public async Task A_published_vacancy_is_one_trace_from_the_gateway_to_the_statistics_service()
    {
        stack.RequireRunning();
        var ct = TestContext.Current.CancellationToken;
        var panama = await stack.PublisherKeyAsync("PAN");
        using var publisher = stack.Http(panama);
        // The caller starts the trace (W3C traceparent), so the test knows which one is this vacancy's.
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/vacancies")
        {
            Content = JsonContent.Create(new
            {
                country = "PAN",
                sourceId = "MITRADEL-TRACE-1",
                title = "Albañil",
                occupationCode = "7112",
                positions = 2,
            }),
        };
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var published = await publisher.SendAsync(request, ct);
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync(ct));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<Telemetry.ReceivedSpan> trace = [];
        while (DateTime.UtcNow < deadline)
        {
            trace = [.. stack.Telemetry.Spans.Where(s => s.TraceId.Equals(traceId.ToHexString(), StringComparison.OrdinalIgnoreCase))];
            if (trace.Any(s => s.Service == "statistics"))
            {
                break;
            }

            await Task.Delay(500, ct);
        }

        var services = trace.Select(s => s.Service).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(services.SequenceEqual(["gateway", "statistics", "taxonomy", "vacancies"]),
            $"The vacancy's trace holds spans of [{string.Join(", ", services)}]; every span received:\n"
            + string.Join("\n", stack.Telemetry.Spans.Select(s => $"{s.TraceId[..8]} {s.Service} {s.Scope} {s.Name}")));
    }
}
