using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.Messaging;
using Lmis.Taxonomy;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultListeningEndpoints(httpPort: 5101, grpcPort: 5102);
builder.AddServiceDefaults();
builder.AddTaxonomy();
builder.AddMessaging("taxonomy", TaxonomyModule.AddConsumers);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapApiDocument();
app.MapGrpcInfrastructure();
app.MapTaxonomy();
app.Run();
