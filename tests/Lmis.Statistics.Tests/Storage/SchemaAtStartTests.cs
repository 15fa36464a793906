using Lmis.BuildingBlocks.Messaging;
using Lmis.Testing;
using Microsoft.Extensions.Hosting;

namespace Lmis.Statistics.Tests.Storage;

public sealed class SchemaAtStartTests
{
    [Fact]
    public async Task Registering_the_statistics_service_creates_no_database_and_its_tables_exist_once_started_before_the_outbox_catch_up_consumers_or_requests()
    {
        var start = await SchemaAtStart.ObserveAsync(
            builder =>
            {
                builder.AddServiceDefaults();
                builder.AddStatistics();
                builder.AddMessaging(StatisticsModule.Service, StatisticsModule.AddConsumers);
            },
            StatisticsModule.Database);

        Assert.Empty(start.FilesAfterRegistration);
        Assert.Superset(
            new HashSet<string> { "vacancy_facts", "change_feed_position", "observations", "observation_vintages", "outbox", "audit_trail" },
            new HashSet<string>(start.TablesAfterStart[StatisticsModule.Database]));
        Assert.Empty(start.StartedBeforeTheSchema());
        Assert.Superset(
            new HashSet<string> { SchemaAtStart.Initializer, "OutboxDispatcher", "VacancyFiguresCatchUp", "MassTransitHostedService", "GenericWebHostService" },
            new HashSet<string>(start.HostedServices));
    }
}
