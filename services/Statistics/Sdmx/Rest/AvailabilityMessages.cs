using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Lmis.Statistics.Structures;

namespace Lmis.Statistics.Sdmx.Rest;

/// <summary>The codes of one dimension that have data.</summary>
public sealed record DimensionValues(string Id, IReadOnlyList<string> Values);

/// <summary>
/// What data a dataflow has for a query: the codes of each dimension asked about, the time range (the first period
/// and the last one), and how many series and observations that is.
/// </summary>
/// <param name="Structure">The dataflow.</param>
/// <param name="Dimensions">The codes of each dimension asked about, in the dataflow's order.</param>
/// <param name="First">The earliest period with data; null when the time dimension was not asked about.</param>
/// <param name="Last">The latest period with data.</param>
/// <param name="Series">How many series the query would answer.</param>
/// <param name="Observations">How many observations.</param>
public sealed record Availability(
    DataStructure Structure, IReadOnlyList<DimensionValues> Dimensions, TimePeriod? First, TimePeriod? Last, int Series, long Observations);

/// <summary>
/// Availability as SDMX structure messages: an SDMX-JSON 2.0 structure message holding one data constraint (role
/// Actual), or an SDMX-ML 2.1 <c>mes:Structure</c> holding one <c>str:ContentConstraint</c> (type Actual); in both, a
/// cube region with a key value per dimension and a time range, attached to the dataflow, and the counts as
/// <c>sdmx_metrics</c> annotations (<c>obs_count</c>, <c>series_count</c>).
/// </summary>
public static class AvailabilityMessages
{
    private const string Message = SdmxMlNamespaces.Message;
    private const string Structure = SdmxMlNamespaces.Structure;
    private const string Common = SdmxMlNamespaces.Common;
    private const string JsonSchema = "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/structure-message/tools/schemas/2.0.0/sdmx-json-structure-schema.json";

    public static Task WriteAsync(SdmxMessageKind kind, Stream body, Availability availability, string sender, CancellationToken cancellationToken) =>
        kind == StructureMessageFormats.SdmxMl21 ? WriteXmlAsync(body, availability, sender) : WriteJsonAsync(body, availability, sender, cancellationToken);

    private static string ConstraintId(Availability a) => $"CC_{a.Structure.Id}";

    private static string Prepared() => SdmxTime.Of(DateTimeOffset.UtcNow);

    private static async Task WriteJsonAsync(Stream body, Availability availability, string sender, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteStartObject("meta");
        json.WriteString("schema", JsonSchema);
        json.WriteString("id", "AVAILABILITY-" + Guid.CreateVersion7().ToString("N"));
        json.WriteBoolean("test", false);
        json.WriteString("prepared", Prepared());
        json.WriteStartArray("contentLanguages");
        json.WriteStringValue("en");
        json.WriteEndArray();
        json.WriteStartObject("sender");
        json.WriteString("id", sender);
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("data");
        json.WriteStartArray("dataConstraints");
        json.WriteStartObject();
        json.WriteString("id", ConstraintId(availability));
        json.WriteString("agencyID", availability.Structure.Agency);
        json.WriteString("version", availability.Structure.Version);
        json.WriteString("name", $"Data available in {availability.Structure.Name}");
        json.WriteString("role", "Actual");
        json.WriteStartArray("annotations");
        WriteJsonMetric(json, "series_count", availability.Series);
        WriteJsonMetric(json, "obs_count", availability.Observations);
        json.WriteEndArray();
        json.WriteStartObject("constraintAttachment");
        json.WriteStartArray("dataflows");
        json.WriteStringValue(availability.Structure.Reference.DataflowUrn);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartArray("cubeRegions");
        json.WriteStartObject();
        json.WriteBoolean("include", true);
        json.WriteStartArray("keyValues");
        foreach (var dimension in availability.Dimensions)
        {
            json.WriteStartObject();
            json.WriteString("id", dimension.Id);
            json.WriteStartArray("values");
            foreach (var value in dimension.Values)
            {
                json.WriteStringValue(value);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        if (availability is { First: { } first, Last: { } last })
        {
            json.WriteStartObject();
            json.WriteString("id", DataStructure.TimeDimension);
            json.WriteStartObject("timeRange");
            json.WriteStartObject("startPeriod");
            json.WriteString("period", first.ToString());
            json.WriteBoolean("isInclusive", true);
            json.WriteEndObject();
            json.WriteStartObject("endPeriod");
            json.WriteString("period", last.ToString());
            json.WriteBoolean("isInclusive", true);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private static void WriteJsonMetric(Utf8JsonWriter json, string id, long count)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("title", count.ToString(CultureInfo.InvariantCulture));
        json.WriteString("type", "sdmx_metrics");
        json.WriteEndObject();
    }

    private static async Task WriteXmlAsync(Stream body, Availability availability, string sender)
    {
        await using var xml = XmlWriter.Create(body, new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false) });
        await xml.WriteStartDocumentAsync();
        await xml.WriteStartElementAsync("mes", "Structure", Message);
        await xml.WriteAttributeStringAsync("xmlns", "str", null, Structure);
        await xml.WriteAttributeStringAsync("xmlns", "com", null, Common);
        await xml.WriteStartElementAsync("mes", "Header", Message);
        await xml.WriteElementStringAsync("mes", "ID", Message, "AVAILABILITY-" + Guid.CreateVersion7().ToString("N"));
        await xml.WriteElementStringAsync("mes", "Test", Message, "false");
        await xml.WriteElementStringAsync("mes", "Prepared", Message, Prepared());
        await xml.WriteStartElementAsync("mes", "Sender", Message);
        await xml.WriteAttributeStringAsync(null, "id", null, sender);
        await xml.WriteEndElementAsync();
        await xml.WriteEndElementAsync();

        var structure = availability.Structure;
        await xml.WriteStartElementAsync("mes", "Structures", Message);
        await xml.WriteStartElementAsync("str", "Constraints", Structure);
        await xml.WriteStartElementAsync("str", "ContentConstraint", Structure);
        await xml.WriteAttributeStringAsync(null, "id", null, ConstraintId(availability));
        await xml.WriteAttributeStringAsync(null, "agencyID", null, structure.Agency);
        await xml.WriteAttributeStringAsync(null, "version", null, structure.Version);
        await xml.WriteAttributeStringAsync(null, "isFinal", null, "false");
        await xml.WriteAttributeStringAsync(null, "type", null, "Actual");
        await xml.WriteStartElementAsync("com", "Annotations", Common);
        await WriteXmlMetricAsync(xml, "series_count", availability.Series);
        await WriteXmlMetricAsync(xml, "obs_count", availability.Observations);
        await xml.WriteEndElementAsync();
        await xml.WriteStartElementAsync("com", "Name", Common);
        await xml.WriteAttributeStringAsync("xml", "lang", null, "en");
        await xml.WriteStringAsync($"Data available in {structure.Name}");
        await xml.WriteEndElementAsync();
        await xml.WriteStartElementAsync("str", "ConstraintAttachment", Structure);
        await xml.WriteStartElementAsync("str", "Dataflow", Structure);
        await xml.WriteStartElementAsync(null, "Ref", null);
        await xml.WriteAttributeStringAsync(null, "id", null, structure.Id);
        await xml.WriteAttributeStringAsync(null, "agencyID", null, structure.Agency);
        await xml.WriteAttributeStringAsync(null, "version", null, structure.Version);
        await xml.WriteEndElementAsync();
        await xml.WriteEndElementAsync();
        await xml.WriteEndElementAsync();
        await xml.WriteStartElementAsync("str", "CubeRegion", Structure);
        await xml.WriteAttributeStringAsync(null, "include", null, "true");
        foreach (var dimension in availability.Dimensions)
        {
            await xml.WriteStartElementAsync("com", "KeyValue", Common);
            await xml.WriteAttributeStringAsync(null, "id", null, dimension.Id);
            foreach (var value in dimension.Values)
            {
                await xml.WriteElementStringAsync("com", "Value", Common, value);
            }

            await xml.WriteEndElementAsync();
        }

        if (availability is { First: { } first, Last: { } last })
        {
            await xml.WriteStartElementAsync("com", "KeyValue", Common);
            await xml.WriteAttributeStringAsync(null, "id", null, DataStructure.TimeDimension);
            await xml.WriteStartElementAsync("com", "TimeRange", Common);
            await WritePeriodAsync(xml, "StartPeriod", first);
            await WritePeriodAsync(xml, "EndPeriod", last);
            await xml.WriteEndElementAsync();
            await xml.WriteEndElementAsync();
        }

        await xml.WriteEndDocumentAsync();
        await xml.FlushAsync();
    }

    private static async Task WritePeriodAsync(XmlWriter xml, string name, TimePeriod period)
    {
        await xml.WriteStartElementAsync("com", name, Common);
        await xml.WriteAttributeStringAsync(null, "isInclusive", null, "true");
        await xml.WriteStringAsync(period.ToString());
        await xml.WriteEndElementAsync();
    }

    private static async Task WriteXmlMetricAsync(XmlWriter xml, string id, long count)
    {
        await xml.WriteStartElementAsync("com", "Annotation", Common);
        await xml.WriteAttributeStringAsync(null, "id", null, id);
        await xml.WriteElementStringAsync("com", "AnnotationTitle", Common, count.ToString(CultureInfo.InvariantCulture));
        await xml.WriteElementStringAsync("com", "AnnotationType", Common, "sdmx_metrics");
        await xml.WriteEndElementAsync();
    }
}
