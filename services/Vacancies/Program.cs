using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.Messaging;
using Lmis.Vacancies;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultListeningEndpoints(httpPort: 5201, grpcPort: 5202);
builder.AddServiceDefaults();
builder.AddVacancies();
builder.AddMessaging("vacancies", VacanciesModule.AddConsumers);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapApiDocument();
app.MapGrpcInfrastructure();
app.MapVacancies();
app.Run();
