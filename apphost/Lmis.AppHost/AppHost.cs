// The LMIS stack on one machine, for development, demonstrations and tests: the infrastructure (Lmis:Infrastructure:
// "containers", MongoDB and RabbitMQ in containers, or "local", SQLite files and a RabbitMQ process), the taxonomy,
// vacancies and statistics services and the gateway as processes, and the Aspire dashboard with every process's
// logs, traces and metrics. Run: dotnet run --project apphost/Lmis.AppHost [--launch-profile local]
using Lmis.AppHost;
using Lmis.AppHost.Infrastructure;

try
{
    var builder = DistributedApplication.CreateBuilder(args);
    var infrastructure = builder.AddStackInfrastructure();

    // Secrets, generated on the first run and kept in the AppHost's user secrets (Parameters:<name>): the key with
    // which the gateway signs who is calling for the services, and the secretariat's first API key (shown in the
    // dashboard's parameter details; issue the ministries' keys with it, then rotate it).
    var gatewayTokenKey = builder.AddParameter("gateway-token-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);
    var secretariatKey = builder.AddParameter("secretariat-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);
    var processes = new LmisProcesses(builder, infrastructure, gatewayTokenKey);

    var taxonomy = processes.AddService<Projects.Lmis_Taxonomy>("taxonomy", "taxonomydb");

    // Vacancies calls the taxonomy over gRPC (http://_grpc.taxonomy): the reference gives it services:taxonomy:grpc:0.
    var vacancies = processes.AddService<Projects.Lmis_Vacancies>("vacancies", "vacanciesdb")
        .WithReference(taxonomy).WaitFor(taxonomy);

    // Statistics checks the occupation codes of uploads against the taxonomy, and reads the vacancies service's change
    // feed to catch up on the vacancy figures.
    var statistics = processes.AddService<Projects.Lmis_Statistics>("statistics", "statisticsdb")
        .WithReference(taxonomy).WaitFor(taxonomy)
        .WithReference(vacancies);

    var gateway = processes.AddGateway(secretariatKey, taxonomy, vacancies, statistics);

    // What an operator does from the dashboard's resource menus.
    statistics.WithRebuildVacancyFiguresCommand(gateway, secretariatKey);
    gateway.WithSecretariatKeyLocationCommand(secretariatKey, infrastructure);

    await builder.Build().RunAsync();
    return 0;
}
catch (StackSetupException refused)
{
    // A setup the AppHost refuses (no container runtime, local mode published, a missing package) is told in one
    // paragraph saying what to do, not buried in a stack trace.
    await Console.Error.WriteLineAsync($"Lmis.AppHost: {refused.Message}");
    return 1;
}
