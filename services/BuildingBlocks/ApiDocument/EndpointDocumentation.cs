using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Lmis.BuildingBlocks.ApiDocument;

/// <summary>
/// What a hand-written endpoint reads from its body (a CSV feed, an SDMX-CSV file), for the document only.
/// <c>Accepts(...)</c> would say the same but also make routing refuse other media types with a bare 415, where these
/// endpoints answer a problem that says which type they take.
/// </summary>
public sealed record DocumentedRequestBody(string Description, params string[] MediaTypes);

/// <summary>A query parameter a hand-written endpoint reads itself (not a handler argument the API explorer sees).</summary>
public sealed record DocumentedQuery(string Name, string Description);

/// <summary>Writes <see cref="DocumentedRequestBody"/> and <see cref="DocumentedQuery"/> into the operation.</summary>
internal sealed class EndpointDocumentation : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<DocumentedRequestBody>().LastOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = body.Description,
                Content = body.MediaTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = "string" } }),
            };
        }

        foreach (var query in metadata.OfType<DocumentedQuery>())
        {
            if (!operation.Parameters.Any(p => p.In == ParameterLocation.Query && p.Name == query.Name))
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = query.Name,
                    In = ParameterLocation.Query,
                    Description = query.Description,
                    Schema = new OpenApiSchema { Type = "string" },
                });
            }
        }
    }
}

public static class EndpointDescriptions
{
    /// <summary>
    /// A hand-written endpoint as the API document names it: its operationId, its group (a gRPC service's full name,
    /// so it stands beside that service's methods) and what it does, in one line.
    /// </summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, string operationId, string group, string summary) =>
        endpoint.WithName(operationId).WithTags(group).WithSummary(summary);
}
