using System.Globalization;
using System.Text.RegularExpressions;
using Lmis.Contracts.Classifications;
using Lmis.Taxonomy.BuiltIn;
using Lmis.Taxonomy.Import;
using Lmis.Taxonomy.Schemes;
using Lmis.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lmis.Taxonomy.Tests.BuiltIn;

/// <summary>
/// The classifications a fresh install starts with, checked against the reference files they were built from, and
/// how an installation that already has versions of its own is upgraded: the built-in data becomes a new version only
/// where it holds everything the latest version holds, and a concept is never removed.
/// </summary>
public sealed class BuiltInSchemesTests : IDisposable
{
    private const string EscoAttribution = "This service uses the ESCO classification of the European Commission";

    private readonly TaxonomyOnDisk _taxonomy = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _taxonomy.Dispose();

    [Fact]
    public void The_built_in_isco08_has_every_group_of_the_ilo_structure_at_each_level_titled_in_english_spanish_and_french()
    {
        var structure = SharedRows("isco08", "isco08_structure_en.csv").ToDictionary(r => r["code"], r => r["parent"]);
        var draft = BuiltInSchemes.Draft(SchemeIds.Isco08);

        Assert.Equal(structure.OrderBy(p => p.Key, StringComparer.Ordinal), draft.Concepts
            .Select(c => KeyValuePair.Create(c.Code, c.ParentCode ?? string.Empty)).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal([10, 43, 130, 436], Enumerable.Range(1, 4).Select(digits => draft.Concepts.Count(c => c.Code.Length == digits)));
        foreach (var language in new[] { "en", "es", "fr" })
        {
            var titled = draft.Labels.Where(l => l.Language == language && l.Kind == "preferred").Select(l => l.Code).ToHashSet(StringComparer.Ordinal);
            Assert.True(structure.Keys.All(titled.Contains), $"ISCO-08 groups without a {language} title: {string.Join(", ", structure.Keys.Where(c => !titled.Contains(c)))}");
        }
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("fr")]
    public void The_built_in_esco_has_every_occupation_under_its_unit_group_with_every_title_of_the_esco_files(string language)
    {
        var esco = SharedRows("esco", $"occupations_{language}.csv").ToArray();
        var draft = BuiltInSchemes.Draft(SchemeIds.Esco);
        var groups = draft.Relations.ToDictionary(r => r.Code, r => (r.Relation, r.TargetScheme, r.TargetCode), StringComparer.Ordinal);
        var titles = draft.Labels.Where(l => l.Language == language).ToLookup(l => l.Code, l => l.Text, StringComparer.Ordinal);
        // As the built-in files were written: runs of any whitespace (ESCO has no-break spaces) as one space, ’ as '.
        static string Clean(string text) => Regex.Replace(text, @"\s+", " ").Trim().Replace('\u2019', '\'');

        Assert.Equal(2942, esco.Length);
        Assert.Equal(esco.Length, draft.Concepts.Count);
        foreach (var row in esco)
        {
            var code = row["conceptUri"]["http://data.europa.eu/esco/occupation/".Length..];
            Assert.Equal(("narrower", SchemeIds.Isco08, row["iscoGroup"]), groups[code]);
            var expected = row["altLabels"].Split('|').Append(row["preferredLabel"]).Select(Clean).Where(t => t.Length > 0).ToHashSet(StringComparer.Ordinal);
            var built = titles[code].ToHashSet(StringComparer.Ordinal);
            Assert.True(built.SetEquals(expected), $"{code}: ESCO has [{string.Join(" | ", expected.Except(built))}], built in [{string.Join(" | ", built.Except(expected))}]");
        }
    }

    [Fact]
    public async Task A_fresh_install_releases_every_built_in_scheme_once_and_a_restart_releases_nothing_more()
    {
        await StartAsync();
        var first = await _taxonomy.Store.ListLatestVersionsAsync(Ct);
        await StartAsync();
        var second = await _taxonomy.Store.ListLatestVersionsAsync(Ct);

        Assert.Equal([("esco", 1, 2942), ("isced2011", 1, 9), ("isco08", 1, 619), ("isic4", 1, 21)],
            first.Select(v => (v.Scheme, v.Version, v.ConceptCount)).OrderBy(v => v.Scheme, StringComparer.Ordinal));
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task An_installation_on_the_earlier_built_in_edition_gets_the_complete_isco08_as_its_next_version_keeping_every_concept()
    {
        var earlier = SubMajorOnly(BuiltInSchemes.Draft(SchemeIds.Isco08));
        await _taxonomy.Releases.ReleaseAsync(earlier, Ct);
        var before = await _taxonomy.Catalog.GetAsync(SchemeIds.Isco08, 1, Ct);

        await StartAsync();
        var after = await _taxonomy.Catalog.GetAsync(SchemeIds.Isco08, null, Ct);

        Assert.Equal((53, 2, 619), (before.ByCode.Count, after.Version.Version, after.ByCode.Count));
        Assert.All(before.ByCode.Values, c => Assert.True(c.SameAs(after.ByCode[c.Code]), $"{c.Code} changed in the upgrade"));
        Assert.NotNull(await _taxonomy.Catalog.TryGetAsync(SchemeIds.Esco, null, Ct));
    }

    [Fact]
    public async Task An_installation_that_released_its_own_isco08_titles_keeps_its_version_and_still_gets_esco()
    {
        await StartAsync();
        await _taxonomy.ReleaseCsvAsync(SchemeIds.Isco08, "code,parent_code\n7112,711\n", "code,language,kind,text\n7112,es,preferred,Albañiles y mamposteros\n", amend: true);

        await StartAsync();
        var latest = await _taxonomy.Catalog.GetAsync(SchemeIds.Isco08, null, Ct);

        Assert.Equal((2, "Albañiles y mamposteros"), (latest.Version.Version, latest.Find("7112")!.PreferredLabel("es")));
        Assert.Equal(1, (await _taxonomy.Catalog.GetAsync(SchemeIds.Esco, null, Ct)).Version.Version);
    }

    [Fact]
    public async Task Esco_is_left_out_not_half_released_when_the_installations_own_isco08_lacks_the_unit_groups_and_the_other_schemes_still_come()
    {
        await _taxonomy.ReleaseCsvAsync(SchemeIds.Isco08, "code,parent_code\n7,\n71,7\n", "code,language,kind,text\n7,en,preferred,Craft workers\n71,en,preferred,Building workers\n");

        await StartAsync();
        var latest = await _taxonomy.Store.ListLatestVersionsAsync(Ct);

        Assert.Equal([("isced2011", 1), ("isco08", 1), ("isic4", 1)], latest.Select(v => (v.Scheme, v.Version)).OrderBy(v => v.Scheme, StringComparer.Ordinal));
        Assert.Equal("Craft workers", (await _taxonomy.Catalog.GetAsync(SchemeIds.Isco08, null, Ct)).Find("7")!.PreferredLabel("en"));
    }

    [Fact]
    public void The_esco_attribution_is_where_the_data_is_named()
    {
        foreach (var file in new[] { "services/Taxonomy/BuiltIn/SOURCES.md", "docs/taxonomy-import.md", "README.md" })
        {
            Assert.Contains(EscoAttribution, File.ReadAllText(Path.Combine(Repository.Root, file)), StringComparison.Ordinal);
        }
    }

    private async Task StartAsync()
    {
        var configuration = new ConfigurationBuilder().Build();
        await new BuiltInSchemes(_taxonomy.Releases, _taxonomy.Catalog, configuration, NullLogger<BuiltInSchemes>.Instance).StartAsync(Ct);
    }

    /// <summary>The built-in ISCO-08 as the first edition had it: major and sub-major groups only.</summary>
    private static SchemeVersionDraft SubMajorOnly(SchemeVersionDraft draft) => draft with
    {
        Concepts = [.. draft.Concepts.Where(c => c.Code.Length <= 2)],
        Labels = [.. draft.Labels.Where(l => l.Code.Length <= 2)],
    };

    private static IEnumerable<Dictionary<string, string>> SharedRows(string folder, string file)
    {
        var path = Repository.SharedData(folder, file);
        if (path is null)
        {
            Assert.Skip($"The shared reference data (../shared/data/{folder}) is not beside this repository.");
        }

        using var reader = new StreamReader(path!);
        using var csv = new CsvHelper.CsvParser(reader, CultureInfo.InvariantCulture);
        csv.Read();
        var header = csv.Record!;
        while (csv.Read())
        {
            var record = csv.Record!;
            yield return header.Select((column, i) => (column, i)).ToDictionary(c => c.column, c => record[c.i], StringComparer.Ordinal);
        }
    }
}
