using System.Net;
using Google.Protobuf.Reflection;
using Lmis.Contracts;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// The contract loads without .NET: the descriptor set served at <c>/contracts/lmis.protoset</c> holds every LMIS proto
/// and everything it imports, and a Node.js client built from it alone (<c>@grpc/proto-loader</c> and
/// <c>@grpc/grpc-js</c>, as docs/clients.md shows) publishes, looks up and finds a vacancy.
/// </summary>
public sealed class ProtosForAnyLanguageTests(StandaloneStack stack) : IClassFixture<StandaloneStack>
{
    /// <summary>The Node.js example of docs/clients.md, with the address, descriptor set, key and vacancy as arguments.</summary>
    private const string NodeClient = """
        const fs = require('fs');
        const grpc = require('@grpc/grpc-js');
        const protoLoader = require('@grpc/proto-loader');
        const [address, protoset, apiKey, country, sourceId] = process.argv.slice(1);

        const definition = protoLoader.loadFileDescriptorSetFromBuffer(fs.readFileSync(protoset),
          { keepCase: true, longs: String, enums: String, defaults: true });
        const lmis = grpc.loadPackageDefinition(definition).lmis;
        const vacancies = new lmis.vacancies.v1.VacanciesService(address, grpc.credentials.createInsecure());
        const metadata = new grpc.Metadata();
        metadata.add('x-api-key', apiKey);
        const call = (method, request) => new Promise((resolve, reject) =>
          vacancies[method](request, metadata, (error, response) => error ? reject(error) : resolve(response)));

        (async () => {
          const published = await call('PublishVacancy', { vacancy: {
            country, source_id: sourceId, title: 'Albañil / Bricklayer', language: 'es', occupation_code: '7112', positions: 3 } });
          const vacancy = await call('GetVacancy', { country, source_id: sourceId });
          const found = await call('SearchVacancies', { country, page_size: 100 });
          console.log(JSON.stringify({ published, vacancy, found: found.vacancies.map(v => v.source_id) }));
          vacancies.close();
        })().catch(error => { console.error(error); process.exit(1); });
        """;

    /// <summary>
    /// The refusal example of docs/clients.md: a Node.js client decodes grpc-status-details-bin with the google.rpc and
    /// lmis.errors.v1 messages of the same descriptor set (protobufjs, which proto-loader brings) and prints each
    /// violation of google.rpc.BadRequest and each field error of lmis.errors.v1.FieldErrors.
    /// </summary>
    private const string NodeRefusal = """
        const fs = require('fs');
        const grpc = require('@grpc/grpc-js');
        const protoLoader = require('@grpc/proto-loader');
        const protobuf = require('protobufjs');
        const descriptor = require('protobufjs/ext/descriptor');
        const [address, protoset, apiKey, country, sourceId] = process.argv.slice(1);

        const bytes = fs.readFileSync(protoset);
        const lmis = grpc.loadPackageDefinition(protoLoader.loadFileDescriptorSetFromBuffer(bytes, { keepCase: true })).lmis;
        const types = protobuf.Root.fromDescriptor(descriptor.FileDescriptorSet.decode(bytes));
        const details = (status, type) => status.details
          .filter(d => d.type_url === 'type.googleapis.com/' + type)
          .map(d => types.lookupType(type).decode(d.value));

        const vacancies = new lmis.vacancies.v1.VacanciesService(address, grpc.credentials.createInsecure());
        const metadata = new grpc.Metadata();
        metadata.add('x-api-key', apiKey);
        const vacancy = { country, source_id: sourceId, title: '', language: 'es', occupation_code: '71A2', positions: 0 };
        vacancies.PublishVacancy({ vacancy }, metadata, (error) => {
          const status = types.lookupType('google.rpc.Status').decode(error.metadata.get('grpc-status-details-bin')[0]);
          console.log(JSON.stringify({
            code: error.code,
            violations: details(status, 'google.rpc.BadRequest').flatMap(b => b.field_violations)
              .map(v => ({ field: v.field, description: v.description })),
            errors: details(status, 'lmis.errors.v1.FieldErrors').flatMap(f => f.errors)
              .map(e => ({ field: e.field, value: Object.hasOwn(e, 'value') ? e.value : null, reason: e.reason })),
          }));
          vacancies.close();
        });
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_served_descriptor_set_holds_every_lmis_proto_and_its_imports()
    {
        using var http = stack.Http();
        using var response = await http.GetAsync(PublicContract.DescriptorSetPath, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var set = FileDescriptorSet.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(Ct));
        var names = set.File.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var protos = Path.Combine(Repository.Root, "contracts", "Lmis.Contracts", "Protos");
        var expected = Directory.EnumerateFiles(Path.Combine(protos, "lmis"), "*.proto", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(protos, f).Replace('\\', '/'))
            .Concat(["google/api/annotations.proto", "google/api/http.proto", "google/protobuf/descriptor.proto"])
            .ToList();
        Assert.True(expected.Count > 5, string.Join(", ", expected));
        Assert.All(expected, name => Assert.Contains(name, names));
        // Self-contained: every import of every file is in the set, and the comments came along for generated docs.
        Assert.All(set.File.SelectMany(f => f.Dependency), dependency => Assert.Contains(dependency, names));
        Assert.Contains(set.File, f => f.Name.StartsWith("lmis/", StringComparison.Ordinal) && f.SourceCodeInfo?.Location.Any(l => l.HasLeadingComments) == true);
    }

    [Fact]
    public async Task A_node_client_built_from_the_descriptor_set_alone_publishes_gets_and_searches_a_vacancy()
    {
        using (var admin = stack.Grpc(stack.SecretariatKey))
        {
            await new TaxonomyService.TaxonomyServiceClient(admin).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: Ct);
        }

        using var http = stack.Http();
        var protoset = Path.Combine(Path.GetTempPath(), $"lmis-{Guid.NewGuid():N}.protoset");
        await File.WriteAllBytesAsync(protoset, await http.GetByteArrayAsync(PublicContract.DescriptorSetPath, Ct), Ct);
        var sourceId = $"MITRADEL-NODE-{Guid.NewGuid():N}";
        try
        {
            var printed = await GrpcJs.RunScriptAsync(
                NodeClient, [new Uri(stack.GrpcUrl).Authority, protoset, await stack.PublisherKeyAsync("PAN"), "PAN", sourceId], Ct);

            var published = printed.GetProperty("published");
            var vacancy = printed.GetProperty("vacancy");
            Assert.Equal("PUBLISH_OUTCOME_CREATED", published.GetProperty("outcome").GetString());
            Assert.Equal(published.GetProperty("id").GetString(), vacancy.GetProperty("id").GetString());
            Assert.Equal((sourceId, "Albañil / Bricklayer", "7112", 3), (vacancy.GetProperty("source_id").GetString(),
                vacancy.GetProperty("title").GetString(), vacancy.GetProperty("occupation_code").GetString(), vacancy.GetProperty("positions").GetInt32()));
            Assert.Contains(sourceId, printed.GetProperty("found").EnumerateArray().Select(s => s.GetString()));
        }
        finally
        {
            File.Delete(protoset);
        }
    }

    [Fact]
    public async Task A_node_client_built_from_the_descriptor_set_alone_reads_each_refused_field_with_its_value_and_reason()
    {
        using var http = stack.Http();
        var protoset = Path.Combine(Path.GetTempPath(), $"lmis-{Guid.NewGuid():N}.protoset");
        await File.WriteAllBytesAsync(protoset, await http.GetByteArrayAsync(PublicContract.DescriptorSetPath, Ct), Ct);
        try
        {
            var printed = await GrpcJs.RunScriptAsync(
                NodeRefusal, [new Uri(stack.GrpcUrl).Authority, protoset, await stack.PublisherKeyAsync("PAN"), "PAN", $"MITRADEL-NODE-{Guid.NewGuid():N}"], Ct);

            Assert.Equal(3, printed.GetProperty("code").GetInt32()); // INVALID_ARGUMENT
            var errors = printed.GetProperty("errors").EnumerateArray()
                .Select(e => (Field: e.GetProperty("field").GetString(), Value: e.GetProperty("value").GetString(), Reason: e.GetProperty("reason").GetString()!))
                .ToArray();
            Assert.Contains(("occupation_code", "71A2", "not an ISCO-08 code: expected 1 to 4 digits"), errors);
            Assert.Contains(("positions", "0", "a whole number from 1 to 100000"), errors);
            var title = Assert.Single(errors, e => e.Field == "title");
            Assert.Null(title.Value);
            Assert.StartsWith("required", title.Reason, StringComparison.Ordinal);
            // BadRequest names the same fields in the same order, its description quoting the value before the reason.
            Assert.Equal(
                errors.Select(e => (e.Field, e.Value is null ? e.Reason : $"'{e.Value}': {e.Reason}")),
                printed.GetProperty("violations").EnumerateArray().Select(v => (v.GetProperty("field").GetString(), v.GetProperty("description").GetString()!)));
        }
        finally
        {
            File.Delete(protoset);
        }
    }
}

/// <summary>The gateway serves the same descriptor set as the standalone host.</summary>
[Collection(DistributedStackCollection.Name)]
public sealed class ProtosForAnyLanguageGatewayTests(DistributedStack stack)
{
    [Fact]
    public async Task The_gateway_serves_the_descriptor_set_to_anonymous_callers()
    {
        stack.RequireRunning();
        using var http = stack.Http();
        using var response = await http.GetAsync(PublicContract.DescriptorSetPath, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PublicContract.DescriptorSet(), await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }
}
