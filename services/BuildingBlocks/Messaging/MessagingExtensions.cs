using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Lmis.BuildingBlocks.Messaging;

/// <summary>
/// How a process joins the message bus. RabbitMQ when <c>ConnectionStrings:messaging</c> holds an AMQP URI
/// (<c>amqp://user:password@host:5672/vhost</c>, what Aspire injects); otherwise MassTransit's in-memory transport,
/// which is enough when every module lives in one process (the standalone host, in-process tests). MassTransit's
/// usage telemetry is off: a government system connects to no outside host its operators did not configure.
/// </summary>
public static class MessagingExtensions
{
    public const string ConnectionName = "messaging";

    /// <param name="builder">The host.</param>
    /// <param name="queuePrefix">Prefix of this process's queue names, so the consumers of one service compete
    /// for its messages while every service still gets its own copy.</param>
    /// <param name="consumers">Each service module's consumer registrations.</param>
    public static TBuilder AddMessaging<TBuilder>(
        this TBuilder builder, string queuePrefix, params Action<IBusRegistrationConfigurator>[] consumers)
        where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName);
        builder.Services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            // A broker outage leaves the service working: writes keep their events in the outbox until the broker is
            // back. So /health says "Degraded" (still 200, the reason in its body), and the service stays in the
            // gateway's and orchestrator's rotation, even on a first deployment whose broker is not up yet.
            bus.ConfigureHealthCheckOptions(health => health.MinimalFailureStatus = HealthStatus.Degraded);
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(queuePrefix, false));
            bus.AddConsumeObserver(sp => new ConsumerLag(
                queuePrefix, sp.GetRequiredService<IMeterFactory>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
            foreach (var register in consumers)
            {
                register(bus);
            }

            if (string.IsNullOrWhiteSpace(connectionString))
            {
                bus.UsingInMemory((context, transport) =>
                {
                    transport.UseMessageRetry(retry => retry.Intervals(100, 500, 2000));
                    transport.ConfigureEndpoints(context);
                });
            }
            else
            {
                var broker = RabbitMqAddress.Parse(connectionString);
                bus.UsingRabbitMq((context, transport) =>
                {
                    transport.Host(broker.Host, broker.Port, broker.VirtualHost, host =>
                    {
                        host.Username(broker.Username);
                        host.Password(broker.Password);
                    });
                    transport.UseMessageRetry(retry => retry.Intervals(100, 500, 2000, 5000));
                    transport.ConfigureEndpoints(context);
                });
            }
        });
        return builder;
    }
}

/// <summary>The parts of an AMQP URI MassTransit's RabbitMQ host needs.</summary>
public sealed record RabbitMqAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    public static RabbitMqAddress Parse(string connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri)
            || (uri.Scheme != "amqp" && uri.Scheme != "amqps" && uri.Scheme != "rabbitmq")
            || uri.Host.Length == 0)
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{MessagingExtensions.ConnectionName} must be an AMQP URI such as amqp://guest:guest@localhost:5672/.");
        }

        var credentials = uri.UserInfo.Split(':', 2);
        var username = credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : "guest";
        var password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest";
        var port = uri.IsDefaultPort || uri.Port < 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port;
        var path = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new RabbitMqAddress(uri.Host, (ushort)port, path.Length == 0 ? "/" : path, username, password);
    }
}
