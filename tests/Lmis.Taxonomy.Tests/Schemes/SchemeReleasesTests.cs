using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.Storage;
using Lmis.Taxonomy.Schemes;
using Lmis.Taxonomy.Storage;
using Lmis.Testing;

namespace Lmis.Taxonomy.Tests.Schemes;

public sealed class SchemeReleasesTests : IDisposable
{
    private readonly TempDirectory _directory = new("taxonomy-releases");
    private readonly SqliteConceptStore _store;
    private readonly SchemeReleases _releases;

    public SchemeReleasesTests()
    {
        _store = new SqliteConceptStore(new SqliteDatabase(Path.Combine(_directory.Path, "t.db"), SqliteConceptStore.Schema));
        _releases = new SchemeReleases(_store, TimeProvider.System);
    }

    private static ConceptSubmission Row(string code, string? parent, string en = "label") =>
        new(code, parent, new Dictionary<string, string> { ["en"] = en });

    [Fact]
    public async Task A_good_version_is_released_with_levels_from_the_parent_chain()
    {
        var ct = TestContext.Current.CancellationToken;

        var released = await _releases.ReleaseAsync("isco08", [Row("7", null), Row("71", "7"), Row("711", "71"), Row("7112", "711")], ct);

        Assert.Equal((1, 4), (released.Version, released.ConceptCount));
        Assert.Equal(4, (await _store.FindConceptAsync("isco08", 1, "7112", ct))!.Level);
    }

    [Fact]
    public async Task Every_bad_row_is_reported_and_nothing_is_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        ConceptSubmission[] rows =
        [
            Row("7", null),
            Row("71", "7"),
            Row("71", "7"),            // duplicate
            Row("7A", "7"),            // not an ISCO-08 code
            Row("712", "72"),          // wrong parent for ISCO-08
            Row("12345", "1234"),      // too long
            new("8", null, new Dictionary<string, string>()), // no label
            new("9", null, new Dictionary<string, string> { ["english"] = "x" }), // not a language tag
        ];

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => _releases.ReleaseAsync("isco08", rows, ct));

        Assert.Contains(error.Errors, e => e.Field == "concepts[2].code" && e.Reason.Contains("duplicate", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Field == "concepts[3].code" && e.Value == "7A");
        Assert.Contains(error.Errors, e => e.Field == "concepts[4].parent_code" && e.Reason.Contains("parent of 712 is 71", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Field == "concepts[5].code" && e.Value == "12345");
        Assert.Contains(error.Errors, e => e.Field == "concepts[6].labels");
        Assert.Contains(error.Errors, e => e.Field == "concepts[7].labels" && e.Value == "english");
        Assert.Contains(error.Errors, e => e.Field == "concepts[4].parent_code" && e.Reason.Contains("unknown parent", StringComparison.Ordinal));
        Assert.Null(await _store.FindVersionAsync("isco08", null, ct));
        Assert.Empty(await _store.Outbox.ReadPendingAsync(10, ct));
    }

    [Fact]
    public async Task Unknown_parents_and_cycles_are_rejected_in_schemes_without_code_rules()
    {
        var ct = TestContext.Current.CancellationToken;
        ConceptSubmission[] rows = [Row("A", null), Row("B", "C"), Row("C", "B"), Row("D", "Z")];

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => _releases.ReleaseAsync("skills", rows, ct));

        Assert.Contains(error.Errors, e => e.Field == "concepts[1].parent_code" && e.Reason.StartsWith("cycle", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Field == "concepts[2].parent_code" && e.Reason.StartsWith("cycle", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Field == "concepts[3].parent_code" && e.Value == "Z" && e.Reason.StartsWith("unknown parent", StringComparison.Ordinal));
        Assert.DoesNotContain(error.Errors, e => e.Field.StartsWith("concepts[0]", StringComparison.Ordinal));
        Assert.Null(await _store.FindVersionAsync("skills", null, ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ISCO08")]
    [InlineData("isco 08")]
    [InlineData("i")]
    public async Task Scheme_ids_are_checked(string scheme)
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(
            () => _releases.ReleaseAsync(scheme, [Row("7", null)], TestContext.Current.CancellationToken));
        Assert.Equal("scheme", Assert.Single(error.Errors).Field);
    }

    public void Dispose() => _directory.Dispose();
}
