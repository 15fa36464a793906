using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Lmis.Cli.Configuration;

namespace Lmis.Cli.Transport;

/// <summary>One gRPC channel to LMIS (gateway or a service) and the credential every call carries.</summary>
public sealed class LmisConnection : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly string? _apiKey;
    private readonly RemoteCertificateValidationCallback? _trust;
    private HttpClient? _rest;

    public LmisConnection(ConnectionSettings settings)
    {
        Server = settings.Server;
        _apiKey = settings.ApiKey;
        _trust = settings.CaFile is { } caFile ? TrustedBy(caFile) : null;
        _channel = GrpcChannel.ForAddress(settings.Server, new GrpcChannelOptions
        {
            HttpHandler = NewHandler(),
            MaxSendMessageSize = 64 * 1024 * 1024,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
    }

    public string Server { get; }

    public CallInvoker Invoker => _channel.CreateCallInvoker();

    /// <summary>
    /// LMIS's REST resources (SDMX data, the vacancies' CSV export) on the same address as gRPC, over HTTP/2: the
    /// gateway and every service route them on their gRPC port too, so one --server reaches both.
    /// </summary>
    public HttpClient Rest => _rest ??= NewRestClient();

    /// <summary>The API key as LMIS reads it (<c>x-api-key</c>); none when the user gave none.</summary>
    public Metadata Headers()
    {
        var headers = new Metadata();
        if (_apiKey is not null)
        {
            headers.Add("x-api-key", _apiKey);
        }

        return headers;
    }

    public void Dispose()
    {
        _rest?.Dispose();
        _channel.Dispose();
    }

    /// <summary>The gRPC channel's and the REST client's own (the channel takes its handler over), trusting the same CA.</summary>
    private SocketsHttpHandler NewHandler()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // A feed stream can be quiet while the server stores a batch; pings keep NATs and proxies from dropping it.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            EnableMultipleHttp2Connections = true,
        };
        if (_trust is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = _trust;
        }

        return handler;
    }

    private HttpClient NewRestClient()
    {
        var client = new HttpClient(NewHandler(), disposeHandler: true)
        {
            BaseAddress = new Uri(Server.TrimEnd('/') + "/"),
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            // The gRPC port speaks HTTP/2 only (cleartext: with prior knowledge).
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            // An export or a data message streams for as long as it is large.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (_apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("x-api-key", _apiKey);
        }

        return client;
    }

    /// <summary>
    /// Accepts the server's certificate when it chains to a CA of the given PEM file (an internal CA the machine does
    /// not trust by itself); the host name must still match.
    /// </summary>
    private static RemoteCertificateValidationCallback TrustedBy(string caFile)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"--ca-file {caFile}: not a PEM certificate file ({e.Message})");
        }

        if (roots.Count == 0)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"--ca-file {caFile}: no certificate in it");
        }

        return (_, certificate, chain, errors) =>
        {
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            {
                return false;
            }

            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(roots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return custom.Build(leaf);
        };
    }
}
