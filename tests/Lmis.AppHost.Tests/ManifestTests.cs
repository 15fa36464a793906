using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lmis.AppHost.Tests;

/// <summary>
/// The deployment manifest (`--publisher manifest`) of the containers mode: what a deployment tool is given. Local mode
/// has nothing to deploy and is refused.
/// </summary>
public sealed class ManifestTests
{
    private static readonly string[] Services = ["taxonomy", "vacancies", "statistics", "gateway"];

    [Fact]
    public async Task The_manifest_holds_the_containers_the_services_and_the_gateway_with_secrets_as_parameters()
    {
        var resources = (await PublishAsync())["resources"]!.AsObject();

        var mongo = resources["mongo"]!;
        Assert.Equal("container.v0", Type(mongo));
        Assert.StartsWith("docker.io/library/mongo:", (string)mongo["image"]!, StringComparison.Ordinal);
        Assert.Contains(mongo["volumes"]!.AsArray(), v => (string)v!["target"]! == "/data/db" && ((string)v["name"]!).EndsWith("-mongo-data", StringComparison.Ordinal));
        Assert.Equal(27017, (int)mongo["bindings"]!["tcp"]!["targetPort"]!);
        Assert.Equal("{mongo-password.value}", (string)mongo["env"]!["MONGO_INITDB_ROOT_PASSWORD"]!);

        var messaging = resources["messaging"]!;
        Assert.Equal("container.v0", Type(messaging));
        Assert.EndsWith("-management", (string)messaging["image"]!, StringComparison.Ordinal);
        Assert.Equal(15672, (int)messaging["bindings"]!["management"]!["targetPort"]!);
        Assert.StartsWith("amqp://", (string)messaging["connectionString"]!, StringComparison.Ordinal);

        foreach (var name in Services)
        {
            var project = resources[name]!;
            Assert.Equal("project.v0", Type(project));
            Assert.Equal("http", (string)project["bindings"]!["http"]!["transport"]!);
            Assert.Equal("http2", (string)project["bindings"]!["grpc"]!["transport"]!);
            // The ports the process listens on in its container, which its Kestrel URLs name.
            Assert.Equal((8080, 8081), ((int)project["bindings"]!["http"]!["targetPort"]!, (int)project["bindings"]!["grpc"]!["targetPort"]!));
            Assert.Equal("http://*:{" + name + ".bindings.http.targetPort}", (string)project["env"]!["Kestrel__Endpoints__http__Url"]!);
            Assert.Equal("{gateway-token-key.value}", (string)project["env"]!["Lmis__Security__GatewayTokenKey"]!);
        }

        // Only the gateway is reachable from outside, on its documented ports.
        var gateway = resources["gateway"]!["bindings"]!;
        // (A binding whose public port is its container port names only the latter.)
        static int Public(JsonNode binding) => (int)(binding["port"] ?? binding["targetPort"])!;
        Assert.Equal((8080, true), (Public(gateway["http"]!), (bool)gateway["http"]!["external"]!));
        Assert.Equal((8081, true), (Public(gateway["grpc"]!), (bool)gateway["grpc"]!["external"]!));
        Assert.Equal((8443, "https", true), (Public(gateway["https"]!), (string)gateway["https"]!["scheme"]!, (bool)gateway["https"]!["external"]!));
        Assert.Equal(8443, (int)gateway["https"]!["targetPort"]!);
        foreach (var name in Services.SkipLast(1))
        {
            Assert.Null(resources[name]!["bindings"]!["http"]!["external"]);
        }

        Assert.Equal("{secretariat-key.value}", (string)resources["gateway"]!["env"]!["Lmis__Access__SecretariatKey"]!);
        foreach (var secret in new[] { "gateway-token-key", "secretariat-key", "mongo-password" })
        {
            Assert.Equal("parameter.v0", Type(resources[secret]!));
            Assert.True((bool)resources[secret]!["inputs"]!["value"]!["secret"]!, secret);
        }

        // One connection string per database, all to the one MongoDB server, each given to its own process.
        foreach (var (database, process) in new[] { ("taxonomydb", "taxonomy"), ("vacanciesdb", "vacancies"), ("statisticsdb", "statistics"), ("accessdb", "gateway") })
        {
            Assert.Equal(
                $"mongodb://lmis:{{mongo-password.value}}@{{mongo.bindings.tcp.host}}:{{mongo.bindings.tcp.port}}/{database}?authSource=admin",
                (string)resources[database]!["connectionString"]!);
            Assert.Equal($"{{{database}.connectionString}}", (string)resources[process]!["env"]![$"ConnectionStrings__{database}"]!);
        }

        // The services are on the message bus; the gateway is not.
        foreach (var name in Services.SkipLast(1))
        {
            Assert.Equal("{messaging.connectionString}", (string)resources[name]!["env"]!["ConnectionStrings__messaging"]!);
        }

        Assert.Null(resources["gateway"]!["env"]!["ConnectionStrings__messaging"]);

        // Nothing of the local mode: no executable (RabbitMQ process, epmd), no data folder.
        Assert.DoesNotContain(resources, r => Type(r.Value!).StartsWith("executable", StringComparison.Ordinal));
        Assert.DoesNotContain(resources, r => r.Key.Contains("epmd", StringComparison.Ordinal));
        Assert.DoesNotContain("Lmis__DataDirectory", resources.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_the_local_mode_is_refused_saying_to_publish_the_containers_mode()
    {
        var output = Path.Combine(Path.GetTempPath(), "lmis-manifest-" + Guid.NewGuid().ToString("N"));
        await using var apphost = AppHostProcess.Start(["--publisher", "manifest", "--output-path", output, "--Lmis:Infrastructure=local"]);

        Assert.True(await apphost.ExitsWithinAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), apphost.Output);
        Assert.Equal(1, apphost.ExitCode);
        Assert.Contains("Lmis:Infrastructure=local runs the stack on this machine only", apphost.Output, StringComparison.Ordinal);
        Assert.Contains("Publish with Lmis:Infrastructure=containers.", apphost.Output, StringComparison.Ordinal);
        // One clear paragraph, not an unhandled exception's stack trace.
        Assert.DoesNotContain("Unhandled exception", apphost.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "aspire-manifest.json")));
    }

    private static string Type(JsonNode resource) => (string)resource["type"]!;

    private static async Task<JsonNode> PublishAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), "lmis-manifest-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var apphost = AppHostProcess.Start(["--publisher", "manifest", "--output-path", output]);
            Assert.True(await apphost.ExitsWithinAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken), apphost.Output);
            Assert.True(apphost.ExitCode == 0, apphost.Output);
            return JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "aspire-manifest.json"), TestContext.Current.CancellationToken))!;
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
