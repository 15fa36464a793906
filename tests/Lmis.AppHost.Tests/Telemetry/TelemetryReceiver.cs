using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lmis.AppHost.Tests.Telemetry;

/// <summary>One span as a service exported it: its trace, its place in it, and the service it came from.</summary>
public sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, string Scope, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// An OTLP/gRPC receiver of traces and metrics in the test process, standing in for the dashboard's: the AppHost's processes export
/// their spans to it, and a test reads what arrived.
/// </summary>
public sealed class TelemetryReceiver : IAsyncDisposable
{
    private WebApplication _host = null!;

    private TelemetryReceiver()
    {
    }

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    /// <summary>The instruments each service exported, by service name.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, string>> Instruments { get; } = new(StringComparer.Ordinal);

    public string Endpoint { get; private set; } = string.Empty;

    public static async Task<TelemetryReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var receiver = new TelemetryReceiver();
        builder.Services.AddSingleton(receiver);
        var host = receiver._host = builder.Build();
        host.MapGrpcService<TraceExport>();
        host.MapGrpcService<MetricsExport>();
        await host.StartAsync();
        receiver.Endpoint = host.Urls.First();
        return receiver;
    }

    /// <summary>The spans of the traces that include a span satisfying <paramref name="where"/>, by trace id.</summary>
    public IReadOnlyDictionary<string, List<ReceivedSpan>> TracesWith(Func<ReceivedSpan, bool> where)
    {
        var all = Spans.ToArray();
        var traces = all.Where(where).Select(s => s.TraceId).ToHashSet();
        return all.Where(s => traces.Contains(s.TraceId)).GroupBy(s => s.TraceId).ToDictionary(g => g.Key, g => g.ToList());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
    }

    private static string ServiceOf(Resource? resource) =>
        resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue ?? "?";

    private sealed class MetricsExport(TelemetryReceiver receiver) : MetricsService.MetricsServiceBase
    {
        public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
        {
            foreach (var resource in request.ResourceMetrics)
            {
                var instruments = receiver.Instruments.GetOrAdd(ServiceOf(resource.Resource), _ => new(StringComparer.Ordinal));
                foreach (var metric in resource.ScopeMetrics.SelectMany(scope => scope.Metrics))
                {
                    instruments[metric.Name] = metric.Unit;
                }
            }

            return Task.FromResult(new ExportMetricsServiceResponse());
        }
    }

    private sealed class TraceExport(TelemetryReceiver receiver) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            foreach (var resource in request.ResourceSpans)
            {
                var service = ServiceOf(resource.Resource);
                foreach (var scope in resource.ScopeSpans)
                {
                    foreach (var span in scope.Spans)
                    {
                        receiver.Spans.Enqueue(new ReceivedSpan(service, Convert.ToHexString(span.TraceId.Span), Convert.ToHexString(span.SpanId.Span),
                            Convert.ToHexString(span.ParentSpanId.Span), span.Name, scope.Scope?.Name ?? string.Empty,
                            span.Attributes.GroupBy(a => a.Key).ToDictionary(a => a.Key, a => a.First().Value?.StringValue ?? string.Empty)));
                    }
                }
            }

            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }
}
