using Microsoft.AspNetCore.Authorization;

namespace Lmis.BuildingBlocks.Security;

/// <summary>
/// Marks a call that changes data: only a caller with <paramref name="role"/> may make it (the role is the
/// authorization policy, <see cref="AuthorizeAttribute.Policy"/>), and every attempt, accepted or refused, goes to
/// the service's audit trail.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class WriteAttribute(string role) : AuthorizeAttribute(role);
