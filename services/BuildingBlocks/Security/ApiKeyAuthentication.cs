using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lmis.BuildingBlocks.Security;

/// <summary>Checks a presented API key against the keys the secretariat issued; hosted where the keys are kept.</summary>
public interface IApiKeyVerifier
{
    /// <summary>The key's holder, or null when the key is unknown or revoked.</summary>
    Task<ClaimsPrincipal?> VerifyAsync(string presentedKey, string scheme, CancellationToken cancellationToken);
}

/// <summary>
/// API keys in the <c>X-Api-Key</c> header (machine-to-machine feeds). Checked against the store on every call,
/// so a revocation takes effect at once. A process that does not keep the keys (a service behind the gateway)
/// refuses them with a message saying where to send them.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        // A header that is present is a credential presented: empty or unprintable, it is refused, not ignored.
        var presented = values.ToString();
        if (presented.Length == 0 || presented.Any(char.IsControl))
        {
            return CredentialRefusals.Fail("The API key is not valid: it is empty or holds control characters.");
        }

        var verifier = Context.RequestServices.GetService<IApiKeyVerifier>();
        if (verifier is null)
        {
            return CredentialRefusals.Fail("API keys are accepted at the gateway; a service called directly takes a bearer token.");
        }

        var holder = await verifier.VerifyAsync(presented, SchemeName, Context.RequestAborted);
        return holder is null
            ? CredentialRefusals.Fail("The API key is not valid: it is unknown or has been revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(holder, SchemeName));
    }
}

/// <summary>Refuses a credential of a kind this process is not configured to accept, saying why.</summary>
internal sealed class UnsupportedCredentialHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Unsupported";
    public const string ReasonItem = "Lmis.UnsupportedCredential";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(CredentialRefusals.Fail(Context.Items[ReasonItem] as string ?? "This credential is not accepted here."));
}
