using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Statistics.Datasets;
using Lmis.Statistics.Grpc;
using Lmis.Statistics.RegionalViews;
using Lmis.Statistics.Sdmx.Mappings;
using Lmis.Statistics.Storage;
using Lmis.Statistics.Structures;
using Lmis.Statistics.VacancyFigures;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lmis.Statistics;

/// <summary>
/// The statistics service's table of contents. Vacancy figures are derived from vacancy events by
/// <see cref="VacancyEventsConsumer"/>, completed from the vacancies service's change feed by
/// <see cref="VacancyFiguresCatchUp"/>, and kept in <see cref="IVacancyFigureStore"/>.
/// </summary>
public static class StatisticsModule
{
    /// <summary>The service's name in routes, audit entries, configuration and its outbox dispatcher.</summary>
    public const string Service = "statistics";

    /// <summary>Database name: <c>ConnectionStrings:statisticsdb</c> for MongoDB, else <c>statisticsdb.db</c> (SQLite).</summary>
    public const string Database = "statisticsdb";

    /// <summary>
    /// The vacancies service's gRPC endpoint (for rebuilding the vacancy figures), resolved by service discovery from
    /// <c>services:vacancies:grpc:0</c>.
    /// </summary>
    public const string VacanciesAddress = "http://_grpc.vacancies";

    /// <summary>The taxonomy service's gRPC endpoint (occupation and sector codes of uploads), from <c>services:taxonomy:grpc:0</c>.</summary>
    public const string TaxonomyAddress = "http://_grpc.taxonomy";

    public static IHostApplicationBuilder AddStatistics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddStore<IVacancyFigureStore>(StorageLocation.For(builder, Database),
            mongo => new MongoVacancyFigureStore(mongo),
            file => new SqliteVacancyFigureStore(new SqliteDatabase(file, SqliteVacancyFigureStore.Schema, SqliteVacancyFigureStore.Upgrade)));
        builder.Services.AddStore<IObservationStore>(StorageLocation.For(builder, Database),
            mongo => new MongoObservationStore(mongo),
            file => new SqliteObservationStore(new SqliteDatabase(file, SqliteObservationStore.Schema)));
        builder.Services.AddOutboxDispatcher(Service, sp => sp.GetRequiredService<IObservationStore>().Outbox);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddGrpcClient<TaxonomyService.TaxonomyServiceClient>(o => o.Address = new Uri(TaxonomyAddress));
        builder.Services.AddSingleton<ObservationMetrics>();
        // Checked here, at start: a malformed mapping stops the service with the reason.
        builder.Services.AddSingleton(SourceMappings.From(builder.Configuration));
        builder.Services.AddSingleton<ObservationUpload>();
        builder.Services.AddStructures();
        builder.Services.AddSingleton(ShortageThresholds.From(builder.Configuration));
        builder.Services.AddSingleton<OccupationTitles>();
        builder.Services.AddSingleton<LabourShortages>();
        builder.Services.AddSingleton<ConnectingPathways>();
        builder.Services.AddSingleton<Complementarity>();
        builder.Services.AddSingleton<MigrationCorridors>();
        builder.Services.AddRegion(builder.Configuration);
        builder.Services.AddGrpcClient<VacanciesService.VacanciesServiceClient>(o => o.Address = new Uri(VacanciesAddress));
        builder.Services.AddSingleton(CatchUpInterval.From(builder.Configuration));
        builder.Services.AddSingleton<VacancyFiguresCatchUp>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<VacancyFiguresCatchUp>());
        builder.AddServiceApi(Service, Database);
        builder.Services.AddSdmxCompression();
        return builder;
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<VacancyEventsConsumer>(consumer => consumer.Options<BatchOptions>(batch => batch
            .SetMessageLimit(VacancyEventsConsumer.BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(50))
            .SetConcurrencyLimit(1)));
        // One bundle at a time: each is already one write of up to a dispatcher's batch of vacancies.
        bus.AddConsumer<VacancyEventBundleConsumer>(consumer => consumer.ConcurrentMessageLimit = 1);
    }

    public static WebApplication MapStatistics(this WebApplication app)
    {
        // SDMX answers only: on a gRPC call the compression middleware's wrapping let a request claiming gzip that is
        // not gzip reach its method instead of being refused.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/sdmx", StringComparison.OrdinalIgnoreCase), sdmx => sdmx.UseResponseCompression());
        app.UseServiceApi();
        app.MapGrpcService<StatisticsGrpcService>();
        app.MapDataUploads();
        app.MapDataQueries();
        app.MapStructures();
        app.MapDataAvailability();
        app.MapRegionalViews();
        return app;
    }
}
