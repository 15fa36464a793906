using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests.Cli;

/// <summary>
/// lmis over TLS to an LMIS whose certificate is signed by an internal CA the machine does not trust, as in a
/// ministry's network: accepted with that CA given as <c>--ca-file</c>, refused without it.
/// </summary>
[Collection(LmisCommandCollection.Name)]
public sealed class TlsConnectionTests : IDisposable
{
    private readonly TempDirectory _files = new("lmis-tls");

    [Fact]
    public async Task A_server_certificate_from_the_ca_given_is_trusted_and_one_without_it_is_not()
    {
        var (caFile, certificateFile, keyFile) = WriteInternalCa();
        var secretariat = "lmis_tls_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var grpcUrl = $"https://127.0.0.1:{FreePort.Next()}";
        await using var host = ServiceProcess.Start("standalone-tls", Repository.Binary("apphost/Lmis.Standalone", "Lmis.Standalone"), new Dictionary<string, string>
        {
            ["Lmis__DataDirectory"] = Directory.CreateDirectory(Path.Combine(_files.Path, "data")).FullName,
            ["Lmis__Access__SecretariatKey"] = secretariat,
            ["Kestrel__Endpoints__grpc__Url"] = grpcUrl,
            ["Kestrel__Endpoints__grpc__Certificate__Path"] = certificateFile,
            ["Kestrel__Endpoints__grpc__Certificate__KeyPath"] = keyFile,
        });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        var folder = Directory.CreateDirectory(Path.Combine(_files.Path, "tlsnoc")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "concepts.csv"), "code,parent_code\n1,\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "labels.csv"), "code,language,kind,text\n1,en,preferred,One\n", TestContext.Current.CancellationToken);
        var lmis = new LmisCommand(Path.Combine(_files.Path, "config"));

        var untrusted = await lmis.RunAsync(secretariat, "taxonomy", "import", "--scheme", "tlsnoc", "--dir", folder, "--server", grpcUrl);
        var trusted = await lmis.RunAsync(secretariat, "taxonomy", "import", "--scheme", "tlsnoc", "--dir", folder, "--server", grpcUrl, "--ca-file", caFile);

        Assert.True(untrusted.ExitCode == 3, untrusted.All);
        Assert.Contains(grpcUrl, untrusted.Errors, StringComparison.Ordinal);
        Assert.True(trusted.ExitCode == 0, trusted.All + host.Output());
        Assert.Contains("tlsnoc version 1 released", trusted.Output, StringComparison.Ordinal);
    }

    /// <summary>A CA of its own, and a certificate it signed for 127.0.0.1 and localhost, as PEM files.</summary>
    private (string Ca, string Certificate, string Key) WriteInternalCa()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Ministry internal CA (test)", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = request.Create(ca, now.AddHours(-1), now.AddHours(12), RandomNumberGenerator.GetBytes(8));

        var paths = (Path.Combine(_files.Path, "ca.pem"), Path.Combine(_files.Path, "server.pem"), Path.Combine(_files.Path, "server.key"));
        File.WriteAllText(paths.Item1, ca.ExportCertificatePem());
        File.WriteAllText(paths.Item2, server.ExportCertificatePem());
        File.WriteAllText(paths.Item3, serverKey.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    public void Dispose() => _files.Dispose();
}
