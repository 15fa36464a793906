using Microsoft.OpenApi.Any;
using Microsoft.OpenApi.Extensions;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Lmis.BuildingBlocks.ApiDocument;

/// <summary>
/// The refusals every operation can answer with, each an RFC 7807 problem (<c>application/problem+json</c>) described
/// once under <c>components/responses</c>: 400 for what breaks the rules, 401 for a credential that is missing or not
/// valid, 403 for another member state's data, 404 for what does not exist, 413 and 415 for bodies too large or of
/// another type, 429 with Retry-After beyond a caller's share, 503 with Retry-After when a service or storage cannot
/// answer now.
/// </summary>
internal sealed class OperationProblems : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        // EndpointDocumentation runs first, so a hand-written endpoint's documented body is already here.
        var hasBody = operation.RequestBody is not null;
        var refusals = new List<string>();
        if (hasBody || operation.Parameters.Count > 0)
        {
            refusals.Add(SharedComponents.BadRequest);
        }

        refusals.Add(SharedComponents.Unauthorized);
        if (OperationCredentials.NeedsCredential(context))
        {
            refusals.Add(SharedComponents.Forbidden);
        }

        if (context.ApiDescription.RelativePath?.Contains('{', StringComparison.Ordinal) == true)
        {
            refusals.Add(SharedComponents.NotFound);
        }

        if (hasBody)
        {
            refusals.Add(SharedComponents.PayloadTooLarge);
            refusals.Add(SharedComponents.UnsupportedMediaType);
        }

        refusals.Add(SharedComponents.TooManyRequests);
        refusals.Add(SharedComponents.ServiceUnavailable);
        // JSON transcoding describes failures as google.rpc.Status; callers get problem details instead.
        operation.Responses.Remove("default");
        refusals.Add(SharedComponents.OtherFailure);
        foreach (var refusal in refusals)
        {
            operation.Responses.TryAdd(SharedComponents.StatusOf(refusal), new OpenApiResponse
            {
                Reference = new OpenApiReference { Type = ReferenceType.Response, Id = refusal },
            });
        }
    }
}

/// <summary>The problem details schema and the refusal responses, written once for every operation to refer to.</summary>
internal sealed partial class SharedComponents : IDocumentFilter
{
    public const string ProblemSchema = "ProblemDetails";

    public const string BadRequest = "BadRequest";
    public const string Unauthorized = "Unauthorized";
    public const string Forbidden = "Forbidden";
    public const string NotFound = "NotFound";
    public const string PayloadTooLarge = "PayloadTooLarge";
    public const string UnsupportedMediaType = "UnsupportedMediaType";
    public const string TooManyRequests = "TooManyRequests";
    public const string ServiceUnavailable = "ServiceUnavailable";
    public const string OtherFailure = "OtherFailure";

    private static readonly Dictionary<string, (string Status, string Description, bool RetryAfter)> Refusals = new()
    {
        [BadRequest] = ("400", "What was sent breaks the rules; nothing was stored. `errors` names each field, the value sent and why.", false),
        [Unauthorized] = ("401", "The credential is missing (for a write) or not valid.", false),
        [Forbidden] = ("403", "The credential may not do this, e.g. write another member state's data.", false),
        [NotFound] = ("404", "What the path names does not exist.", false),
        [PayloadTooLarge] = ("413", "The request body is larger than this installation accepts.", false),
        [UnsupportedMediaType] = ("415", "The request body is not of a media type the operation reads; `detail` names the one expected.", false),
        [TooManyRequests] = ("429", "The caller has used its share of calls; try again after Retry-After seconds.", true),
        [ServiceUnavailable] = ("503", "A service or its storage cannot answer now (nothing of this request was written); try again after Retry-After seconds.", true),
        [OtherFailure] = ("default", "Any other failure, as a problem.", false),
    };

    public static string StatusOf(string refusal) => Refusals[refusal].Status;

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas[ProblemSchema] = Problem();
        foreach (var (name, (_, description, retryAfter)) in Refusals)
        {
            var response = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new()
                    {
                        Schema = new OpenApiSchema { Reference = new OpenApiReference { Type = ReferenceType.Schema, Id = ProblemSchema } },
                    },
                },
            };
            if (retryAfter)
            {
                response.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before trying again.",
                    Schema = new OpenApiSchema { Type = "integer", Minimum = 1 },
                };
            }

            document.Components.Responses[name] = response;
        }

        UniqueOperationIds(document);
        document.Tags = [.. document.Paths.Values
            .SelectMany(p => p.Operations.Values)
            .SelectMany(o => o.Tags.Select(t => t.Name))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Select(name => new OpenApiTag { Name = name, Description = ApiDocumentText.TagDescription(name) })];
        RemoveUnusedSchemas(document);
    }

    /// <summary>
    /// Drops schemas no operation refers to, directly or through another schema (e.g. google.rpc.Status, which only
    /// transcoding's own error response named).
    /// </summary>
    private static void RemoveUnusedSchemas(OpenApiDocument document)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(document.SerializeAsJson(Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0))!.AsObject();
        var schemas = json["components"]?["schemas"]?.AsObject();
        if (schemas is null)
        {
            return;
        }

        json["components"]!.AsObject().Remove("schemas");
        var used = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(SchemaReferences(json.ToJsonString()));
        while (pending.TryDequeue(out var id))
        {
            if (used.Add(id) && schemas[id] is { } schema)
            {
                foreach (var next in SchemaReferences(schema.ToJsonString()))
                {
                    pending.Enqueue(next);
                }
            }
        }

        foreach (var unused in document.Components.Schemas.Keys.Where(id => !used.Contains(id)).ToList())
        {
            document.Components.Schemas.Remove(unused);
        }
    }

    private static IEnumerable<string> SchemaReferences(string json) =>
        SchemaReference().Matches(json).Select(m => m.Groups[1].Value);

    [System.Text.RegularExpressions.GeneratedRegex("\"#/components/schemas/([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex SchemaReference();

    private static OpenApiSchema Problem() => new()
    {
        Type = "object",
        Description = "An RFC 7807 problem: what went wrong, in words a caller can act on.",
        Properties = new Dictionary<string, OpenApiSchema>
        {
            ["type"] = new() { Type = "string", Description = "A URI naming the kind of problem." },
            ["title"] = new() { Type = "string", Description = "The HTTP status in words." },
            ["status"] = new() { Type = "integer", Description = "The HTTP status code." },
            ["detail"] = new() { Type = "string", Description = "What is wrong with this request." },
            ["instance"] = new() { Type = "string", Description = "The path that was called (transcoded gRPC methods)." },
            ["grpcStatus"] = new() { Type = "integer", Description = "The gRPC status code of the same refusal, for a transcoded gRPC method." },
            ["errors"] = new()
            {
                Type = "array",
                Description = "Each field that was refused.",
                Items = new OpenApiSchema
                {
                    Type = "object",
                    Required = new HashSet<string> { "field", "reason" },
                    Properties = new Dictionary<string, OpenApiSchema>
                    {
                        ["field"] = new() { Type = "string", Description = "The field: its proto name (`occupation_code`, `wage.max`), a query parameter (`after`), or a line of a file (`line 2, REF_AREA`)." },
                        ["value"] = new() { Type = "string", Nullable = true, Description = "The value sent (cut at 80 characters), or null when none was." },
                        ["reason"] = new() { Type = "string", Description = "Why the value was refused." },
                    },
                },
            },
        },
        Example = new OpenApiObject
        {
            ["type"] = new OpenApiString("https://httpstatuses.io/400"),
            ["title"] = new OpenApiString("Bad Request"),
            ["status"] = new OpenApiInteger(400),
            ["detail"] = new OpenApiString("Vacancy rejected: occupation_code '71A2': not an ISCO-08 code: expected 1 to 4 digits"),
            ["errors"] = new OpenApiArray
            {
                new OpenApiObject
                {
                    ["field"] = new OpenApiString("occupation_code"),
                    ["value"] = new OpenApiString("71A2"),
                    ["reason"] = new OpenApiString("not an ISCO-08 code: expected 1 to 4 digits"),
                },
            },
        },
    };

    /// <summary>A method with additional HTTP bindings is one gRPC method at several paths; each path gets its own id.</summary>
    private static void UniqueOperationIds(OpenApiDocument document)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations.Values))
        {
            if (operation.OperationId is not { } id)
            {
                continue;
            }

            var count = seen[id] = seen.GetValueOrDefault(id) + 1;
            if (count > 1)
            {
                operation.OperationId = $"{id}{count}";
            }
        }
    }
}
