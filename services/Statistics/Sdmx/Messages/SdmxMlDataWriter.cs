using System.Globalization;
using System.Text;
using System.Xml;

namespace Lmis.Statistics.Sdmx.Messages;

/// <summary>Which SDMX-ML 2.1 data message: StructureSpecificData (components as XML attributes) or GenericData.</summary>
public enum SdmxMlFlavour
{
    StructureSpecific,
    Generic,
}

/// <summary>
/// Writes observations as an SDMX-ML 2.1 data message. StructureSpecificData (<see cref="StructureSpecificMediaType"/>):
/// <c>&lt;Series REF_AREA="MEX" FREQ="A" …&gt;&lt;Obs TIME_PERIOD="2023" OBS_VALUE="3.1" OBS_STATUS="E"/&gt;</c>. GenericData
/// (<see cref="GenericMediaType"/>): <c>generic:SeriesKey</c> of <c>generic:Value id= value=</c>, then <c>generic:Obs</c>
/// with <c>generic:ObsDimension</c>, <c>generic:ObsValue</c> and <c>generic:Attributes</c>. The header names the
/// dataflow (<c>common:StructureUsage</c>) and the dimension at the observation level; with
/// <c>dimensionAtObservation=AllDimensions</c> the observations stand flat in the data set, each with its whole key.
/// <para>
/// Written in one pass (<see cref="DataMessageWalk"/>): the XML goes into a small buffer, handed to the response every
/// few hundred parts, so memory stays flat whatever the size of the answer and no synchronous write reaches the
/// response. With history, each vintage is a <c>message:DataSet</c> with <c>validFromDate</c> (and <c>validToDate</c>
/// once superseded). A missing value (status M) has no OBS_VALUE.
/// </para>
/// </summary>
public static class SdmxMlDataWriter
{
    public const string StructureSpecificMediaType = "application/vnd.sdmx.structurespecificdata+xml;version=2.1";
    public const string GenericMediaType = "application/vnd.sdmx.genericdata+xml;version=2.1";

    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>The namespace of a dataflow's own structure-specific schema, by the usual SDMX convention.</summary>
    public static string DataflowNamespace(DataStructure structure, string dimensionAtObservation) =>
        $"{structure.Reference.DataflowUrn}:ObsLevelDim:{dimensionAtObservation}";

    public static async Task WriteAsync(
        Stream body, SdmxMlFlavour flavour, DataStructure structure, IAsyncEnumerable<Observation> observations, DataMessageOptions options,
        CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false }))
        {
            var message = new Message(xml, buffer, body, flavour, structure, options, cancellationToken);
            message.WriteHeader();
            await DataMessageWalk.RunAsync(structure, observations, options, message, cancellationToken);
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        await body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
    }

    private sealed class Message(
        XmlWriter xml, MemoryStream buffer, Stream body, SdmxMlFlavour flavour, DataStructure structure, DataMessageOptions options,
        CancellationToken cancellationToken) : IDataMessageParts
    {
        private const int PartsPerHandOver = 512;
        private readonly bool _flat = options.DimensionAtObservation == DataMessageOptions.AllDimensions;
        private readonly bool _generic = flavour == SdmxMlFlavour.Generic;
        private readonly string _structureId = ComponentNames.StructureId(structure);
        private Observation? _series;
        private int _parts;

        public void WriteHeader()
        {
            var prepared = options.Prepared ?? DateTimeOffset.UtcNow;
            xml.WriteStartDocument();
            xml.WriteStartElement("message", _generic ? "GenericData" : "StructureSpecificData", SdmxMlNamespaces.Message);
            xml.WriteAttributeString("xmlns", "common", null, SdmxMlNamespaces.Common);
            xml.WriteAttributeString("xmlns", _generic ? "generic" : "ss", null, _generic ? SdmxMlNamespaces.GenericData : SdmxMlNamespaces.StructureSpecificData);
            if (!_generic)
            {
                xml.WriteAttributeString("xmlns", "xsi", null, XsiNamespace);
                xml.WriteAttributeString("xmlns", "ns1", null, DataflowNamespace(structure, options.DimensionAtObservation));
            }

            xml.WriteStartElement("message", "Header", SdmxMlNamespaces.Message);
            xml.WriteElementString("message", "ID", SdmxMlNamespaces.Message, ComponentNames.MessageId(structure, prepared));
            xml.WriteElementString("message", "Test", SdmxMlNamespaces.Message, "false");
            xml.WriteElementString("message", "Prepared", SdmxMlNamespaces.Message, SdmxTime.Of(prepared));
            xml.WriteStartElement("message", "Sender", SdmxMlNamespaces.Message);
            xml.WriteAttributeString("id", options.Sender);
            xml.WriteEndElement();
            xml.WriteStartElement("message", "Structure", SdmxMlNamespaces.Message);
            xml.WriteAttributeString("structureID", _structureId);
            if (!_generic)
            {
                xml.WriteAttributeString("namespace", DataflowNamespace(structure, options.DimensionAtObservation));
            }

            xml.WriteAttributeString("dimensionAtObservation", options.DimensionAtObservation);
            xml.WriteStartElement("common", "StructureUsage", SdmxMlNamespaces.Common);
            xml.WriteStartElement("Ref");
            xml.WriteAttributeString("agencyID", structure.Agency);
            xml.WriteAttributeString("id", structure.Id);
            xml.WriteAttributeString("version", structure.Version);
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        public ValueTask StartDataSetAsync(ObservationVintage? vintage)
        {
            xml.WriteStartElement("message", "DataSet", SdmxMlNamespaces.Message);
            // Structure-specific data sets qualify their own attributes (form="qualified"); generic ones do not.
            var own = _generic ? null : SdmxMlNamespaces.StructureSpecificData;
            xml.WriteAttributeString("structureRef", own, _structureId);
            if (!_generic)
            {
                xml.WriteAttributeString("dataScope", own, "DataStructure");
                xml.WriteAttributeString("xsi", "type", XsiNamespace, "ns1:DataSetType");
            }

            xml.WriteAttributeString("action", own, "Information");
            if (vintage is not null)
            {
                xml.WriteAttributeString("validFromDate", own, SdmxTime.Of(vintage.RecordedAt));
                if (vintage.SupersededAt is { } supersededAt)
                {
                    xml.WriteAttributeString("validToDate", own, SdmxTime.Of(supersededAt));
                }
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask StartSeriesAsync(Observation first, IReadOnlyList<string?>? seriesAttributes)
        {
            _series = first;
            if (_flat)
            {
                return ValueTask.CompletedTask;
            }

            if (_generic)
            {
                xml.WriteStartElement("generic", "Series", SdmxMlNamespaces.GenericData);
                xml.WriteStartElement("generic", "SeriesKey", SdmxMlNamespaces.GenericData);
                for (var d = 0; d < structure.Dimensions.Count; d++)
                {
                    WriteGenericValue(structure.Dimensions[d].Id, first.Key[d]);
                }

                xml.WriteEndElement();
                if (seriesAttributes is not null)
                {
                    WriteGenericAttributes(seriesAttributes);
                }
            }
            else
            {
                xml.WriteStartElement("Series");
                WriteKeyAttributes(first);
                if (seriesAttributes is not null)
                {
                    WriteAttributeValues(seriesAttributes);
                }
            }

            return ValueTask.CompletedTask;
        }

        public async ValueTask ObservationAsync(Observation observation)
        {
            var value = observation.Value?.ToString(CultureInfo.InvariantCulture);
            if (_generic)
            {
                xml.WriteStartElement("generic", "Obs", SdmxMlNamespaces.GenericData);
                if (_flat)
                {
                    xml.WriteStartElement("generic", "ObsKey", SdmxMlNamespaces.GenericData);
                    for (var d = 0; d < structure.Dimensions.Count; d++)
                    {
                        WriteGenericValue(structure.Dimensions[d].Id, observation.Key[d]);
                    }

                    WriteGenericValue(DataStructure.TimeDimension, observation.Period.ToString());
                    xml.WriteEndElement();
                }
                else
                {
                    xml.WriteStartElement("generic", "ObsDimension", SdmxMlNamespaces.GenericData);
                    xml.WriteAttributeString("id", DataStructure.TimeDimension);
                    xml.WriteAttributeString("value", observation.Period.ToString());
                    xml.WriteEndElement();
                }

                if (value is not null)
                {
                    xml.WriteStartElement("generic", "ObsValue", SdmxMlNamespaces.GenericData);
                    xml.WriteAttributeString("value", value);
                    xml.WriteEndElement();
                }

                if (options.Detail == DataDetail.Full)
                {
                    WriteGenericAttributes(observation.Attributes);
                }
            }
            else
            {
                xml.WriteStartElement("Obs");
                if (_flat)
                {
                    WriteKeyAttributes(observation);
                }

                xml.WriteAttributeString(DataStructure.TimeDimension, observation.Period.ToString());
                if (value is not null)
                {
                    xml.WriteAttributeString(DataStructure.PrimaryMeasure, value);
                }

                if (options.Detail == DataDetail.Full)
                {
                    WriteAttributeValues(observation.Attributes);
                }
            }

            xml.WriteEndElement();
            await HandOverAsync();
        }

        public async ValueTask EndSeriesAsync()
        {
            if (!_flat && _series is not null)
            {
                xml.WriteEndElement();
            }

            _series = null;
            await HandOverAsync();
        }

        public ValueTask EndDataSetAsync()
        {
            xml.WriteEndElement();
            return ValueTask.CompletedTask;
        }

        /// <summary>Hands what is written so far to the response every few hundred parts, keeping the buffer small.</summary>
        private async ValueTask HandOverAsync()
        {
            if (++_parts < PartsPerHandOver)
            {
                return;
            }

            _parts = 0;
            xml.Flush();
            await body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
            buffer.SetLength(0);
        }

        private void WriteKeyAttributes(Observation observation)
        {
            for (var d = 0; d < structure.Dimensions.Count; d++)
            {
                xml.WriteAttributeString(structure.Dimensions[d].Id, observation.Key[d]);
            }
        }

        private void WriteAttributeValues(IReadOnlyList<string?> values)
        {
            for (var a = 0; a < values.Count; a++)
            {
                if (values[a] is { } value)
                {
                    xml.WriteAttributeString(structure.Attributes[a].Id, value);
                }
            }
        }

        private void WriteGenericAttributes(IReadOnlyList<string?> values)
        {
            if (values.All(v => v is null))
            {
                return;
            }

            xml.WriteStartElement("generic", "Attributes", SdmxMlNamespaces.GenericData);
            for (var a = 0; a < values.Count; a++)
            {
                if (values[a] is { } value)
                {
                    WriteGenericValue(structure.Attributes[a].Id, value);
                }
            }

            xml.WriteEndElement();
        }

        private void WriteGenericValue(string id, string value)
        {
            xml.WriteStartElement("generic", "Value", SdmxMlNamespaces.GenericData);
            xml.WriteAttributeString("id", id);
            xml.WriteAttributeString("value", value);
            xml.WriteEndElement();
        }

    }
}
