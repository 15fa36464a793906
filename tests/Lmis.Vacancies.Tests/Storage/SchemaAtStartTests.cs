using Lmis.BuildingBlocks.Messaging;
using Lmis.Testing;
using Microsoft.Extensions.Hosting;

namespace Lmis.Vacancies.Tests.Storage;

public sealed class SchemaAtStartTests
{
    [Fact]
    public async Task Registering_the_vacancies_service_creates_no_database_and_its_tables_exist_once_started_before_the_outbox_expiry_consumers_or_requests()
    {
        var start = await SchemaAtStart.ObserveAsync(
            builder =>
            {
                builder.AddServiceDefaults();
                builder.AddVacancies();
                builder.AddMessaging(VacanciesModule.Service, VacanciesModule.AddConsumers);
            },
            VacanciesModule.Database);

        Assert.Empty(start.FilesAfterRegistration);
        Assert.Superset(
            new HashSet<string> { "vacancies", "vacancy_text", "outbox", "audit_trail" },
            new HashSet<string>(start.TablesAfterStart[VacanciesModule.Database]));
        Assert.Empty(start.StartedBeforeTheSchema());
        Assert.Superset(
            new HashSet<string> { SchemaAtStart.Initializer, "OutboxDispatcher", "VacancyExpiry", "MassTransitHostedService", "GenericWebHostService" },
            new HashSet<string>(start.HostedServices));
    }
}
