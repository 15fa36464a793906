using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lmis.AppHost.Infrastructure;

/// <summary>
/// RabbitMQ run from Debian's <c>rabbitmq-server</c> package in the foreground, as an Aspire executable: the services
/// see it as <c>ConnectionStrings:messaging</c>, as they would a container.
/// </summary>
public sealed class LocalRabbitMqResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public EndpointReference Amqp => new(this, "amqp");

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{Amqp.Property(EndpointProperty.Port)}/");
}

public static class LocalRabbitMq
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    /// <summary>
    /// A RabbitMQ node of the AppHost's own: its data, logs, cookie and configuration under
    /// <paramref name="nodeDirectory"/>, AMQP and Erlang distribution on loopback ports Aspire chooses, no plugins, and
    /// an <c>epmd</c> of its own (also an Aspire executable) so none is left running once the AppHost stops.
    /// </summary>
    public static IResourceBuilder<LocalRabbitMqResource> AddLocalRabbitMq(this IDistributedApplicationBuilder builder, string name, string nodeDirectory)
    {
        if (!builder.ExecutionContext.IsPublishMode && !File.Exists(Server))
        {
            throw new StackSetupException(
                $"Lmis:Infrastructure=local runs RabbitMQ from Debian's rabbitmq-server package, but {Server} is missing. "
                + "Install it (sudo apt-get install rabbitmq-server; its own service need not run) or use Lmis:Infrastructure=containers.");
        }

        var epmd = builder.AddExecutable($"{name}-epmd", "epmd", nodeDirectory, "-address", "127.0.0.1")
            .WithEndpoint(name: "epmd", scheme: "tcp", env: "ERL_EPMD_PORT", isProxied: false)
            .WithUrlForEndpoint("epmd", url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly);
        // The node waits until epmd listens, not only until it is started: it must never start an epmd of its own.
        var epmdCheck = $"{name}-epmd-listens";
        builder.Services.AddHealthChecks().AddAsyncCheck(epmdCheck, cancellationToken => ListensAsync(epmd.Resource.GetEndpoint("epmd"), cancellationToken));
        epmd.WithHealthCheck(epmdCheck);

        var node = builder.AddResource(new LocalRabbitMqResource(name, Server, nodeDirectory))
            .WithEndpoint(name: "amqp", scheme: "amqp", env: "RABBITMQ_NODE_PORT", isProxied: false)
            .WithEndpoint(name: "distribution", scheme: "tcp", env: "RABBITMQ_DIST_PORT", isProxied: false)
            .WithUrlForEndpoint("amqp", url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly)
            .WithUrlForEndpoint("distribution", url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly)
            .WithEnvironment(context =>
            {
                foreach (var (key, value) in NodeEnvironment(nodeDirectory))
                {
                    context.EnvironmentVariables[key] = value;
                }

                context.EnvironmentVariables["ERL_EPMD_PORT"] = epmd.GetEndpoint("epmd").Property(EndpointProperty.TargetPort);
            })
            .WaitFor(epmd);

        var check = $"{name}-amqp";
        builder.Services.AddHealthChecks().AddAsyncCheck(check, cancellationToken => AnswersAmqpAsync(node.Resource.Amqp, cancellationToken));
        node.WithHealthCheck(check);

        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            WriteNodeFiles(nodeDirectory);
            return Task.CompletedTask;
        });
        return node;
    }

    /// <summary>
    /// Everything the node reads from its environment, so it never touches the machine's own RabbitMQ (its files under
    /// /etc and /var/lib, its node name, its cookie).
    /// </summary>
    private static Dictionary<string, string> NodeEnvironment(string directory) => new()
    {
        ["HOME"] = directory,
        ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq.conf"),
        ["RABBITMQ_CONFIG_FILES"] = Path.Combine(directory, "conf.d", "*.conf"),
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
        ["RABBITMQ_ENABLED_PLUGINS"] = string.Empty,
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbitmq.pid"),
        ["ERL_CRASH_DUMP"] = Path.Combine(directory, "log", "erl_crash.dump"),
        ["RABBITMQ_NODENAME"] = "lmis-apphost@localhost",
        ["RABBITMQ_USE_LONGNAME"] = "false",
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        // -start_epmd false: an Erlang node (the broker, or a CLI tool) that finds no epmd would otherwise start
        // "epmd -daemon", which outlives the AppHost; only the messaging-epmd resource runs one.
        ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false",
        ["RABBITMQ_CTL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false",
        ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_DEFAULT_USER"] = "guest",
        ["RABBITMQ_DEFAULT_PASS"] = "guest",
        ["RABBITMQ_DEFAULT_VHOST"] = "/",
    };

    private static void WriteNodeFiles(string directory)
    {
        foreach (var folder in new[] { directory, Path.Combine(directory, "mnesia"), Path.Combine(directory, "log"), Path.Combine(directory, "conf.d") })
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(Path.Combine(directory, "rabbitmq-env.conf"), string.Empty);
        File.WriteAllText(Path.Combine(directory, "enabled_plugins"), "[].\n");
        // The node logs to its console, which the dashboard shows, and to a file under log/.
        File.WriteAllText(Path.Combine(directory, "rabbitmq.conf"), "loopback_users.guest = true\nlog.console = true\nlog.console.level = warning\n");
    }

    private static Task<HealthCheckResult> ListensAsync(EndpointReference endpoint, CancellationToken cancellationToken) =>
        ProbeAsync(endpoint, "epmd does not listen yet", (_, _) => Task.FromResult<string?>(null), cancellationToken);

    /// <summary>Ready when the node answers the AMQP 0-9-1 protocol header with a Connection.Start frame.</summary>
    private static Task<HealthCheckResult> AnswersAmqpAsync(EndpointReference amqp, CancellationToken cancellationToken) =>
        ProbeAsync(amqp, "the node does not accept AMQP connections yet", async (stream, timeout) =>
        {
            await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), timeout);
            var frameType = new byte[1];
            var read = await stream.ReadAsync(frameType, timeout);
            return read == 1 && frameType[0] == 1 ? null : "the node does not speak AMQP 0-9-1 yet";
        }, cancellationToken);

    /// <summary>Connects to a loopback endpoint within 3 s and lets <paramref name="greet"/> say what is wrong, if anything.</summary>
    private static async Task<HealthCheckResult> ProbeAsync(
        EndpointReference endpoint, string notYet, Func<NetworkStream, CancellationToken, Task<string?>> greet, CancellationToken cancellationToken)
    {
        if (!endpoint.IsAllocated)
        {
            return HealthCheckResult.Unhealthy($"the {endpoint.EndpointName} port is not allocated yet");
        }

        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await client.ConnectAsync("127.0.0.1", endpoint.Port, timeout.Token);
            return await greet(client.GetStream(), timeout.Token) is { } wrong ? HealthCheckResult.Unhealthy(wrong) : HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(notYet, e);
        }
    }
}
