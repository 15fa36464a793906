using System.Text;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Mappings;

namespace Lmis.Statistics.Tests.Sdmx.Uploads;

/// <summary>Reading uploads as the service does: the region's alpha-2 codes and ILOSTAT's mappings known.</summary>
internal static class UploadFiles
{
    public static Region Region { get; } = Region.Shipped("RCM");

    public static async Task<(IObservationReader Reader, List<SdmxRow> Rows)> ReadCsvAsync(string csv, SourceMappings? mappings = null) =>
        await ReadAsync(new SdmxCsvReader(new StringReader(csv), region: Region, mappings: mappings ?? SourceMappings.BuiltIn));

    public static async Task<(SdmxMlReader Reader, List<SdmxRow> Rows)> ReadXmlAsync(string xml)
    {
        var reader = new SdmxMlReader(new MemoryStream(Encoding.UTF8.GetBytes(xml)), region: Region, mappings: SourceMappings.BuiltIn);
        var (_, rows) = await ReadAsync(reader);
        return (reader, rows);
    }

    public static async Task<(IObservationReader Reader, List<SdmxRow> Rows)> ReadAsync(IObservationReader reader)
    {
        var rows = new List<SdmxRow>();
        await foreach (var row in reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(row);
        }

        return (reader, rows);
    }

    /// <summary>Every error of the rows, as the answer's detail writes them.</summary>
    public static List<string> Errors(IEnumerable<SdmxRow> rows) => [.. rows.SelectMany(r => r.Errors).Select(e => e.ToString())];

    /// <summary>The observations described comparably, all rows required valid.</summary>
    public static List<string> Described(IEnumerable<SdmxRow> rows)
    {
        var list = rows.ToList();
        Assert.All(list, r => Assert.True(r.IsValid, $"line {r.Line}: {string.Join("; ", r.Errors)}"));
        return [.. list.Select(r => SdmxFiles.Describe(r.Observation!)).Order(StringComparer.Ordinal)];
    }
}
