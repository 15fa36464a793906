using Lmis.Access;
using Lmis.BuildingBlocks.Messaging;
using Lmis.Gateway;
using Lmis.Standalone;
using Lmis.Statistics;
using Lmis.Taxonomy;
using Lmis.Vacancies;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultListeningEndpoints(httpPort: 8080, grpcPort: 8081);
builder.UseInProcessServiceAddresses();
builder.AddServiceDefaults();
builder.AddGatewayPolicies();
builder.AddAccess();
builder.AddTaxonomy();
builder.AddVacancies();
builder.AddStatistics();
builder.AddMessaging("lmis", TaxonomyModule.AddConsumers, VacanciesModule.AddConsumers, StatisticsModule.AddConsumers);

var app = builder.Build();
app.UseGatewayPolicies();
app.MapDefaultEndpoints();
app.MapGrpcInfrastructure();
app.MapAccess();
app.MapTaxonomy();
app.MapVacancies();
app.MapStatistics();
app.Run();
