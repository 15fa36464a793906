using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Storage;
using Lmis.Statistics.Grpc;
using Lmis.Statistics.Storage;
using Lmis.Statistics.VacancyFigures;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lmis.Statistics;

/// <summary>
/// The statistics service's table of contents. Vacancy figures are derived from vacancy events by
/// <see cref="VacancyEventsConsumer"/> and kept in <see cref="IVacancyFigureStore"/>.
/// </summary>
public static class StatisticsModule
{
    /// <summary>Database name: <c>ConnectionStrings:statisticsdb</c> for MongoDB, else <c>statisticsdb.db</c> (SQLite).</summary>
    /// <summary>The service's name in routes, audit entries and configuration.</summary>
    public const string Service = "statistics";

    public const string Database = "statisticsdb";

    public static IHostApplicationBuilder AddStatistics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(StorageLocation.For(builder, Database).Open<IVacancyFigureStore>(
            mongo => new MongoVacancyFigureStore(mongo),
            file => new SqliteVacancyFigureStore(new SqliteDatabase(file, SqliteVacancyFigureStore.Schema))));
        builder.Services.AddRegion(builder.Configuration);
        builder.AddServiceApi(Service, Database);
        return builder;
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<VacancyEventsConsumer>(consumer => consumer.Options<BatchOptions>(batch => batch
            .SetMessageLimit(VacancyEventsConsumer.BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(50))
            .SetConcurrencyLimit(1)));

    public static WebApplication MapStatistics(this WebApplication app)
    {
        app.UseServiceApi();
        app.MapGrpcService<StatisticsGrpcService>();
        return app;
    }
}
