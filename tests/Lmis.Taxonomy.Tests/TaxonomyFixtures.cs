using Lmis.BuildingBlocks.Storage;
using Lmis.Taxonomy.Import;
using Lmis.Taxonomy.Reading;
using Lmis.Taxonomy.Schemes;
using Lmis.Taxonomy.Storage;
using Lmis.Testing;

namespace Lmis.Taxonomy.Tests;

/// <summary>A taxonomy on a fresh SQLite file: the store, the catalog and the release rules over them.</summary>
public sealed class TaxonomyOnDisk : IDisposable
{
    private readonly TempDirectory _directory = new("taxonomy");

    public TaxonomyOnDisk()
    {
        Store = new SqliteConceptStore(SqliteDatabase.Create(Path.Combine(_directory.Path, "taxonomy.db"), SqliteConceptStore.Schema));
        Catalog = new TaxonomyCatalog(Store);
        Releases = new SchemeReleases(Store, Catalog, TimeProvider.System);
    }

    public SqliteConceptStore Store { get; }

    public TaxonomyCatalog Catalog { get; }

    public SchemeReleases Releases { get; }

    public Task<SchemeVersion> ReleaseCsvAsync(
        string scheme, string concepts, string? labels = null, string? relations = null, string? attributes = null, bool amend = false) =>
        Releases.ReleaseAsync(CsvDraftReader.Read(scheme, concepts, labels, relations, attributes, amend), TestContext.Current.CancellationToken);

    public void Dispose() => _directory.Dispose();
}

/// <summary>The real ISCO-08 structure and the BLS ISCO-08 ↔ SOC 2010 crosswalk from ../shared, as import CSV.</summary>
public static class SharedIsco
{
    public static string? StructureFile => Repository.SharedData("isco08", "isco08_structure_en.csv");

    public static string? CrosswalkFile => Repository.SharedData("isco08", "isco08_soc2010_crosswalk.csv");

    /// <summary>Skips the test when the shared reference data is not beside the repository.</summary>
    public static (string Concepts, string Labels) RequireStructure()
    {
        if (StructureFile is null)
        {
            Assert.Skip("The shared ISCO-08 reference data (../shared/data/isco08) is not beside this repository.");
        }

        var rows = ReadCsv(StructureFile!).Skip(1).ToArray();
        var concepts = "code,parent_code\n" + string.Join("\n", rows.Select(r => $"{r[0]},{r[2]}"));
        var labels = "code,language,kind,text\n" + string.Join("\n", rows.Select(r => $"{r[0]},en,preferred,{Quote(r[3])}"));
        return (concepts, labels);
    }

    public static IReadOnlyList<(string Isco, string Soc)> RequireCrosswalk()
    {
        if (CrosswalkFile is null)
        {
            Assert.Skip("The shared ISCO-08 ↔ SOC 2010 crosswalk (../shared/data/isco08) is not beside this repository.");
        }

        return [.. ReadCsv(CrosswalkFile!).Skip(1).Select(r => (r[0], r[1]))];
    }

    private static IEnumerable<string[]> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvHelper.CsvParser(reader, System.Globalization.CultureInfo.InvariantCulture);
        while (csv.Read())
        {
            yield return csv.Record!;
        }
    }

    private static string Quote(string text) => text.Contains(',', StringComparison.Ordinal) ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
}
