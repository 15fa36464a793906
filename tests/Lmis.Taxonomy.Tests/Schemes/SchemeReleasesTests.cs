using Lmis.BuildingBlocks.Errors;
using Lmis.Taxonomy.Schemes;

namespace Lmis.Taxonomy.Tests.Schemes;

public sealed class SchemeReleasesTests : IDisposable
{
    private readonly TaxonomyOnDisk _taxonomy = new();

    private const string IscoConcepts = """
        code,parent_code
        7,
        71,7
        711,71
        7112,711
        """;

    private const string IscoLabels = """
        code,language,kind,text
        7,en,preferred,Craft and related trades workers
        71,en,preferred,"Building and related trades workers, excluding electricians"
        711,en,preferred,Building frame and related trades workers
        7112,en,preferred,Bricklayers and related workers
        7112,es,preferred,Albañiles
        7112,es,alternative,Mamposteros
        """;

    /// <summary>The release is refused, and neither a version nor an event was stored.</summary>
    private async Task<FieldError[]> Rejected(Func<Task> release)
    {
        var ct = TestContext.Current.CancellationToken;
        var events = (await _taxonomy.Store.Outbox.ReadPendingAsync(100, ct)).Count;
        var versions = (await _taxonomy.Store.ListLatestVersionsAsync(ct)).Sum(v => v.Version);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(release);

        Assert.Equal(events, (await _taxonomy.Store.Outbox.ReadPendingAsync(100, ct)).Count);
        Assert.Equal(versions, (await _taxonomy.Store.ListLatestVersionsAsync(ct)).Sum(v => v.Version));
        return [.. error.Errors];
    }

    [Fact]
    public async Task A_good_version_is_released_with_levels_from_the_parent_chain()
    {
        var released = await _taxonomy.ReleaseCsvAsync("isco08", IscoConcepts, IscoLabels);

        var bricklayers = await _taxonomy.Catalog.GetConceptAsync("isco08", "7112", null, TestContext.Current.CancellationToken);
        Assert.Equal((1, 4), (released.Version, released.ConceptCount));
        Assert.Equal((4, "711", "Albañiles"), (bricklayers.Level, bricklayers.ParentCode, bricklayers.PreferredLabel("es")));
        Assert.Contains(bricklayers.Labels, l => l is { Kind: LabelKind.Alternative, Text: "Mamposteros" });
    }

    [Fact]
    public async Task Every_bad_row_is_reported_with_file_line_and_column_and_nothing_is_stored()
    {
        const string concepts = """
            code,parent_code,status,replaced_by
            7,,,
            71,7,,
            71,7,,
            7A,7,,
            712,72,,
            12345,1234,,
            713,71,retired,
            714,71,,713
            """;
        const string labels = """
            code,language,kind,text
            7,en,preferred,Craft
            71,en,preferred,Building
            7A,en,preferred,Bad
            712,en,preferred,Wrong parent
            713,en,preferred,Retired
            714,english,preferred,Bad language
            714,en,title,Bad kind
            999,en,preferred,No such concept
            """;

        var errors = await Rejected(() => _taxonomy.ReleaseCsvAsync("isco08", concepts, labels));

        Assert.Contains(errors, e => e.Field == "concepts.csv:4:code" && e.Reason.Contains("duplicate code, already given at concepts.csv:3:code", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "concepts.csv:5:code" && e.Value == "7A");
        Assert.Contains(errors, e => e.Field == "concepts.csv:6:parent_code" && e.Reason == "in isco08 the parent of 712 is 71");
        Assert.Contains(errors, e => e.Field == "concepts.csv:7:code" && e.Value == "12345");
        Assert.Contains(errors, e => e.Field == "concepts.csv:8:status" && e.Value == "retired");
        Assert.Contains(errors, e => e.Field == "concepts.csv:9:replaced_by" && e.Reason == "only a deprecated concept is replaced");
        Assert.Contains(errors, e => e.Field == "labels.csv:7:language" && e.Value == "english");
        Assert.Contains(errors, e => e.Field == "labels.csv:8:kind" && e.Value == "title");
        Assert.Contains(errors, e => e.Field == "labels.csv:9:code" && e.Value == "999");
        Assert.Contains(errors, e => e.Field == "concepts.csv:9:code" && e.Reason.StartsWith("needs a preferred label", StringComparison.Ordinal));
        Assert.Null(await _taxonomy.Store.FindVersionAsync("isco08", null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Unknown_parents_and_cycles_are_rejected_in_schemes_without_code_rules()
    {
        const string concepts = "code,parent_code\nA,\nB,C\nC,B\nD,Z\n";
        const string labels = "code,language,kind,text\nA,en,preferred,a\nB,en,preferred,b\nC,en,preferred,c\nD,en,preferred,d\n";

        var errors = await Rejected(() => _taxonomy.ReleaseCsvAsync("skills", concepts, labels));

        Assert.Contains(errors, e => e.Field == "concepts.csv:3:parent_code" && e.Reason.StartsWith("cycle", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "concepts.csv:4:parent_code" && e.Reason.StartsWith("cycle", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "concepts.csv:5:parent_code" && e.Value == "Z" && e.Reason.StartsWith("unknown parent", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Field.StartsWith("concepts.csv:2:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Relations_must_reach_a_released_concept_of_another_scheme()
    {
        await _taxonomy.ReleaseCsvAsync("isco08", IscoConcepts, IscoLabels);
        const string concepts = "code,parent_code\n47-2021,\n47-2022,\n";
        const string labels = "code,language,kind,text\n47-2021,en,preferred,Brickmasons and Blockmasons\n47-2022,en,preferred,Stonemasons\n";
        const string relations = """
            code,relation,target_scheme,target_code
            47-2021,exact,isco08,7112
            47-2022,broader,isco08,9999
            47-2022,partial,esco,123
            47-2022,sibling,isco08,7112
            47-2021,exact,soc2010,47-2022
            """;

        var errors = await Rejected(() => _taxonomy.ReleaseCsvAsync("soc2010", concepts, labels, relations));

        Assert.Equal(
            ["relations.csv:3:target_code", "relations.csv:4:target_scheme", "relations.csv:5:relation", "relations.csv:6:target_scheme"],
            errors.Select(e => e.Field));
        Assert.Contains("isco08 version 1 has no code 9999", errors[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concepts_are_never_removed_only_deprecated_with_a_replacement()
    {
        await _taxonomy.ReleaseCsvAsync("isco08", IscoConcepts, IscoLabels);

        var removal = await Rejected(() => _taxonomy.ReleaseCsvAsync(
            "isco08",
            "code,parent_code\n7,\n71,7\n711,71\n",
            "code,language,kind,text\n7,en,preferred,Craft\n71,en,preferred,Building\n711,en,preferred,Frame\n"));
        Assert.Contains(removal, e => e.Field == "concepts.csv" && e.Value == "7112" && e.Reason.Contains("never removed", StringComparison.Ordinal));

        var deprecation = await _taxonomy.ReleaseCsvAsync(
            "isco08",
            "code,parent_code,status,replaced_by\n7112,711,deprecated,7113\n7113,711,,\n",
            "code,language,kind,text\n7113,en,preferred,Bricklayers (new code)\n",
            amend: true);
        var old = await _taxonomy.Catalog.GetConceptAsync("isco08", "7112", null, TestContext.Current.CancellationToken);

        Assert.Equal(2, deprecation.Version);
        Assert.Equal(5, deprecation.ConceptCount);
        Assert.Equal((ConceptStatus.Deprecated, "7113"), (old.Status, old.ReplacedBy));
        Assert.Equal("Craft and related trades workers", (await _taxonomy.Catalog.GetConceptAsync("isco08", "7", null, TestContext.Current.CancellationToken)).PreferredLabel("en"));
    }

    [Theory]
    [InlineData("soc2018", "47-2021", "472021")]
    [InlineData("noc2021", "72100", "721000")]
    [InlineData("isced2011", "3", "9")]
    [InlineData("isic4", "F", "V")]
    public async Task National_and_international_schemes_check_the_form_of_their_codes(string scheme, string good, string bad)
    {
        var errors = await Rejected(() => _taxonomy.ReleaseCsvAsync(
            scheme, $"code,parent_code\n{good},\n{bad},\n", $"code,language,kind,text\n{good},en,preferred,Good\n{bad},en,preferred,Bad\n"));

        var error = Assert.Single(errors);
        Assert.Equal(("concepts.csv:3:code", bad), (error.Field, error.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ISCO08")]
    [InlineData("isco 08")]
    [InlineData("i")]
    public async Task Scheme_ids_are_checked(string scheme)
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => _taxonomy.ReleaseCsvAsync(scheme, IscoConcepts, IscoLabels));
        Assert.Equal("scheme", Assert.Single(error.Errors).Field);
    }

    public void Dispose() => _taxonomy.Dispose();
}
