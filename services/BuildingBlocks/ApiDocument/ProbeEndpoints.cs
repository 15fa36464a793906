using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Lmis.BuildingBlocks.ApiDocument;

/// <summary>
/// <c>/health</c> and <c>/alive</c>, which every LMIS process maps (service defaults) as health checks: endpoints
/// without a handler signature, so the API explorer does not see them and they are written here.
/// </summary>
internal sealed class ProbeEndpoints : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Paths["/health"] = Probe("GetHealth", "Ready: every check of this process passes",
            "200 while the process can serve (a check may report Degraded, e.g. the message broker is unreachable and events wait in the outbox); 503 when a check fails, e.g. storage is full. The body lists each check with what it found.");
        document.Paths["/alive"] = Probe("GetAlive", "Live: the process answers",
            "200 as long as the process runs; for an orchestrator's liveness probe.");
    }

    private static OpenApiPathItem Probe(string id, string summary, string description) => new()
    {
        Operations = new Dictionary<OperationType, OpenApiOperation>
        {
            [OperationType.Get] = new()
            {
                OperationId = id,
                Summary = summary,
                Description = description,
                Tags = [new OpenApiTag { Name = "health" }],
                Security = [new OpenApiSecurityRequirement()],
                Responses = new OpenApiResponses
                {
                    ["200"] = Report("Healthy or Degraded."),
                    ["503"] = Report("Unhealthy: the failing check says why."),
                },
            },
        },
    };

    private static OpenApiResponse Report(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = "object",
                    Properties = new Dictionary<string, OpenApiSchema>
                    {
                        ["status"] = new() { Type = "string", Enum = [new Microsoft.OpenApi.Any.OpenApiString("Healthy"), new Microsoft.OpenApi.Any.OpenApiString("Degraded"), new Microsoft.OpenApi.Any.OpenApiString("Unhealthy")] },
                        ["checks"] = new()
                        {
                            Type = "array",
                            Items = new OpenApiSchema
                            {
                                Type = "object",
                                Properties = new Dictionary<string, OpenApiSchema>
                                {
                                    ["name"] = new() { Type = "string" },
                                    ["status"] = new() { Type = "string" },
                                    ["description"] = new() { Type = "string", Nullable = true },
                                },
                            },
                        },
                    },
                },
            },
        },
    };
}
