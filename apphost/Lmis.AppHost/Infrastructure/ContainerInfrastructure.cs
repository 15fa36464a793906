using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Lmis.AppHost.Infrastructure;

/// <summary>
/// MongoDB and RabbitMQ as containers (Docker or Podman): a developer's machine, and what is published. MongoDB is
/// modelled with Aspire's public API: one server with a persisted generated password and a data volume, one
/// connection string per database, and a health check that pings the server, which the services wait for.
/// </summary>
public sealed class ContainerInfrastructure : IStackInfrastructure
{
    private const string MongoUser = "lmis";
    private readonly IDistributedApplicationBuilder _builder;
    private readonly IResourceBuilder<ContainerResource> _mongo;
    private readonly IResourceBuilder<ParameterResource> _mongoPassword;
    private readonly EndpointReference _mongoEndpoint;

    public ContainerInfrastructure(IDistributedApplicationBuilder builder)
    {
        _builder = builder;
        _mongoPassword = builder.AddParameter("mongo-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        _mongo = builder.AddContainer("mongo", "docker.io/library/mongo", "8.0")
            .WithEndpoint(targetPort: 27017, name: "tcp", scheme: "tcp")
            .WithEnvironment("MONGO_INITDB_ROOT_USERNAME", MongoUser)
            .WithEnvironment("MONGO_INITDB_ROOT_PASSWORD", _mongoPassword);
        _mongo.WithVolume(VolumeNameGenerator.Generate(_mongo, "data"), "/data/db");
        _mongoEndpoint = _mongo.GetEndpoint("tcp");

        var admin = ConnectionString("admin");
        var check = $"{_mongo.Resource.Name}-ping";
        builder.Services.AddHealthChecks().AddAsyncCheck(check, async cancellationToken =>
        {
            try
            {
                var client = new MongoClient(await admin.GetValueAsync(cancellationToken));
                await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);
                return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is MongoException or TimeoutException or InvalidOperationException)
            {
                return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("MongoDB does not answer a ping yet", e);
            }
        });
        _mongo.WithHealthCheck(check);

        var rabbitMq = builder.AddRabbitMQ("messaging").WithManagementPlugin().WithDataVolume();
        Messaging = rabbitMq;
        MessagingServer = rabbitMq;

        if (!builder.ExecutionContext.IsPublishMode)
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((_, cancellationToken) => RequireContainerRuntimeAsync(builder, cancellationToken));
        }
    }

    public IResourceBuilder<IResourceWithConnectionString> Messaging { get; }

    public IResourceBuilder<IResource> MessagingServer { get; }

    public IResourceBuilder<ProjectResource> WithDatabase(IResourceBuilder<ProjectResource> process, string database) =>
        process.WithReference(_builder.AddConnectionString(database, ConnectionString(database))).WaitFor(_mongo);

    private ReferenceExpression ConnectionString(string database) => ReferenceExpression.Create(
        $"mongodb://{MongoUser}:{_mongoPassword}@{_mongoEndpoint.Property(EndpointProperty.HostAndPort)}/{database}?authSource=admin");

    /// <summary>
    /// Without a container runtime Aspire would leave every resource "Waiting" for ever: fail within seconds instead,
    /// saying what to do.
    /// </summary>
    private static async Task RequireContainerRuntimeAsync(IDistributedApplicationBuilder builder, CancellationToken cancellationToken)
    {
        var runtime = builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] ?? builder.Configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        var problem = await ContainerRuntimeProblemAsync(runtime, cancellationToken);
        if (problem is not null)
        {
            throw new StackSetupException(
                $"Lmis:Infrastructure=containers runs MongoDB and RabbitMQ in containers, but {problem.TrimEnd('.', '?')}. Start Docker or Podman, or run "
                + "the stack without containers: dotnet run --project apphost/Lmis.AppHost --launch-profile local "
                + "(or pass --Lmis:Infrastructure=local).");
        }
    }

    private static async Task<string?> ContainerRuntimeProblemAsync(string runtime, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"no container runtime '{runtime}' is installed";
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                var error = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                return process.ExitCode == 0 ? null : $"'{runtime} info' failed: {(await error).Trim()}";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return $"'{runtime} info' did not answer within 15 s";
            }
        }
    }
}
