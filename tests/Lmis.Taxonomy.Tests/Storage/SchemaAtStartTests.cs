using Lmis.BuildingBlocks.Messaging;
using Lmis.Testing;
using Microsoft.Extensions.Hosting;

namespace Lmis.Taxonomy.Tests.Storage;

public sealed class SchemaAtStartTests
{
    [Fact]
    public async Task Registering_the_taxonomy_service_creates_no_database_and_its_tables_exist_once_started_before_the_built_in_release_warm_up_outbox_or_requests()
    {
        var start = await SchemaAtStart.ObserveAsync(
            builder =>
            {
                builder.AddServiceDefaults();
                builder.AddTaxonomy();
                builder.AddMessaging(TaxonomyModule.Service, TaxonomyModule.AddConsumers);
            },
            TaxonomyModule.Database);

        Assert.Empty(start.FilesAfterRegistration);
        Assert.Superset(
            new HashSet<string> { "scheme_versions", "concepts", "concept_relations", "outbox", "audit_trail" },
            new HashSet<string>(start.TablesAfterStart[TaxonomyModule.Database]));
        Assert.Empty(start.StartedBeforeTheSchema());
        Assert.Superset(
            new HashSet<string> { SchemaAtStart.Initializer, "OutboxDispatcher", "BuiltInSchemes", "OccupationIndexWarmUp", "MassTransitHostedService", "GenericWebHostService" },
            new HashSet<string>(start.HostedServices));
    }
}
