using Lmis.BuildingBlocks.Addresses;
using Lmis.BuildingBlocks.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Extensions;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.Swagger;

namespace Lmis.BuildingBlocks.ApiDocument;

/// <summary>
/// The OpenAPI document of a process's REST surface, generated from what it maps — every JSON-transcoded gRPC method
/// (so the protos stay the one definition, their comments the descriptions) and every hand-written endpoint — with
/// the credentials each operation takes and the problem details it can answer with. Served at <see cref="Path"/>.
/// </summary>
public static class ApiDocumentExtensions
{
    public const string DocumentName = "v1";

    public const string Path = "/openapi/v1.json";

    public const string MediaType = "application/vnd.oai.openapi+json";

    /// <summary>Once per process: the standalone host's modules share one document.</summary>
    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ApiDocumentMarker)))
        {
            return services;
        }

        services.AddSingleton<ApiDocumentMarker>();
        services.AddEndpointsApiExplorer();
        services.AddGrpcSwagger();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, ApiDocumentText.Info());
            var comments = System.IO.Path.ChangeExtension(typeof(Lmis.Contracts.PublicContract).Assembly.Location, ".xml");
            if (File.Exists(comments))
            {
                options.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
            }

            options.CustomSchemaIds(SchemaIds.For);
            options.SchemaFilter<ProtoCommentSchemas>();
            options.CustomOperationIds(OperationIds.For);
            options.TagActionsBy(OperationTags.For);
            options.AddSecurityDefinition(Credentials.ApiKeyScheme, Credentials.ApiKey);
            options.AddSecurityDefinition(Credentials.BearerScheme, Credentials.Bearer);
            options.OperationFilter<EndpointDocumentation>();
            options.OperationFilter<OperationCredentials>();
            options.OperationFilter<OperationProblems>();
            options.DocumentFilter<ProbeEndpoints>();
            options.DocumentFilter<SharedComponents>();
        });
        return services;
    }

    /// <summary><c>GET /openapi/v1.json</c>: the document, with this process's own address as its server.</summary>
    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (HttpContext context, ISwaggerProvider documents) =>
            Results.Text(ToJson(Generate(documents, context)), MediaType, System.Text.Encoding.UTF8))
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>The document of what this process maps, with its address as the server.</summary>
    public static OpenApiDocument Generate(ISwaggerProvider documents, HttpContext context)
    {
        var document = documents.GetSwagger(DocumentName);
        var address = context.RequestServices.GetRequiredService<PublicAddresses>().BaseFor(context.Request);
        document.Servers = [new OpenApiServer { Url = address, Description = "This LMIS installation" }];
        return document;
    }

    public static string ToJson(OpenApiDocument document) => document.SerializeAsJson(OpenApiSpecVersion.OpenApi3_0);

    private sealed class ApiDocumentMarker;
}
