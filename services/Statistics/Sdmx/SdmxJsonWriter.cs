using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lmis.Statistics.Sdmx;

/// <summary>
/// Writes observations as an SDMX-JSON 2.0 data message (<see cref="MediaType"/>): one data set whose series are keyed
/// by the positions of their dimension values ("0:1:0"), each observation keyed by the position of its period and
/// holding [value, attribute positions...], and one structure listing those values.
/// <para>
/// The message is written in one pass as the observations come, which must be sorted by series key then period (as
/// the store returns them); a series that comes back later, or a period out of order, is a caller's mistake and
/// throws. Positions are given to values as they first appear, so the structure — which lists them — is written
/// after the data set: <c>data.dataSets</c> precedes <c>data.structures</c> (JSON members have no order; a reader
/// resolves positions once it has both).
/// </para>
/// </summary>
public static class SdmxJsonWriter
{
    public const string MediaType = "application/vnd.sdmx.data+json; version=2.0.0";
    public const string Schema = "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/2.0.0/sdmx-json-data-schema.json";

    /// <param name="utf8">Where the message goes.</param>
    /// <param name="structure">The structure of every observation.</param>
    /// <param name="observations">Sorted by series key, then period.</param>
    /// <param name="sender">The sender's id in <c>meta.sender</c>: the region.</param>
    /// <param name="prepared">When the message was prepared; now when null.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    public static async Task WriteAsync(
        Stream utf8, DataStructure structure, IAsyncEnumerable<Observation> observations, string sender = BuiltInDataflows.Agency,
        DateTimeOffset? prepared = null, CancellationToken cancellationToken = default)
    {
        await using var json = new Utf8JsonWriter(utf8, new JsonWriterOptions { SkipValidation = false });
        var when = prepared ?? DateTimeOffset.UtcNow;
        json.WriteStartObject();
        json.WriteStartObject("meta");
        json.WriteString("schema", Schema);
        json.WriteString("id", $"{structure.Id}-{when.UtcTicks}");
        json.WriteBoolean("test", false);
        json.WriteString("prepared", when.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteStartArray("contentLanguages");
        json.WriteStringValue("en");
        json.WriteEndArray();
        json.WriteStartObject("sender");
        json.WriteString("id", sender);
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("data");
        json.WriteStartArray("dataSets");
        json.WriteStartObject();
        json.WriteNumber("structure", 0);
        json.WriteString("action", "Information");
        json.WriteStartObject("series");

        var dimensions = structure.Dimensions.Select(_ => new Positions<string>()).ToArray();
        var periods = new Positions<TimePeriod>();
        var attributes = structure.Attributes.Select(_ => new Positions<string>()).ToArray();
        var finished = new HashSet<string>(StringComparer.Ordinal);
        string? series = null;
        TimePeriod last = default;
        var seriesKey = new StringBuilder();
        await foreach (var observation in observations.WithCancellation(cancellationToken))
        {
            structure.RequireOwn(observation);
            if (observation.SeriesKey != series)
            {
                if (series is not null)
                {
                    json.WriteEndObject();
                    json.WriteEndObject();
                    finished.Add(series);
                }

                if (finished.Contains(observation.SeriesKey))
                {
                    throw new InvalidOperationException($"series {observation.SeriesKey} comes again after others: observations must be sorted by series key");
                }

                series = observation.SeriesKey;
                seriesKey.Clear();
                for (var d = 0; d < dimensions.Length; d++)
                {
                    seriesKey.Append(d == 0 ? string.Empty : ":").Append(dimensions[d].Of(observation.Key[d]).ToString(CultureInfo.InvariantCulture));
                }

                json.WriteStartObject(seriesKey.ToString());
                json.WriteStartObject("observations");
            }
            else if (observation.Period <= last)
            {
                throw new InvalidOperationException($"series {series}: {observation.Period} after {last}: periods must be in order, each once");
            }

            last = observation.Period;
            json.WriteStartArray(periods.Of(observation.Period).ToString(CultureInfo.InvariantCulture));
            if (observation.Value is { } value)
            {
                json.WriteNumberValue(value);
            }
            else
            {
                json.WriteNullValue();
            }

            for (var a = 0; a < attributes.Length; a++)
            {
                if (observation.Attributes[a] is { } attribute)
                {
                    json.WriteNumberValue(attributes[a].Of(attribute));
                }
                else
                {
                    json.WriteNullValue();
                }
            }

            json.WriteEndArray();
            if (json.BytesPending > 32 * 1024)
            {
                await json.FlushAsync(cancellationToken);
            }
        }

        if (series is not null)
        {
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();

        WriteStructure(json, structure, dimensions, periods, attributes);
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private static void WriteStructure(
        Utf8JsonWriter json, DataStructure structure, Positions<string>[] dimensions, Positions<TimePeriod> periods, Positions<string>[] attributes)
    {
        json.WriteStartArray("structures");
        json.WriteStartObject();
        json.WriteString("structure", structure.Reference.DataflowUrn);
        json.WriteString("name", structure.Name);
        json.WriteString("description", structure.Description);
        json.WriteStartObject("dimensions");
        json.WriteStartArray("dataSet");
        json.WriteEndArray();
        json.WriteStartArray("series");
        for (var d = 0; d < dimensions.Length; d++)
        {
            var dimension = structure.Dimensions[d];
            json.WriteStartObject();
            json.WriteString("id", dimension.Id);
            json.WriteString("name", dimension.Name);
            json.WriteNumber("keyPosition", d);
            json.WriteStartArray("values");
            foreach (var code in dimensions[d].Values)
            {
                WriteCode(json, dimension.Codes, code);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("observation");
        json.WriteStartObject();
        json.WriteString("id", DataStructure.TimeDimension);
        json.WriteString("name", "Time period");
        json.WriteNumber("keyPosition", dimensions.Length);
        json.WriteStartArray("roles");
        json.WriteStringValue(DataStructure.TimeDimension);
        json.WriteEndArray();
        json.WriteStartArray("values");
        foreach (var period in periods.Values)
        {
            json.WriteStartObject();
            json.WriteString("value", period.ToString());
            json.WriteString("start", period.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00");
            json.WriteString("end", period.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T23:59:59");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartObject("measures");
        json.WriteStartArray("observation");
        json.WriteStartObject();
        json.WriteString("id", DataStructure.PrimaryMeasure);
        json.WriteString("name", "Observation value");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartObject("attributes");
        json.WriteStartArray("dataSet");
        json.WriteEndArray();
        json.WriteStartArray("series");
        json.WriteEndArray();
        json.WriteStartArray("observation");
        for (var a = 0; a < attributes.Length; a++)
        {
            var attribute = structure.Attributes[a];
            json.WriteStartObject();
            json.WriteString("id", attribute.Id);
            json.WriteString("name", attribute.Name);
            json.WriteStartArray("values");
            foreach (var value in attributes[a].Values)
            {
                if (attribute.Codes is null)
                {
                    json.WriteStartObject();
                    json.WriteString("value", value);
                    json.WriteEndObject();
                }
                else
                {
                    WriteCode(json, attribute.Codes, value);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteCode(Utf8JsonWriter json, Representation codes, string code)
    {
        json.WriteStartObject();
        json.WriteString("id", code);
        json.WriteString("name", codes is CodeList list ? list.Label(code) : code);
        json.WriteEndObject();
    }

    /// <summary>The values of one dimension or attribute, each with its position in the order they first appeared.</summary>
    private sealed class Positions<T>
        where T : notnull
    {
        private readonly Dictionary<T, int> _positions = [];
        private readonly List<T> _values = [];

        public IReadOnlyList<T> Values => _values;

        public int Of(T value)
        {
            if (!_positions.TryGetValue(value, out var position))
            {
                position = _values.Count;
                _positions.Add(value, position);
                _values.Add(value);
            }

            return position;
        }
    }
}
