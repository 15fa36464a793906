using Lmis.BuildingBlocks.Errors;
using Lmis.Taxonomy.Schemes;

namespace Lmis.Taxonomy.Tests.Reading;

public sealed class TaxonomyCatalogTests : IDisposable
{
    private readonly TaxonomyOnDisk _taxonomy = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task ReleaseConstructionAsync(bool amend = false) => _taxonomy.ReleaseCsvAsync(
        "isco08",
        "code,parent_code\n7,\n71,7\n711,71\n7112,711\n7114,711\n712,71\n7123,712\n",
        """
        code,language,kind,text
        7,en,preferred,Craft and related trades workers
        7,es,preferred,"Oficiales, operarios y artesanos de artes mecánicas y de otros oficios"
        71,en,preferred,"Building and related trades workers, excluding electricians"
        711,en,preferred,Building frame and related trades workers
        7112,en,preferred,Bricklayers and related workers
        7112,es,preferred,Albañiles
        7112,fr,preferred,Maçons
        7112,es,alternative,Albañil de obra gruesa
        7114,en,preferred,"Concrete placers, concrete finishers and related workers"
        7114,es,preferred,"Operarios en cemento armado, enfoscadores y afines"
        712,en,preferred,Building finishers and related trades workers
        7123,en,preferred,Plasterers
        7123,es,preferred,Revocadores
        """,
        amend: amend);

    [Theory]
    [InlineData("albanil", "7112")]
    [InlineData("ALBAÑILES", "7112")]
    [InlineData("macons", "7112")]
    [InlineData("revocador", "7123")]
    [InlineData("cemento", "7114")]
    public async Task Labels_are_found_in_any_language_without_accents_or_case(string query, string code)
    {
        await ReleaseConstructionAsync();
        var index = await _taxonomy.Catalog.GetAsync("isco08", null, Ct);

        Assert.Equal(code, index.Search(query, null, null, 10)[0].Concept.Code);
    }

    [Fact]
    public async Task Whole_labels_and_word_starts_rank_above_matches_inside_words()
    {
        await ReleaseConstructionAsync();
        var index = await _taxonomy.Catalog.GetAsync("isco08", null, Ct);

        var building = index.Search("building", null, "en", 10).Select(h => h.Concept.Code).ToArray();
        var workers = index.Search("workers", null, "en", 10);

        Assert.Equal(["711", "712", "71"], building);
        Assert.All(workers, h => Assert.Contains("workers", h.MatchedLabel.Text, StringComparison.Ordinal));
        Assert.All(workers, h => Assert.True(h.Score >= 50, $"{h.Concept.Code} scored {h.Score}"));
        Assert.All(index.Search("orkers", null, "en", 10), h => Assert.True(h.Score < 50, $"{h.Concept.Code} scored {h.Score}"));
        Assert.Equal(["7112", "7114"], index.Search("a", 4, "es", 10).Where(h => h.Concept.Code.StartsWith("711", StringComparison.Ordinal)).Select(h => h.Concept.Code).Order());
    }

    [Fact]
    public async Task Codes_are_listed_by_prefix_in_code_order()
    {
        await ReleaseConstructionAsync();
        var index = await _taxonomy.Catalog.GetAsync("isco08", null, Ct);

        Assert.Equal(["711", "7112", "7114"], index.WithCodePrefix("711").Select(c => c.Code));
        Assert.Equal(["7112", "7114", "7123"], index.WithCodePrefix("71").Where(c => c.Level == 4).Select(c => c.Code));
        Assert.Empty(index.WithCodePrefix("8"));
    }

    [Fact]
    public async Task A_diff_shows_what_a_version_added_changed_and_deprecated()
    {
        await ReleaseConstructionAsync();
        await _taxonomy.ReleaseCsvAsync(
            "isco08",
            "code,parent_code,status,replaced_by\n7114,711,deprecated,7115\n7115,711,,\n7123,712,,\n",
            "code,language,kind,text\n7114,en,preferred,Concrete placers\n7115,en,preferred,Concrete workers\n7123,en,preferred,Plasterers and renderers\n",
            amend: true);

        var diff = await _taxonomy.Catalog.DiffAsync("isco08", null, Ct);
        var first = await _taxonomy.Catalog.DiffAsync("isco08", 1, Ct);

        Assert.Equal((1, 2), (diff.FromVersion, diff.ToVersion));
        Assert.Equal(["7115"], diff.Added.Select(c => c.Code));
        Assert.Equal(["7123"], diff.Changed.Select(c => c.Code));
        Assert.Equal([("7114", "7115")], diff.Deprecated.Select(c => (c.Code, c.ReplacedBy)));
        Assert.Equal((0, 7), (first.FromVersion, first.Added.Count));
        Assert.Equal("Revocadores", (await _taxonomy.Catalog.GetConceptAsync("isco08", "7123", 1, Ct)).PreferredLabel("es"));
        Assert.Null((await _taxonomy.Catalog.GetConceptAsync("isco08", "7123", 2, Ct)).PreferredLabel("es"));
    }

    [Fact]
    public async Task Occupation_skill_relations_are_found_from_both_sides()
    {
        await ReleaseConstructionAsync();
        await _taxonomy.ReleaseCsvAsync("skills", "code,parent_code\nS1,\nS2,\n",
            "code,language,kind,text\nS1,en,preferred,Lay bricks\nS2,en,preferred,Read construction drawings\n");
        await _taxonomy.ReleaseCsvAsync(
            "isco08",
            "code,parent_code\n7112,711\n",
            "code,language,kind,text\n7112,en,preferred,Bricklayers and related workers\n",
            "code,relation,target_scheme,target_code\n7112,essential_skill,skills,S1\n7112,optional_skill,skills,S2\n",
            amend: true);

        var ofOccupation = await _taxonomy.Catalog.RelatedAsync("isco08", "7112", null, Ct);
        var essentialOnly = await _taxonomy.Catalog.RelatedAsync("isco08", "7112", RelationType.EssentialSkill, Ct);
        var ofSkill = await _taxonomy.Catalog.RelatedAsync("skills", "S2", null, Ct);

        Assert.Equal([("skills", "S1", RelationType.EssentialSkill), ("skills", "S2", RelationType.OptionalSkill)],
            ofOccupation.Select(r => (r.Scheme, r.Concept.Code, r.Relation)));
        Assert.Equal(["S1"], essentialOnly.Select(r => r.Concept.Code));
        Assert.Equal([("isco08", "7112", RelationType.OptionalSkill)], ofSkill.Select(r => (r.Scheme, r.Concept.Code, r.Relation)));
    }

    [Fact]
    public async Task Unknown_schemes_versions_and_codes_are_not_found_with_a_reason()
    {
        await ReleaseConstructionAsync();

        var scheme = await Assert.ThrowsAsync<NotFoundException>(() => _taxonomy.Catalog.GetAsync("noc2021", null, Ct));
        var version = await Assert.ThrowsAsync<NotFoundException>(() => _taxonomy.Catalog.GetAsync("isco08", 7, Ct));
        var code = await Assert.ThrowsAsync<NotFoundException>(() => _taxonomy.Catalog.GetConceptAsync("isco08", "9999", null, Ct));

        Assert.Equal("Scheme 'noc2021' has no released version.", scheme.Message);
        Assert.Equal("Scheme 'isco08' has no version 7.", version.Message);
        Assert.Equal("No concept '9999' in isco08 version 1.", code.Message);
    }

    public void Dispose() => _taxonomy.Dispose();
}
