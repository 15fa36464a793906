using Lmis.Contracts.Taxonomy.V1;
using Lmis.Testing;

namespace Lmis.Taxonomy.Tests.Api;

/// <summary>The taxonomy service's own OpenAPI document, which the gateway merges into the public one.</summary>
public sealed class ApiDocumentTests(TaxonomyInProcess service) : IClassFixture<TaxonomyInProcess>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_document_is_valid_OpenAPI_with_every_http_rule_and_every_endpoint_and_the_credentials_each_needs()
    {
        using var client = service.Host.CreateClient();
        var document = await ApiDocumentChecks.ReadCompleteAsync(client, service.Host.Services, TaxonomyService.Descriptor, Ct);

        // Operation ids are unique: a method bound to two paths, and a method name several services have, are told apart.
        var ids = document.Paths.Values.SelectMany(p => p.Operations.Values).Select(o => o.OperationId).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("TaxonomyListAuditRecords", ids);
        Assert.Contains("GetVersionDiff", ids);
    }
}
