using Lmis.AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Lmis.AppHost;

/// <summary>How the AppHost runs an LMIS process: its two endpoints, its secrets, its storage and the message bus.</summary>
public sealed class LmisProcesses(IDistributedApplicationBuilder builder, IStackInfrastructure infrastructure, IResourceBuilder<ParameterResource> gatewayTokenKey)
{
    /// <summary>A service with its own database, on the message bus, started once the broker answers.</summary>
    public IResourceBuilder<ProjectResource> AddService<TProject>(string name, string database)
        where TProject : IProjectMetadata, new() =>
        infrastructure.WithDatabase(AddProcess<TProject>(name), database)
            .WithReference(infrastructure.Messaging).WaitFor(infrastructure.MessagingServer);

    /// <summary>
    /// The gateway, the one public entry point, on fixed ports (Lmis:Gateway:HttpPort, GrpcPort and HttpsPort, by
    /// default 8080, 8081 and 8443, so a second AppHost on the same machine can be given others). Its routes come from
    /// services:&lt;name&gt;:http:0 and services:&lt;name&gt;:grpc:0, which the references inject; it starts once the
    /// three services are healthy.
    /// </summary>
    public IResourceBuilder<ProjectResource> AddGateway(IResourceBuilder<ParameterResource> secretariatKey, params IResourceBuilder<ProjectResource>[] services)
    {
        var ports = builder.Configuration.GetSection("Lmis:Gateway");
        var gateway = AddProcess<Projects.Lmis_Gateway>("gateway", httpPort: ports.GetValue("HttpPort", 8080), grpcPort: ports.GetValue("GrpcPort", 8081))
            .WithEnvironment("Lmis__Access__SecretariatKey", secretariatKey);
        gateway = infrastructure.WithDatabase(gateway, "accessdb");
        var tls = infrastructure is ContainerInfrastructure || builder.Configuration.GetValue<bool>("Lmis:GatewayTls");
        if (tls)
        {
            // Callers outside this machine's processes use TLS: port 8443 serves REST and gRPC (HTTP/1.1 and HTTP/2 over
            // TLS, with the ASP.NET Core development certificate here; a deployment gives Kestrel its own certificate or
            // terminates TLS in front). The cleartext ports stay for local tools. Local mode leaves it off unless
            // Lmis:GatewayTls=true, so no development certificate is needed.
            var httpsPort = ports.GetValue("HttpsPort", 8443);
            gateway.WithHttpsEndpoint(port: httpsPort, targetPort: builder.ExecutionContext.IsPublishMode ? httpsPort : null, name: "https")
                .WithEnvironment("Kestrel__Endpoints__https__Url", $"https://{ListenHost}:{gateway.GetEndpoint("https").Property(EndpointProperty.TargetPort)}")
                .WithEnvironment("Kestrel__Endpoints__https__Protocols", "Http1AndHttp2");
        }

        // After the https endpoint, so that one is public too.
        gateway.WithExternalHttpEndpoints();
        foreach (var service in services)
        {
            gateway.WithReference(service).WaitFor(service);
            if (!builder.ExecutionContext.IsPublishMode)
            {
                // The addresses crawlers are given (JobPosting URLs, sitemaps) are the gateway's, not the service's own.
                // A deployment sets Lmis__PublicBaseUrl to the address the public reaches it at.
                service.WithEnvironment("Lmis__PublicBaseUrl", gateway.GetEndpoint(tls ? "https" : "http"));
            }
        }

        return gateway;
    }

    /// <summary>A process listens on the endpoint's target port: behind Aspire's proxy on localhost, or in its container.</summary>
    private string ListenHost => builder.ExecutionContext.IsPublishMode ? "*" : "localhost";

    private const int ContainerHttpPort = 8080;
    private const int ContainerGrpcPort = 8081;

    // Every LMIS process has two Kestrel endpoints: "http" (HTTP/1.1: REST, health) and "grpc" (cleartext HTTP/2 only).
    // Ports left null are chosen by Aspire at each run.
    private IResourceBuilder<ProjectResource> AddProcess<TProject>(string name, int? httpPort = null, int? grpcPort = null)
        where TProject : IProjectMetadata, new()
    {
        // The AppHost alone decides where a process listens: a launchSettings.json or Kestrel:Endpoints section added
        // to a project for standalone runs would otherwise bring endpoints of its own.
        var process = builder.AddProject<TProject>(name, options =>
            {
                options.ExcludeLaunchProfile = true;
                options.ExcludeKestrelEndpoints = true;
            })
            // Published, each process runs in a container of its own and listens on fixed ports there, which its
            // Kestrel URLs below name; run here, Aspire picks them.
            .WithHttpEndpoint(port: httpPort, targetPort: builder.ExecutionContext.IsPublishMode ? ContainerHttpPort : null, name: "http")
            .WithHttpEndpoint(port: grpcPort, targetPort: builder.ExecutionContext.IsPublishMode ? ContainerGrpcPort : null, name: "grpc")
            // Tells deployment targets that this port speaks HTTP/2.
            .WithEndpoint("grpc", endpoint => endpoint.Transport = "http2")
            // A browser cannot open cleartext HTTP/2, so the dashboard lists that URL only in the details.
            .WithUrlForEndpoint("grpc", url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly);

        // The processes bind from Kestrel:Endpoints:<name>:Url (they set the protocols themselves), so each one gets
        // its two URLs that way instead of ASPNETCORE_URLS, which Kestrel would then ignore with a warning.
        var http = process.GetEndpoint("http");
        var grpc = process.GetEndpoint("grpc");
        return process
            .WithEnvironment("Lmis__Security__GatewayTokenKey", gatewayTokenKey)
            .WithEndpointsInEnvironment(_ => false)
            .WithEnvironment("Kestrel__Endpoints__http__Url", $"http://{ListenHost}:{http.Property(EndpointProperty.TargetPort)}")
            .WithEnvironment("Kestrel__Endpoints__grpc__Url", $"http://{ListenHost}:{grpc.Property(EndpointProperty.TargetPort)}")
            .WithHttpHealthCheck("/health", endpointName: "http");
    }
}
