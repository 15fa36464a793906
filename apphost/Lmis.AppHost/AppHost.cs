// The LMIS stack on one machine, for development, demos and tests: MongoDB and RabbitMQ in containers, the
// taxonomy, vacancies and statistics services and the gateway as processes, and the Aspire dashboard with
// every process's logs, traces and metrics. Run: dotnet run --project apphost/Lmis.AppHost

var builder = DistributedApplication.CreateBuilder(args);

// One MongoDB server; each service owns one database on it (ConnectionStrings:<database>). The volume keeps the
// data across restarts.
var mongo = builder.AddMongoDB("mongo")
    .WithDataVolume();

var taxonomyDb = mongo.AddDatabase("taxonomydb");
var vacanciesDb = mongo.AddDatabase("vacanciesdb");
var statisticsDb = mongo.AddDatabase("statisticsdb");
var accessDb = mongo.AddDatabase("accessdb");

// Secrets, generated on the first run and kept in the AppHost's user secrets (Parameters:<name>): the key with which
// the gateway signs who is calling for the services, and the secretariat's first API key (shown in the dashboard's
// parameter details; issue the ministries' keys with it, then rotate it).
var gatewayTokenKey = builder.AddParameter("gateway-token-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);
var secretariatKey = builder.AddParameter("secretariat-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);

// The message bus for integration events (ConnectionStrings:messaging). The management UI shows queues and
// exchanges; the dashboard links to it.
var messaging = builder.AddRabbitMQ("messaging")
    .WithManagementPlugin();

var taxonomy = AddLmisProcess<Projects.Lmis_Taxonomy>("taxonomy")
    .WithReference(taxonomyDb).WaitFor(taxonomyDb)
    .WithReference(messaging).WaitFor(messaging);

// Vacancies calls the taxonomy over gRPC (http://_grpc.taxonomy): the reference gives it services:taxonomy:grpc:0.
var vacancies = AddLmisProcess<Projects.Lmis_Vacancies>("vacancies")
    .WithReference(vacanciesDb).WaitFor(vacanciesDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(taxonomy).WaitFor(taxonomy);

// Statistics checks the occupation codes of uploads against the taxonomy, and reads the vacancies service's change
// feed when the vacancy figures are rebuilt.
var statistics = AddLmisProcess<Projects.Lmis_Statistics>("statistics")
    .WithReference(statisticsDb).WaitFor(statisticsDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(taxonomy).WaitFor(taxonomy)
    .WithReference(vacancies);

// The gateway is the one public entry point, on fixed ports. Its routes come from services:<name>:http:0 and
// services:<name>:grpc:0, which the references inject; it starts once the three services are healthy.
// Callers outside this machine's processes use TLS: port 8443 serves REST and gRPC (HTTP/1.1 and HTTP/2 over TLS, with
// the ASP.NET Core development certificate here; a deployment gives Kestrel its own certificate or terminates TLS in
// front). The cleartext ports stay for local tools.
var gateway = AddLmisProcess<Projects.Lmis_Gateway>("gateway", httpPort: 8080, grpcPort: 8081)
    .WithHttpsEndpoint(port: 8443, name: "https");
gateway
    .WithEnvironment("Kestrel__Endpoints__https__Url", $"https://{(builder.ExecutionContext.IsPublishMode ? "*" : "localhost")}:{gateway.GetEndpoint("https").Property(EndpointProperty.TargetPort)}")
    .WithEnvironment("Kestrel__Endpoints__https__Protocols", "Http1AndHttp2")
    .WithExternalHttpEndpoints()
    .WithReference(accessDb).WaitFor(accessDb)
    .WithEnvironment("Lmis__Access__SecretariatKey", secretariatKey)
    .WithReference(taxonomy).WaitFor(taxonomy)
    .WithReference(vacancies).WaitFor(vacancies)
    .WithReference(statistics).WaitFor(statistics);

builder.Build().Run();

// Every LMIS process has two Kestrel endpoints: "http" (HTTP/1.1: REST, health) and "grpc" (cleartext HTTP/2 only).
// Ports left null are chosen by Aspire at each run.
IResourceBuilder<ProjectResource> AddLmisProcess<TProject>(string name, int? httpPort = null, int? grpcPort = null)
    where TProject : IProjectMetadata, new()
{
    // The AppHost alone decides where a process listens: a launchSettings.json or Kestrel:Endpoints section added
    // to a project for standalone runs would otherwise bring endpoints of its own.
    var process = builder.AddProject<TProject>(name, options =>
        {
            options.ExcludeLaunchProfile = true;
            options.ExcludeKestrelEndpoints = true;
        })
        .WithHttpEndpoint(port: httpPort, name: "http")
        .WithHttpEndpoint(port: grpcPort, name: "grpc")
        // Tells deployment targets that this port speaks HTTP/2.
        .WithEndpoint("grpc", endpoint => endpoint.Transport = "http2")
        // A browser cannot open cleartext HTTP/2, so the dashboard lists that URL only in the details.
        .WithUrlForEndpoint("grpc", url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly);

    // The processes bind from Kestrel:Endpoints:<name>:Url (they set the protocols themselves), so each one gets
    // its two URLs that way instead of ASPNETCORE_URLS, which Kestrel would then ignore with a warning. A process
    // listens on the endpoint's target port (run: behind Aspire's proxy on localhost; publish: in its container).
    var listenHost = builder.ExecutionContext.IsPublishMode ? "*" : "localhost";
    var http = process.GetEndpoint("http");
    var grpc = process.GetEndpoint("grpc");

    return process
        .WithEnvironment("Lmis__Security__GatewayTokenKey", gatewayTokenKey)
        .WithEndpointsInEnvironment(_ => false)
        .WithEnvironment("Kestrel__Endpoints__http__Url", $"http://{listenHost}:{http.Property(EndpointProperty.TargetPort)}")
        .WithEnvironment("Kestrel__Endpoints__grpc__Url", $"http://{listenHost}:{grpc.Property(EndpointProperty.TargetPort)}")
        .WithHttpHealthCheck("/health", endpointName: "http");
}
