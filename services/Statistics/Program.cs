using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.Messaging;
using Lmis.Statistics;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultListeningEndpoints(httpPort: 5301, grpcPort: 5302);
builder.AddServiceDefaults();
builder.AddStatistics();
builder.AddMessaging("statistics", StatisticsModule.AddConsumers);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapApiDocument();
app.MapGrpcInfrastructure();
app.MapStatistics();
app.Run();
