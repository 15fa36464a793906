using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Lmis.BuildingBlocks.Addresses;

/// <summary>
/// The address callers reach this LMIS installation at, for absolute URLs in answers: the JobPostings, lists and
/// sitemaps crawlers are given, and the server of the API document. Behind the gateway the service
/// cannot see the address callers used (the gateway calls it on its own address, and no process here trusts
/// X-Forwarded-* headers, which any caller could send), so the public address is configured:
/// <c>Lmis:PublicBaseUrl</c>. Without it, the request's own scheme, host and path base are used: right for the
/// standalone host and for a service called directly.
/// </summary>
public sealed class PublicAddresses
{
    public const string ConfigurationKey = "Lmis:PublicBaseUrl";

    /// <summary>The configured base without its trailing slash, or null to use each request's own.</summary>
    private readonly string? _configured;

    private PublicAddresses(string? configured) => _configured = configured;

    /// <summary>Reads <see cref="ConfigurationKey"/>; a value that is not an absolute http(s) URL stops the service at start.</summary>
    public static PublicAddresses From(IConfiguration configuration)
    {
        var value = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return new PublicAddresses(null);
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new InvalidOperationException(
                $"{ConfigurationKey} is '{value}': give the address callers reach LMIS at, as an absolute http or https URL "
                + "without query or fragment (e.g. https://lmis.example.org, or https://example.org/lmis behind a path).");
        }

        return new PublicAddresses(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }

    /// <summary>The public base (no trailing slash) for links in the answer to this request.</summary>
    public string BaseFor(HttpRequest request) =>
        _configured ?? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
}
