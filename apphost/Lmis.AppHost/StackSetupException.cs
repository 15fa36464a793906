namespace Lmis.AppHost;

/// <summary>The stack cannot start (or be published) as configured; the message says what to do instead.</summary>
public sealed class StackSetupException(string message) : DistributedApplicationException(message);
