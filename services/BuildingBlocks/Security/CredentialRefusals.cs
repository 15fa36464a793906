using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace Lmis.BuildingBlocks.Security;

/// <summary>A credential refused for a reason written for the caller: safe to answer as it is.</summary>
public sealed class CredentialRefusedException(string reason) : Exception(reason);

/// <summary>
/// What a caller is told when its credential is refused. Token validation's own messages name keys, algorithms and
/// thumbprints (IDX10517 shows an <c>InternalId</c> derived from the signing secret, which lets a guess of the secret
/// be tested offline): they go to the log only, and the caller reads one plain sentence.
/// </summary>
public static class CredentialRefusals
{
    public const string NotValid = "The bearer token is not valid.";
    public const string Expired = "The bearer token has expired.";
    public const string NotYetValid = "The bearer token is not valid yet.";

    public static AuthenticateResult Fail(string reason) => AuthenticateResult.Fail(new CredentialRefusedException(reason));

    /// <summary>The answer for a failed authentication: our own reasons as they are, anything else in plain words.</summary>
    public static string AnswerFor(Exception failure) => failure switch
    {
        CredentialRefusedException refused => refused.Message,
        SecurityTokenExpiredException => Expired,
        SecurityTokenNotYetValidException => NotYetValid,
        AggregateException { InnerExceptions.Count: > 0 } many when many.InnerExceptions.All(e => e is SecurityTokenExpiredException) => Expired,
        _ => NotValid,
    };

    /// <summary>Whether the answer hides details worth logging (the operator's view of why a token failed).</summary>
    public static bool HidesDetails(Exception failure) => failure is not CredentialRefusedException;
}
