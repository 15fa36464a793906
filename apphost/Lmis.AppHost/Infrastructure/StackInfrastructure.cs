namespace Lmis.AppHost.Infrastructure;

/// <summary>
/// Where the stack keeps its data and carries its events: the storage each service is given and the message bus.
/// Chosen by <c>Lmis:Infrastructure</c> when the app model is built, since the resources differ.
/// </summary>
public interface IStackInfrastructure
{
    /// <summary>The message bus, as a connection string resource (<c>ConnectionStrings:messaging</c>).</summary>
    IResourceBuilder<IResourceWithConnectionString> Messaging { get; }

    /// <summary>The resource a process waits for before it may use the bus (the broker itself).</summary>
    IResourceBuilder<IResource> MessagingServer { get; }

    /// <summary>Gives <paramref name="process"/> its database <paramref name="database"/> and makes it wait for it.</summary>
    IResourceBuilder<ProjectResource> WithDatabase(IResourceBuilder<ProjectResource> process, string database);
}

public static class StackInfrastructure
{
    public const string Containers = "containers";
    public const string Local = "local";

    /// <summary>The infrastructure <c>Lmis:Infrastructure</c> names: <c>containers</c> (default) or <c>local</c>.</summary>
    public static IStackInfrastructure AddStackInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var chosen = builder.Configuration["Lmis:Infrastructure"];
        switch (string.IsNullOrWhiteSpace(chosen) ? Containers : chosen.Trim().ToLowerInvariant())
        {
            case Containers:
                return new ContainerInfrastructure(builder);
            case Local when builder.ExecutionContext.IsPublishMode:
                throw new StackSetupException(
                    "Lmis:Infrastructure=local runs the stack on this machine only (SQLite files, a RabbitMQ process); it cannot be "
                    + "published. Publish with Lmis:Infrastructure=containers.");
            case Local:
                return new LocalInfrastructure(builder);
            default:
                throw new StackSetupException(
                    $"Lmis:Infrastructure is '{chosen}'; it must be '{Containers}' (MongoDB and RabbitMQ in containers, needs Docker "
                    + $"or Podman) or '{Local}' (SQLite files and Debian's rabbitmq-server, needs neither).");
        }
    }
}
