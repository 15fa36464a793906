using System.Security.Cryptography;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Lmis.Statistics.Datasets;

/// <summary>
/// HTTP validators of an SDMX answer, so that a mirror or a cache asks again cheaply: a weak ETag of what was asked
/// (path, parameters, message kind) and when the dataflow last changed, and that time as Last-Modified. Weak, since
/// two answers to the same question differ in their header (message id, time prepared) but not in their data.
/// </summary>
public sealed class ConditionalGet
{
    private readonly EntityTagHeaderValue _etag;
    private readonly DateTimeOffset? _lastModified;

    public ConditionalGet(HttpRequest request, string representation, DateTimeOffset? lastChanged)
    {
        var question = new StringBuilder(request.Path.Value).Append('?');
        foreach (var (name, values) in request.Query.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            question.Append(name).Append('=').Append(values.ToString()).Append('&');
        }

        question.Append('|').Append(representation).Append('|').Append(lastChanged?.UtcTicks);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(question.ToString()));
        _etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(hash.AsSpan(0, 16))}\"", isWeak: true);
        // HTTP dates have whole seconds: the last change, rounded down, is what a client sends back.
        _lastModified = lastChanged is { } at ? new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero) : null;
    }

    /// <summary>Whether the client's copy is current: If-None-Match matches the ETag, or (without it) nothing changed since If-Modified-Since.</summary>
    public bool IsCurrent(HttpRequest request)
    {
        var headers = request.GetTypedHeaders();
        if (headers.IfNoneMatch is { Count: > 0 } tags)
        {
            return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(_etag, useStrongComparison: false));
        }

        return headers.IfModifiedSince is { } since && _lastModified is { } modified && modified <= since;
    }

    /// <summary>Writes the validators, and that a cache must check them before reusing the answer.</summary>
    public void Apply(HttpResponse response)
    {
        var headers = response.GetTypedHeaders();
        headers.ETag = _etag;
        headers.LastModified = _lastModified;
        headers.CacheControl = new CacheControlHeaderValue { Public = true, NoCache = true };
        response.Headers.Append(HeaderNames.Vary, HeaderNames.Accept);
    }
}
