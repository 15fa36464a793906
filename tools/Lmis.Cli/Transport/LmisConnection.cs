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

    public LmisConnection(ConnectionSettings settings)
    {
        Server = settings.Server;
        _apiKey = settings.ApiKey;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // A feed stream can be quiet while the server stores a batch; pings keep NATs and proxies from dropping it.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            EnableMultipleHttp2Connections = true,
        };
        if (settings.CaFile is { } caFile)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = TrustedBy(caFile);
        }

        _channel = GrpcChannel.ForAddress(settings.Server, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxSendMessageSize = 64 * 1024 * 1024,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
    }

    public string Server { get; }

    public CallInvoker Invoker => _channel.CreateCallInvoker();

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

    public void Dispose() => _channel.Dispose();

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
