using Lmis.BuildingBlocks.Addresses;
using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.Audit;
using Lmis.BuildingBlocks.Security;
using Lmis.BuildingBlocks.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Lmis.BuildingBlocks.Errors;

public static class ServiceApiExtensions
{
    /// <summary>
    /// A service's public API as every LMIS service offers it: gRPC with JSON transcoding and the shared error
    /// mapping, the shared credentials and roles, and the service's audit trail of writes.
    /// </summary>
    public static IHostApplicationBuilder AddServiceApi(this IHostApplicationBuilder builder, string service, string database)
    {
        var limits = ServiceLimits.From(builder.Configuration);
        builder.Services.TryAddSingleton(limits);
        builder.Services.TryAddSingleton(PublicAddresses.From(builder.Configuration));
        builder.Services.AddServiceApi();
        builder.Services.Configure<Grpc.AspNetCore.Server.GrpcServiceOptions>(options => options.MaxReceiveMessageSize = limits.MessageMaxBytes);
        builder.AddLmisSecurity();
        builder.AddAuditTrail(service, database);
        builder.AddStorageHealth(database);
        return builder;
    }

    /// <summary>The <c>storage</c> health check of the embedded SQLite files; once per process (its modules share one folder).</summary>
    private static void AddStorageHealth(this IHostApplicationBuilder builder, string database)
    {
        var location = StorageLocation.For(builder, database);
        if (location.IsMongo || builder.Services.Any(d => d.ServiceType == typeof(StorageHealthCheck)))
        {
            return;
        }

        var directory = Path.GetDirectoryName(location.SqliteFile)!;
        builder.Services.AddSingleton(sp => StorageHealthCheck.For(
            directory, builder.Configuration, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
    }

    /// <summary>
    /// gRPC with JSON transcoding (every gRPC method with an HTTP annotation is also a REST endpoint) and the
    /// error mapping every service shares. Safe to call from every module hosted in one process.
    /// </summary>
    public static IServiceCollection AddServiceApi(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ServiceErrorInterceptor)))
        {
            return services;
        }

        services.AddSingleton<ServiceErrorInterceptor>();
        services.AddApiDocument();
        services.AddGrpc(options =>
        {
            options.Interceptors.Add<ServiceErrorInterceptor>();
            options.EnableDetailedErrors = false;
        }).AddJsonTranscoding(transcoding =>
            // Error details the services attach, so transcoding can write them as JSON.
            transcoding.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromMessages(
                Google.Rpc.BadRequest.Descriptor, Lmis.Contracts.Errors.V1.FieldErrors.Descriptor));
        return services;
    }

    /// <summary>
    /// Rewrites transcoded gRPC errors as RFC 7807 problem details, checks credentials, then refuses REST members
    /// and values transcoding would drop or could not read (<see cref="TranscodedRequestCheck"/>), and refuses gRPC
    /// request bytes that are not the method's messages (<see cref="GrpcRequestCheck"/>); once per process.
    /// </summary>
    public static WebApplication UseServiceApi(this WebApplication app)
    {
        const string Marker = "Lmis.ServiceApi";
        if (((IApplicationBuilder)app).Properties.TryAdd(Marker, true))
        {
            app.UseRestProblemDetails();
            app.UseMiddleware<StorageFullResponses>();
            app.UseLmisSecurity();
            app.UseMiddleware<TranscodedRequestCheck>();
            app.UseMiddleware<GrpcRequestCheck>();
        }

        return app;
    }
}
