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
/// An OTLP/gRPC trace receiver in the test process, standing in for the dashboard's: the AppHost's processes export
/// their spans to it, and a test reads what arrived.
/// </summary>
public sealed class SpanReceiver : IAsyncDisposable
{
    private WebApplication _host = null!;

    private SpanReceiver()
    {
    }

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    public string Endpoint { get; private set; } = string.Empty;

    public static async Task<SpanReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var receiver = new SpanReceiver();
        builder.Services.AddSingleton(receiver);
        var host = receiver._host = builder.Build();
        host.MapGrpcService<TraceExport>();
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

    private sealed class TraceExport(SpanReceiver receiver) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            foreach (var resource in request.ResourceSpans)
            {
                var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue ?? "?";
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
