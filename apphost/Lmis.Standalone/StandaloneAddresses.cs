using Microsoft.Extensions.Configuration.Memory;

namespace Lmis.Standalone;

public static class StandaloneAddresses
{
    /// <summary>
    /// Every service lives in this process, so a module that calls another (vacancies → taxonomy) calls this
    /// process's own gRPC endpoint, with the same client code as in the distributed stack.
    /// </summary>
    public static WebApplicationBuilder UseInProcessServiceAddresses(this WebApplicationBuilder builder)
    {
        var self = ListeningEndpoints.LocalGrpcAddress(builder.Configuration).ToString();
        var addresses = new Dictionary<string, string?>
        {
            [$"services:taxonomy:{ListeningEndpoints.Grpc}:0"] = self,
            [$"services:vacancies:{ListeningEndpoints.Grpc}:0"] = self,
            [$"services:statistics:{ListeningEndpoints.Grpc}:0"] = self,
        };
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(1, new MemoryConfigurationSource { InitialData = addresses });
        return builder;
    }
}
