using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Taxonomy.BuiltIn;
using Lmis.Taxonomy.Grpc;
using Lmis.Taxonomy.Occupations;
using Lmis.Taxonomy.Pathways;
using Lmis.Taxonomy.Reading;
using Lmis.Taxonomy.Schemes;
using Lmis.Taxonomy.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lmis.Taxonomy;

/// <summary>The taxonomy service's table of contents: what it registers, stores, serves and listens to.</summary>
public static class TaxonomyModule
{
    /// <summary>The service's name in routes, audit entries, configuration and its outbox dispatcher.</summary>
    public const string Service = "taxonomy";

    /// <summary>Database name: <c>ConnectionStrings:taxonomydb</c> for MongoDB, else <c>taxonomydb.db</c> (SQLite).</summary>
    public const string Database = "taxonomydb";

    public static IHostApplicationBuilder AddTaxonomy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddStore<IConceptStore>(StorageLocation.For(builder, Database),
            mongo => new MongoConceptStore(mongo),
            file => new SqliteConceptStore(new SqliteDatabase(file, SqliteConceptStore.Schema)));
        builder.Services.AddOutboxDispatcher(Service, sp => sp.GetRequiredService<IConceptStore>().Outbox);
        builder.Services.AddSingleton<SchemeReleases>();
        builder.Services.AddSingleton<TaxonomyCatalog>();
        builder.Services.AddSingleton<PathwayRegistry>();
        builder.Services.AddSingleton<OccupationSearch>();
        builder.Services.AddSingleton<OccupationCodeSuggester>();
        builder.Services.AddRegion(builder.Configuration);
        builder.Services.AddHostedService<BuiltInSchemes>();
        builder.Services.AddHostedService<OccupationIndexWarmUp>();
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.AddServiceApi(Service, Database);
        return builder;
    }

    /// <summary>The taxonomy consumes no events yet; it announces <c>TaxonomyVersionReleased</c>.</summary>
    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
    }

    public static WebApplication MapTaxonomy(this WebApplication app)
    {
        app.UseServiceApi();
        app.MapGrpcService<TaxonomyGrpcService>();
        return app;
    }
}
