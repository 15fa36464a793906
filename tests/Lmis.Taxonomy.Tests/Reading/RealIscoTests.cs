using Lmis.Taxonomy.Schemes;

namespace Lmis.Taxonomy.Tests.Reading;

/// <summary>The real ISCO-08 structure and the BLS ISCO-08 ↔ SOC 2010 crosswalk, imported through the CSV format.</summary>
public sealed class RealIscoTests : IDisposable
{
    private readonly TaxonomyOnDisk _taxonomy = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_whole_isco08_structure_imports_with_its_official_counts()
    {
        var (concepts, labels) = SharedIsco.RequireStructure();

        var released = await _taxonomy.ReleaseCsvAsync("isco08", concepts, labels);
        var index = await _taxonomy.Catalog.GetAsync("isco08", null, Ct);

        Assert.Equal(619, released.ConceptCount);
        Assert.Equal([10, 43, 130, 436], Enumerable.Range(1, 4).Select(level => index.ByCode.Values.Count(c => c.Level == level)));
        Assert.Equal("Nursing Professionals", index.Find("2221")!.PreferredLabel("en"));
        Assert.Equal("222", index.Find("2221")!.ParentCode);
        Assert.Equal(["2120"], index.Children["212"].Select(c => c.Code));
        Assert.Equal("0110", index.WithCodePrefix("01").Last().Code);
        Assert.Equal("2221", index.Search("nursing professionals", 4, null, 5)[0].Concept.Code);
    }

    [Fact]
    public async Task A_national_code_translates_to_every_isco08_unit_group_the_crosswalk_gives_and_back()
    {
        var (concepts, labels) = SharedIsco.RequireStructure();
        var crosswalk = SharedIsco.RequireCrosswalk();
        await _taxonomy.ReleaseCsvAsync("isco08", concepts, labels);
        var socCodes = crosswalk.Select(p => p.Soc).Distinct().Order(StringComparer.Ordinal).ToArray();
        await _taxonomy.ReleaseCsvAsync(
            "soc2010",
            "code,parent_code\n" + string.Join("\n", socCodes.Select(c => c + ",")),
            "code,language,kind,text\n" + string.Join("\n", socCodes.Select(c => $"{c},en,preferred,SOC {c}")),
            "code,relation,target_scheme,target_code\n" + string.Join("\n", crosswalk.Select(p => $"{p.Soc},partial,isco08,{p.Isco}")));

        var manySoc = crosswalk.GroupBy(p => p.Soc).First(g => g.Count() > 1);
        var toIsco = await _taxonomy.Catalog.TranslateAsync("soc2010", manySoc.Key, "isco08", Ct);
        var manyIsco = crosswalk.GroupBy(p => p.Isco).First(g => g.Count() > 1);
        var toSoc = await _taxonomy.Catalog.TranslateAsync("isco08", manyIsco.Key, "soc2010", Ct);

        Assert.Equal(manySoc.Select(p => p.Isco).Order(StringComparer.Ordinal), toIsco.Select(t => t.Concept.Code));
        Assert.All(toIsco, t => Assert.Equal((RelationType.Partial, 4), (t.Relation, t.Concept.Level)));
        Assert.Equal(manyIsco.Select(p => p.Soc).Order(StringComparer.Ordinal), toSoc.Select(t => t.Concept.Code));
        Assert.Equal(crosswalk.Count, (await _taxonomy.Catalog.GetAsync("soc2010", null, Ct)).Relations.Count);
    }

    public void Dispose() => _taxonomy.Dispose();
}
