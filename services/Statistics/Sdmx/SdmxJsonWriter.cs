using System.Globalization;
using System.Text;
using System.Text.Json;
using Lmis.Statistics.Sdmx.Messages;

namespace Lmis.Statistics.Sdmx;

/// <summary>
/// Writes observations as an SDMX-JSON 2.0.0 data message (<see cref="MediaType"/>), as the SDMX-JSON field guide and
/// its JSON schema describe it. Series are keyed by the positions of their dimension values (<c>"0:1:0"</c>), each
/// observation by the position of its period and holding [value, attribute positions...]; with
/// <c>dimensionAtObservation=AllDimensions</c> the observations are flat, keyed by every dimension's position and the
/// period's (<c>"0:1:0:2"</c>). One structure lists those values with their names.
/// <para>
/// The message is written in one pass as the observations come (<see cref="DataMessageWalk"/> says in which order).
/// Positions are given to values as they first appear, so the structure — which lists them — is written after the data
/// sets: <c>data.dataSets</c> precedes <c>data.structures</c> (JSON members have no order; a reader resolves positions
/// once it has both). Only the values seen are kept in memory, never the observations.
/// </para>
/// <para>
/// LMIS attaches every attribute to the observation (relationship <c>observation</c>); with <c>detail=nodata</c> an
/// attribute is presented on a series where all its observations share the value. A component with no value in the
/// message (every dimension of an empty answer, TIME_PERIOD without observations, an attribute never given) is left
/// out of the structure or has no <c>values</c>, as the schema allows no empty list of values. With history, each
/// vintage is a data set of its own, valid from when it was recorded (<c>validFrom</c>) until it was superseded
/// (<c>validTo</c>).
/// </para>
/// </summary>
public static class SdmxJsonWriter
{
    public const string MediaType = "application/vnd.sdmx.data+json;version=2.0.0";
    public const string Schema = "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/2.0.0/sdmx-json-data-schema.json";

    /// <param name="utf8">Where the message goes.</param>
    /// <param name="structure">The structure of every observation.</param>
    /// <param name="observations">Sorted by series key, then period.</param>
    /// <param name="sender">The sender's id in <c>meta.sender</c>: the region.</param>
    /// <param name="prepared">When the message was prepared; now when null.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    public static Task WriteAsync(
        Stream utf8, DataStructure structure, IAsyncEnumerable<Observation> observations, string sender = BuiltInDataflows.Agency,
        DateTimeOffset? prepared = null, CancellationToken cancellationToken = default) =>
        WriteAsync(utf8, structure, observations, DataMessageOptions.Default with { Sender = sender, Prepared = prepared }, cancellationToken);

    public static async Task WriteAsync(
        Stream utf8, DataStructure structure, IAsyncEnumerable<Observation> observations, DataMessageOptions options, CancellationToken cancellationToken = default)
    {
        await using var json = new Utf8JsonWriter(utf8);
        var prepared = options.Prepared ?? DateTimeOffset.UtcNow;
        json.WriteStartObject();
        WriteMeta(json, structure, options, prepared);
        json.WriteStartObject("data");
        json.WriteStartArray("dataSets");
        var message = new Message(json, structure, options);
        await DataMessageWalk.RunAsync(structure, observations, options, message, cancellationToken);
        json.WriteEndArray();
        message.WriteStructure();
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private static void WriteMeta(Utf8JsonWriter json, DataStructure structure, DataMessageOptions options, DateTimeOffset prepared)
    {
        json.WriteStartObject("meta");
        json.WriteString("schema", Schema);
        json.WriteString("id", ComponentNames.MessageId(structure, prepared));
        json.WriteBoolean("test", false);
        json.WriteString("prepared", SdmxTime.Of(prepared));
        json.WriteStartArray("contentLanguages");
        json.WriteStringValue(ComponentNames.Language);
        json.WriteEndArray();
        json.WriteStartObject("sender");
        json.WriteString("id", options.Sender);
        WriteNames(json, "name", options.Sender);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>A best-language name and the same in <c>names</c> by language (<c>name</c> → <c>names</c>).</summary>
    private static void WriteNames(Utf8JsonWriter json, string member, string text)
    {
        json.WriteString(member, text);
        json.WriteStartObject(member + "s");
        json.WriteString(ComponentNames.Language, text);
        json.WriteEndObject();
    }

    private static void WriteLink(Utf8JsonWriter json, string urn, string rel)
    {
        json.WriteStartObject();
        json.WriteString("urn", urn);
        json.WriteString("rel", rel);
        json.WriteEndObject();
    }

    /// <summary>The data sets as the walk goes, and the structure once every value has its position.</summary>
    private sealed class Message(Utf8JsonWriter json, DataStructure structure, DataMessageOptions options) : IDataMessageParts
    {
        private readonly bool _flat = options.DimensionAtObservation == DataMessageOptions.AllDimensions;
        private readonly bool _observations = options.Detail is DataDetail.Full or DataDetail.DataOnly;
        private readonly Positions<string>[] _dimensions = structure.Dimensions.Select(_ => new Positions<string>()).ToArray();
        private readonly Positions<TimePeriod> _periods = new();
        private readonly Positions<string>[] _attributes = structure.Attributes.Select(_ => new Positions<string>()).ToArray();
        private readonly StringBuilder _key = new();
        private string _seriesKey = string.Empty;

        public ValueTask StartDataSetAsync(ObservationVintage? vintage)
        {
            json.WriteStartObject();
            json.WriteNumber("structure", 0);
            json.WriteString("action", "Information");
            json.WriteStartArray("links");
            WriteLink(json, structure.Reference.DataflowUrn, "dataflow");
            json.WriteEndArray();
            if (vintage is not null)
            {
                json.WriteString("validFrom", SdmxTime.Of(vintage.RecordedAt));
                if (vintage.SupersededAt is { } supersededAt)
                {
                    json.WriteString("validTo", SdmxTime.Of(supersededAt));
                }
            }

            json.WriteStartObject(_flat ? "observations" : "series");
            return ValueTask.CompletedTask;
        }

        public ValueTask StartSeriesAsync(Observation first, IReadOnlyList<string?>? seriesAttributes)
        {
            _key.Clear();
            AppendKey(first);
            _seriesKey = _key.ToString();
            if (_flat)
            {
                return ValueTask.CompletedTask;
            }

            json.WriteStartObject(_seriesKey);
            if (seriesAttributes is not null)
            {
                WriteAttributePositions("attributes", seriesAttributes);
            }

            if (_observations)
            {
                json.WriteStartObject("observations");
            }

            return ValueTask.CompletedTask;
        }

        public async ValueTask ObservationAsync(Observation observation)
        {
            var period = _periods.Of(observation.Period).ToString(CultureInfo.InvariantCulture);
            json.WriteStartArray(_flat ? $"{_seriesKey}:{period}" : period);
            if (observation.Value is { } value)
            {
                json.WriteNumberValue(value);
            }
            else
            {
                json.WriteNullValue();
            }

            if (options.Detail == DataDetail.Full)
            {
                WriteAttributeValues(observation.Attributes);
            }

            json.WriteEndArray();
            if (json.BytesPending > 32 * 1024)
            {
                await json.FlushAsync();
            }
        }

        public ValueTask EndSeriesAsync()
        {
            if (!_flat)
            {
                if (_observations)
                {
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask EndDataSetAsync()
        {
            json.WriteEndObject();
            json.WriteEndObject();
            return ValueTask.CompletedTask;
        }

        private void AppendKey(Observation observation)
        {
            for (var d = 0; d < _dimensions.Length; d++)
            {
                _key.Append(d == 0 ? string.Empty : ":").Append(_dimensions[d].Of(observation.Key[d]).ToString(CultureInfo.InvariantCulture));
            }
        }

        private void WriteAttributePositions(string member, IReadOnlyList<string?> values)
        {
            json.WriteStartArray(member);
            WriteAttributeValues(values);
            json.WriteEndArray();
        }

        private void WriteAttributeValues(IReadOnlyList<string?> values)
        {
            for (var a = 0; a < _attributes.Length; a++)
            {
                if (values[a] is { } value)
                {
                    json.WriteNumberValue(_attributes[a].Of(value));
                }
                else
                {
                    json.WriteNullValue();
                }
            }
        }

        public void WriteStructure()
        {
            json.WriteStartArray("structures");
            json.WriteStartObject();
            json.WriteStartArray("links");
            WriteLink(json, structure.Reference.DataflowUrn, "dataflow");
            WriteLink(json, ComponentNames.DataStructureUrn(structure), "datastructure");
            json.WriteEndArray();
            WriteNames(json, "name", structure.Name);
            WriteNames(json, "description", structure.Description);

            json.WriteStartObject("dimensions");
            json.WriteStartArray("series");
            if (!_flat)
            {
                WriteDimensions();
            }

            json.WriteEndArray();
            json.WriteStartArray("observation");
            if (_flat)
            {
                WriteDimensions();
            }

            WriteTimeDimension();
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("measures");
            json.WriteStartArray("observation");
            json.WriteStartObject();
            json.WriteString("id", DataStructure.PrimaryMeasure);
            WriteNames(json, "name", ComponentNames.ObservationValue);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("attributes");
            if (options.Detail is DataDetail.Full or DataDetail.NoData)
            {
                WriteAttributes(options.Detail == DataDetail.NoData ? "series" : "observation");
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        private void WriteDimensions()
        {
            for (var d = 0; d < _dimensions.Length; d++)
            {
                if (_dimensions[d].Values.Count == 0)
                {
                    continue;
                }

                var dimension = structure.Dimensions[d];
                json.WriteStartObject();
                json.WriteString("id", dimension.Id);
                WriteNames(json, "name", dimension.Name);
                json.WriteNumber("keyPosition", d);
                json.WriteStartArray("values");
                foreach (var code in _dimensions[d].Values)
                {
                    WriteCode(dimension.Codes, code);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }
        }

        private void WriteTimeDimension()
        {
            if (_periods.Values.Count == 0)
            {
                return;
            }

            json.WriteStartObject();
            json.WriteString("id", DataStructure.TimeDimension);
            WriteNames(json, "name", ComponentNames.TimePeriod);
            json.WriteNumber("keyPosition", _dimensions.Length);
            json.WriteStartArray("roles");
            json.WriteStringValue(DataStructure.TimeDimension);
            json.WriteEndArray();
            json.WriteStartArray("values");
            foreach (var period in _periods.Values)
            {
                json.WriteStartObject();
                json.WriteString("id", period.ToString());
                WriteNames(json, "name", period.ToString());
                json.WriteString("start", period.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z");
                json.WriteString("end", period.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T23:59:59Z");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        private void WriteAttributes(string level)
        {
            json.WriteStartArray(level);
            for (var a = 0; a < _attributes.Length; a++)
            {
                var attribute = structure.Attributes[a];
                json.WriteStartObject();
                json.WriteString("id", attribute.Id);
                WriteNames(json, "name", attribute.Name);
                if (attribute.Mandatory)
                {
                    json.WriteBoolean("isMandatory", true);
                }

                // LMIS attaches every attribute to the observation, whatever level the message presents it at.
                json.WriteStartObject("relationship");
                json.WriteStartObject("observation");
                json.WriteEndObject();
                json.WriteEndObject();
                if (_attributes[a].Values.Count > 0)
                {
                    json.WriteStartArray("values");
                    foreach (var value in _attributes[a].Values)
                    {
                        if (attribute.Codes is null)
                        {
                            json.WriteStartObject();
                            json.WriteString("value", value);
                            json.WriteEndObject();
                        }
                        else
                        {
                            WriteCode(attribute.Codes, value);
                        }
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        /// <summary>A coded value: its id and its name (the code itself where LMIS has no name for it).</summary>
        private void WriteCode(Representation codes, string code)
        {
            json.WriteStartObject();
            json.WriteString("id", code);
            WriteNames(json, "name", ComponentNames.OfCode(codes, code) ?? code);
            json.WriteEndObject();
        }
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
