using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Net.Http.Headers;

namespace Lmis.Vacancies.StructuredData;

/// <summary>Marks the endpoint that answers a vacancy's own path when the caller asks for JSON-LD.</summary>
public sealed class JsonLdEndpointMetadata;

/// <summary>
/// Content negotiation on <c>GET /api/v1/vacancies/{country}/{sourceId}</c>: the transcoded gRPC method and the
/// JobPosting endpoint share the route, and this policy keeps the JobPosting when the Accept header lists
/// <c>application/ld+json</c>, the plain JSON otherwise (routing runs before any middleware could look).
/// </summary>
public sealed class JsonLdNegotiation : MatcherPolicy, IEndpointSelectorPolicy
{
    // After the HTTP method policy, before anything that might pick between the two.
    public override int Order => 100;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<JsonLdEndpointMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var wantsJsonLd = AsksForJsonLd(httpContext.Request);
        var jsonLdScores = new HashSet<int>();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && candidates[i].Endpoint.Metadata.GetMetadata<JsonLdEndpointMetadata>() is not null)
            {
                if (wantsJsonLd)
                {
                    jsonLdScores.Add(candidates[i].Score);
                }
                else
                {
                    candidates.SetValidity(i, false);
                }
            }
        }

        // Only the endpoints on the same route as the JobPosting give way; a more specific route still wins.
        for (var i = 0; i < candidates.Count; i++)
        {
            if (jsonLdScores.Contains(candidates[i].Score) && candidates[i].Endpoint.Metadata.GetMetadata<JsonLdEndpointMetadata>() is null)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether the Accept header lists application/ld+json with a quality above zero.</summary>
    public static bool AsksForJsonLd(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(m => m.MediaType.Equals(JobPostingDocument.MediaType, StringComparison.OrdinalIgnoreCase) && m.Quality is not 0);
}
