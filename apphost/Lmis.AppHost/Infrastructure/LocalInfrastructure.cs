namespace Lmis.AppHost.Infrastructure;

/// <summary>
/// The stack on this machine with no container runtime: each service keeps its data in SQLite files under one data
/// folder (<c>Lmis:DataDirectory</c>, default <c>data</c> beside the AppHost), and RabbitMQ runs as a process from
/// Debian's <c>rabbitmq-server</c> package, on loopback, with its own data folder and ports from Aspire.
/// </summary>
public sealed class LocalInfrastructure : IStackInfrastructure
{
    public LocalInfrastructure(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration["Lmis:DataDirectory"];
        DataDirectory = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(builder.AppHostDirectory, "data")
            : Path.GetFullPath(configured, builder.AppHostDirectory);
        var rabbitMq = builder.AddLocalRabbitMq("messaging", Path.Combine(DataDirectory, "rabbitmq"));
        Messaging = rabbitMq;
        MessagingServer = rabbitMq;
        // Folders are made when the stack starts, not while the model is built (a manifest or a test build makes none).
        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            Directory.CreateDirectory(DataDirectory);
            return Task.CompletedTask;
        });
    }

    /// <summary>The folder of every service's SQLite files and of the RabbitMQ node.</summary>
    public string DataDirectory { get; }

    public IResourceBuilder<IResourceWithConnectionString> Messaging { get; }

    public IResourceBuilder<IResource> MessagingServer { get; }

    public IResourceBuilder<ProjectResource> WithDatabase(IResourceBuilder<ProjectResource> process, string database) =>
        process.WithEnvironment("Lmis__DataDirectory", DataDirectory);
}
