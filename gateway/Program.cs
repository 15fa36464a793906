using Lmis.Access;
using Lmis.Gateway;
using Lmis.Gateway.ApiDocument;
using Lmis.Gateway.Contracts;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultListeningEndpoints(httpPort: 8080, grpcPort: 8081);
builder.AddServiceDefaults();
builder.AddGatewayPolicies();
builder.AddAccess();
builder.AddServiceRoutes();

var app = builder.Build();
app.UseGatewayPolicies();
app.MapDefaultEndpoints();
app.MapGrpcInfrastructure();
app.MapAccess();
app.MapPublicContract();
app.MapPublicApiDocument();
app.MapApiReference();
app.MapServiceRoutes();
app.Run();
