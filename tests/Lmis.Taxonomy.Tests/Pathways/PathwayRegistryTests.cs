using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Taxonomy.Pathways;

namespace Lmis.Taxonomy.Tests.Pathways;

public sealed class PathwayRegistryTests : IDisposable
{
    private readonly TaxonomyOnDisk _taxonomy = new();
    private readonly PathwayRegistry _registry;

    public PathwayRegistryTests() => _registry = new PathwayRegistry(_taxonomy.Catalog);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Attributes = """
        code,attribute,value
        can-sawp,type,seasonal_worker_scheme
        can-sawp,origin,MEX
        can-sawp,origin,JAM
        can-sawp,destination,CAN
        can-sawp,sector,A
        can-sawp,occupation,61
        can-sawp,occupation,92
        can-sawp,valid_from,1974-01-01
        can-sawp,status,in_force
        can-sawp,source_document,Employment and Social Development Canada: Seasonal Agricultural Worker Program
        cri-nic,type,bilateral_agreement
        cri-nic,origin,NIC
        cri-nic,destination,CRI
        cri-nic,occupation,6111
        cri-nic,valid_from,2007-01-01
        cri-nic,valid_to,2010-12-31
        cri-nic,status,ended
        cri-nic,source_document,Binational agreement on seasonal agricultural workers
        """;

    private async Task ReleaseReferenceSchemesAsync()
    {
        await _taxonomy.ReleaseCsvAsync("isco08", "code,parent_code\n6,\n61,6\n611,61\n6111,611\n9,\n92,9\n",
            "code,language,kind,text\n6,en,preferred,Skilled agricultural workers\n61,en,preferred,Market-oriented\n611,en,preferred,Crop growers\n6111,en,preferred,Field crop growers\n9,en,preferred,Elementary\n92,en,preferred,Labourers\n");
        await _taxonomy.ReleaseCsvAsync("isic4", "code,parent_code\nA,\n", "code,language,kind,text\nA,en,preferred,\"Agriculture, forestry and fishing\"\n");
    }

    [Fact]
    public async Task Pathways_are_found_by_corridor_and_occupation_at_any_isco_level()
    {
        await ReleaseReferenceSchemesAsync();
        await _taxonomy.ReleaseCsvAsync("pathways", "code,parent_code\ncan-sawp,\ncri-nic,\n",
            "code,language,kind,text\ncan-sawp,en,preferred,Seasonal Agricultural Worker Program\ncan-sawp,es,preferred,Programa de Trabajadores Agrícolas Temporales\ncri-nic,en,preferred,Costa Rica–Nicaragua seasonal workers\n",
            attributes: Attributes);

        var mexicoToCanada = await _registry.SearchAsync("MX", "CAN", null, false, Ct);
        var cropGrowers = await _registry.SearchAsync(null, null, "6111", false, Ct);
        var group = await _registry.SearchAsync(null, null, "6", true, Ct);
        var nicaragua = await _registry.SearchAsync("NIC", null, null, false, Ct);
        var nicaraguaAll = await _registry.SearchAsync("NIC", "CR", null, true, Ct);
        var bricklayers = await _registry.SearchAsync(null, null, "7112", true, Ct);

        var sawp = Assert.Single(mexicoToCanada.Pathways);
        Assert.Equal(("seasonal_worker_scheme", "CAN", new DateOnly(1974, 1, 1), (DateOnly?)null), (sawp.Type, sawp.Destination, sawp.ValidFrom, sawp.ValidTo));
        Assert.Equal(["MEX", "JAM"], sawp.Origins);
        Assert.Equal(["A"], sawp.Sectors);
        Assert.Equal(["61", "92"], sawp.Occupations);
        Assert.Equal(["can-sawp"], cropGrowers.Pathways.Select(p => p.Concept.Code));
        Assert.Equal(["can-sawp", "cri-nic"], group.Pathways.Select(p => p.Concept.Code).Order());
        Assert.Empty(nicaragua.Pathways);
        Assert.Equal(("cri-nic", "ended"), (nicaraguaAll.Pathways.Single().Concept.Code, nicaraguaAll.Pathways.Single().Status));
        Assert.Empty(bricklayers.Pathways);
        Assert.Equal(1, mexicoToCanada.Version);
    }

    [Fact]
    public async Task A_pathway_missing_what_defines_it_is_rejected()
    {
        await ReleaseReferenceSchemesAsync();
        const string attributes = """
            code,attribute,value
            p1,type,work_holiday
            p1,origin,Mexico
            p1,destination,USA
            p1,destination,CAN
            p1,occupation,7112
            p1,sector,Z
            p1,valid_from,2024-05-01
            p1,valid_to,2023-01-01
            """;

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            _taxonomy.ReleaseCsvAsync("pathways", "code,parent_code\np1,\n", "code,language,kind,text\np1,en,preferred,Pilot\n", attributes: attributes));

        var fields = error.Errors.Select(e => e.Field.Split(' ')[^1]).ToArray();
        Assert.Equal(["type", "destination", "status", "source_document", "origin", "valid_to", "occupation", "sector"], fields);
    }

    [Fact]
    public async Task A_search_for_a_country_that_is_no_iso_code_is_a_bad_request()
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => _registry.SearchAsync("Mexico", null, "61a", false, Ct));
        Assert.Equal(["origin", "occupation"], error.Errors.Select(e => e.Field));
    }

    public void Dispose() => _taxonomy.Dispose();
}
