using System.Text;
using Lmis.Statistics.Sdmx;

namespace Lmis.Statistics.Tests.Sdmx;

/// <summary>Reading and writing SDMX files in memory, and the fixtures that come with the tests.</summary>
internal static class SdmxFiles
{
    /// <summary>
    /// A fixture file. The figures in the fixtures are illustrative, shaped like ILOSTAT's; they are not official statistics.
    /// </summary>
    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sdmx", "Fixtures", name));

    public static async Task<(SdmxCsvReader Reader, List<SdmxRow> Rows)> ReadAsync(string csv, DataStructure? structure = null)
    {
        var reader = new SdmxCsvReader(new StringReader(csv), structure);
        var rows = new List<SdmxRow>();
        await foreach (var row in reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(row);
        }

        return (reader, rows);
    }

    public static async Task<List<Observation>> ObservationsAsync(string csv, DataStructure? structure = null)
    {
        var (_, rows) = await ReadAsync(csv, structure);
        Assert.All(rows, r => Assert.True(r.IsValid, $"line {r.Line}: {string.Join("; ", r.Errors)}"));
        return [.. rows.Select(r => r.Observation!)];
    }

    public static async Task<string> WriteSdmxCsvAsync(DataStructure structure, IEnumerable<Observation> observations)
    {
        var text = new StringWriter();
        await SdmxCsvWriter.WriteAsync(text, structure, observations.ToAsyncEnumerable(), cancellationToken: TestContext.Current.CancellationToken);
        return text.ToString();
    }

    public static async Task<string> WritePlainCsvAsync(DataStructure structure, IEnumerable<Observation> observations)
    {
        var text = new StringWriter();
        await PlainCsvWriter.WriteAsync(text, structure, observations.ToAsyncEnumerable(), TestContext.Current.CancellationToken);
        return text.ToString();
    }

    public static async Task<string> WriteJsonAsync(DataStructure structure, IEnumerable<Observation> observations)
    {
        using var stream = new MemoryStream();
        await SdmxJsonWriter.WriteAsync(stream, structure, observations.ToAsyncEnumerable(),
            prepared: new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero), cancellationToken: TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>What an observation says, comparable across reads: structure, key, period, value and attributes.</summary>
    public static string Describe(Observation o) =>
        $"{o.Structure.Reference} {o.SeriesKey} {o.Period} {o.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} [{string.Join("|", o.Attributes.Select(a => a ?? "-"))}]";

    /// <summary>Observations sorted as the writers want them: by series key, then period.</summary>
    public static List<Observation> Sorted(IEnumerable<Observation> observations) =>
        [.. observations.OrderBy(o => o.SeriesKey, StringComparer.Ordinal).ThenBy(o => o.Period)];
}
