using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Lmis.Testing;

/// <summary>
/// A service hosted in the test process (ASP.NET Core's TestServer) with its SQLite files in a fresh temp folder
/// and the in-memory message bus. <typeparamref name="TEntryPoint"/> is any public type of the service's assembly.
/// It trusts tokens signed with its own random gateway key, so a test calls as any <see cref="TestCaller"/>.
/// </summary>
public class ServiceHost<TEntryPoint> : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    private readonly TempDirectory _data = new("host");
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);
    private readonly List<Action<IServiceCollection>> _services = [];

    public string DataDirectory => _data.Path;

    public string GatewayTokenKey { get; } = TestCaller.NewGatewayTokenKey();

    public ServiceHost<TEntryPoint> WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public ServiceHost<TEntryPoint> WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    /// <summary>A gRPC channel to the hosted service, anonymous or as <paramref name="caller"/>.</summary>
    public GrpcChannel GrpcChannel(TestCaller? caller = null) =>
        Grpc.Net.Client.GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Handler(caller) });

    /// <summary>An HTTP client to the hosted service as <paramref name="caller"/>.</summary>
    public HttpClient CreateClient(TestCaller caller) => new(Handler(caller)) { BaseAddress = Server.BaseAddress };

    private HttpMessageHandler Handler(TestCaller? caller) =>
        caller is null ? Server.CreateHandler() : CredentialHandler.Bearer(caller.TokenSignedWith(GatewayTokenKey), Server.CreateHandler());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Lmis:DataDirectory", _data.Path);
        builder.UseSetting(Lmis.BuildingBlocks.Security.GatewayTokens.ConfigurationKey, GatewayTokenKey);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }
}
