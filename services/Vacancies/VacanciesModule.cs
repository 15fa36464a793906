using Lmis.BuildingBlocks.Addresses;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Vacancies.ChangeFeed;
using Lmis.Vacancies.Feeds;
using Lmis.Vacancies.Grpc;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Search;
using Lmis.Vacancies.Storage;
using Lmis.Vacancies.StructuredData;
using Lmis.Vacancies.Taxonomy;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lmis.Vacancies;

/// <summary>
/// The vacancies service's table of contents. A vacancy is validated in <see cref="VacancyValidation"/> (codes
/// checked against the taxonomy service through <see cref="ITaxonomyLookups"/>), published by
/// <see cref="VacancyPublishing"/> and stored with its event by <see cref="IVacancyStore"/>; searches run in
/// <see cref="VacancySearch"/>, mirrors follow <see cref="VacancyChangeFeed"/>, and <see cref="VacancyExpiry"/>
/// closes what is past its closing date. Crawlers read vacancies as schema.org JobPostings: one
/// (<see cref="JobPostingEndpoint"/>), a list of the open ones (<see cref="JobPostingListEndpoint"/>) and a sitemap
/// (<see cref="VacancySitemap"/>), each with absolute addresses from <see cref="PublicAddresses"/>.
/// </summary>
public static class VacanciesModule
{
    /// <summary>Database name: <c>ConnectionStrings:vacanciesdb</c> for MongoDB, else <c>vacanciesdb.db</c> (SQLite).</summary>
    public const string Database = "vacanciesdb";

    /// <summary>The service's name in routes, audit entries, configuration and its outbox dispatcher.</summary>
    public const string Service = "vacancies";

    /// <summary>
    /// The taxonomy service's gRPC endpoint, resolved by service discovery from
    /// <c>services:taxonomy:grpc:0</c> (what Aspire injects for a reference).
    /// </summary>
    public const string TaxonomyAddress = "http://_grpc.taxonomy";

    public static IHostApplicationBuilder AddVacancies(this IHostApplicationBuilder builder)
    {
        builder.Services.AddStore<IVacancyStore>(StorageLocation.For(builder, Database),
            mongo => new MongoVacancyStore(mongo),
            file => new SqliteVacancyStore(new SqliteDatabase(file, SqliteVacancyStore.Schema, SqliteVacancyStore.Upgrade)));
        // A feed's events go out in bundles: the statistics service applies each bundle in one write.
        builder.Services.AddOutboxDispatcher(
            Service, sp => sp.GetRequiredService<IVacancyStore>().Outbox, new EventBundling(VacancyEventBundle.Carries, VacancyEventBundle.Of));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddRegion(builder.Configuration);

        builder.Services.AddGrpcClient<TaxonomyService.TaxonomyServiceClient>(o => o.Address = new Uri(TaxonomyAddress));
        builder.Services.AddSingleton<ITaxonomyLookups, TaxonomyLookups>();
        builder.Services.AddSingleton(OccupationFromTitleSettings.From(builder.Configuration));
        builder.Services.AddSingleton<VacancyValidation>();
        builder.Services.AddSingleton<VacancyMetrics>();
        builder.Services.AddSingleton<VacancyPublishing>();
        builder.Services.AddSingleton<VacancySearch>();
        builder.Services.AddSingleton<VacancyChangeFeed>();
        builder.Services.AddSingleton<VacancyExpiry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<VacancyExpiry>());
        builder.Services.AddSingleton<Microsoft.AspNetCore.Routing.MatcherPolicy, JsonLdNegotiation>();
        builder.Services.Configure<Swashbuckle.AspNetCore.SwaggerGen.SwaggerGenOptions>(o => o.DocumentFilter<JobPostingNegotiationDocument>());
        builder.Services.AddSingleton(SitemapSize.From(builder.Configuration));

        builder.AddServiceApi(Service, Database);
        return builder;
    }

    public static void AddConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<TaxonomyVersionReleasedConsumer>();

    public static WebApplication MapVacancies(this WebApplication app)
    {
        app.UseServiceApi();
        app.MapGrpcService<VacanciesGrpcService>();
        app.MapCsvFeed();
        app.MapJobPosting();
        app.MapJobPostingList();
        app.MapVacancySitemap();
        return app;
    }
}
