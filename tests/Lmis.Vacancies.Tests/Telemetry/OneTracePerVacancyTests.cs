using System.Diagnostics;
using System.Net.Http.Json;
using Lmis.BuildingBlocks.Outbox;
using Lmis.Contracts.Events;
using Lmis.Testing;
using Lmis.Vacancies.Tests.Api;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Lmis.Vacancies.Tests.Telemetry;

/// <summary>
/// A vacancy's event is published later, by the outbox dispatcher, outside the call that wrote it; it must still
/// travel in that call's trace, so a consumer in another service continues it. The spans checked are the ones the
/// service defaults export (an in-memory exporter added to them), so the activity sources' registration is checked too.
/// </summary>
public sealed class OneTracePerVacancyTests : IAsyncLifetime
{
    private readonly List<Activity> _spans = [];
    private readonly Consumed _consumed = new();
    private readonly VacanciesInProcess _stack;

    public OneTracePerVacancyTests()
    {
        _stack = new VacanciesInProcess(vacancies => vacancies.WithServices(services =>
        {
            services.AddSingleton(_consumed);
            services.AddMassTransitTestHarness(bus => bus.AddConsumer<VacancyEventBundleConsumer>());
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
        }));
    }

    public ValueTask InitializeAsync() => _stack.InitializeAsync();

    public ValueTask DisposeAsync() => _stack.DisposeAsync();

    [Fact]
    public async Task The_consumer_of_a_vacancys_event_continues_the_trace_of_the_call_that_published_the_vacancy()
    {
        var ct = TestContext.Current.CancellationToken;
        var caller = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/vacancies")
        {
            Content = JsonContent.Create(new
            {
                country = "MX",
                sourceId = "STPS-TRACE-1",
                title = "Albañil",
                occupationCode = "7112",
                positions = 2,
                validThrough = TestDates.Open,
            }),
        };
        // The call comes in as the gateway forwards it: within the caller's trace.
        request.Headers.Add("traceparent", $"00-{caller.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await _stack.Vacancies.CreateClient(TestCaller.Publisher("MEX")).SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var (messageId, consumedIn) = await _consumed.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(caller, consumedIn);
        // The receive span ends just after the consumer returns; spans are exported as they end.
        var spans = await SpansUntilAsync(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer && Equals(s.GetTagItem("messaging.message.id"), messageId));
        var dispatch = Assert.Single(spans, s => s.Source.Name == OutboxTelemetry.Name && Equals(s.GetTagItem("messaging.message.id"), messageId));
        var received = spans.Where(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer && Equals(s.GetTagItem("messaging.message.id"), messageId)).ToArray();
        Assert.Equal(("VacancyPublished dispatch", caller), (dispatch.DisplayName, dispatch.TraceId));
        Assert.NotEmpty(received);
        Assert.All(received, s => Assert.Equal(caller, s.TraceId));
    }

    private async Task<Activity[]> SpansUntilAsync(Func<Activity, bool> awaited)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            Activity[] spans;
            lock (_spans)
            {
                spans = [.. _spans];
            }

            if (spans.Any(awaited) || DateTime.UtcNow > deadline)
            {
                return spans;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The message id of the test vacancy's event and the trace its consumer ran in.</summary>
    private sealed class Consumed : TaskCompletionSource<(string MessageId, ActivityTraceId Trace)>
    {
        public Consumed()
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
        }
    }

    /// <summary>The vacancies service sends its events in bundles (here, a bundle of one).</summary>
    private sealed class VacancyEventBundleConsumer(Consumed consumed) : IConsumer<VacancyEventBundle>
    {
        public Task Consume(ConsumeContext<VacancyEventBundle> context)
        {
            if (context.Message.Published.Any(e => e.Vacancy.SourceId == "STPS-TRACE-1"))
            {
                consumed.TrySetResult((context.MessageId?.ToString("D") ?? string.Empty, Activity.Current?.TraceId ?? default));
            }

            return Task.CompletedTask;
        }
    }
}
