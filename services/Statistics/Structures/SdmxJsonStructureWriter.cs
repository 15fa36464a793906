using System.Globalization;
using System.Text.Json;
using Lmis.Statistics.Sdmx;

namespace Lmis.Statistics.Structures;

/// <summary>
/// Writes an SDMX-JSON 2.0 structure message: <c>meta</c> (id, prepared, languages, sender) and <c>data</c> with one
/// array per structure type (<c>dataflows</c>, <c>dataStructures</c>, <c>codelists</c>...), each structure with its
/// <c>name</c> in the message's language, <c>names</c> in every language, and a <c>self</c> link carrying its URN.
/// </summary>
public static class SdmxJsonStructureWriter
{
    public const string MediaType = "application/vnd.sdmx.structure+json;version=2.0.0";

    public const string Schema = "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/v2.0.0/structure-message/tools/schemas/2.0.0/sdmx-json-structure-schema.json";

    public static async Task WriteAsync(Stream body, StructureMessage message, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteStartObject("meta");
        json.WriteString("schema", Schema); // where SDMX-JSON 2.0.0 names its schema
        json.WriteString("id", message.Id);
        json.WriteBoolean("test", false);
        json.WriteString("prepared", SdmxTime.Of(message.Prepared));
        json.WriteStartArray("contentLanguages");
        foreach (var language in LocalizedNames.Languages.OrderBy(l => l != message.Language))
        {
            json.WriteStringValue(language);
        }

        json.WriteEndArray();
        json.WriteStartObject("sender");
        json.WriteString("id", message.Sender);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartObject("data");
        foreach (var group in message.Artefacts.GroupBy(a => a.Artefact.Key.Type).OrderBy(g => g.Key))
        {
            json.WriteStartArray(Member(group.Key));
            foreach (var shown in group)
            {
                Artefact(json, shown, message);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    /// <summary>The member of <c>data</c> a type is listed under.</summary>
    public static string Member(StructureType type) => type switch
    {
        StructureType.AgencyScheme => "agencySchemes",
        StructureType.Dataflow => "dataflows",
        StructureType.CategoryScheme => "categorySchemes",
        StructureType.Categorisation => "categorisations",
        StructureType.Codelist => "codelists",
        StructureType.ConceptScheme => "conceptSchemes",
        _ => "dataStructures",
    };

    /// <summary>The member of an item scheme its items are listed under.</summary>
    public static string ItemsMember(StructureType type) => type switch
    {
        StructureType.AgencyScheme => "agencies",
        StructureType.CategoryScheme => "categories",
        StructureType.Codelist => "codes",
        _ => "concepts",
    };

    private static void Artefact(Utf8JsonWriter json, ShownArtefact shown, StructureMessage message)
    {
        var (artefact, how) = (shown.Artefact, shown.Shown);
        var key = artefact.Key;
        json.WriteStartObject();
        json.WriteString("id", key.Id);
        json.WriteString("agencyID", key.Agency);
        json.WriteString("version", key.Version);
        Names(json, "name", "names", artefact.Names, key.Id, message);
        if (how != Shown.Stub && artefact.Descriptions is not null)
        {
            Names(json, "description", "descriptions", artefact.Descriptions, key.Id, message);
        }

        json.WriteStartArray("links");
        json.WriteStartObject();
        json.WriteString("href", message.Location(key));
        json.WriteString("rel", "self");
        json.WriteString("urn", key.Urn);
        json.WriteString("type", StructureMessage.Resource(key.Type));
        json.WriteEndObject();
        json.WriteEndArray();
        if (how != Shown.Full)
        {
            json.WriteBoolean("isExternalReference", true);
            json.WriteEndObject();
            return;
        }

        switch (artefact)
        {
            case ItemScheme scheme:
                Items(json, scheme, message);
                break;
            case DataflowDefinition flow:
                json.WriteString("structure", flow.Structure.Urn);
                break;
            case Categorisation categorisation:
                json.WriteString("source", categorisation.Source.Urn);
                json.WriteString("target", categorisation.TargetUrn);
                break;
            case DataStructureDefinition structure:
                Components(json, structure);
                break;
        }

        json.WriteEndObject();
    }

    private static void Items(Utf8JsonWriter json, ItemScheme scheme, StructureMessage message)
    {
        if (scheme.IsPartial)
        {
            json.WriteBoolean("isPartial", true);
        }

        json.WriteStartArray(ItemsMember(scheme.Key.Type));
        foreach (var item in scheme.Items ?? [])
        {
            json.WriteStartObject();
            json.WriteString("id", item.Id);
            Names(json, "name", "names", item.Names, item.Id, message);
            if (item.Parent is not null)
            {
                json.WriteString("parent", item.Parent);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Components(Utf8JsonWriter json, DataStructureDefinition structure)
    {
        var concept = (string id) => structure.Concepts.ItemUrn("Concept", id);
        json.WriteStartObject("dataStructureComponents");

        json.WriteStartObject("attributeList");
        json.WriteString("id", "AttributeDescriptor");
        json.WriteStartArray("attributes");
        foreach (var attribute in structure.Attributes)
        {
            json.WriteStartObject();
            json.WriteString("id", attribute.Id);
            json.WriteString("usage", attribute.Mandatory ? "mandatory" : "optional");
            json.WriteStartObject("attributeRelationship");
            json.WriteStartObject("observation"); // LMIS attaches every attribute to the observation
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("conceptIdentity", concept(attribute.Id));
            Representation(json, attribute.Codelist, "String");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartObject("dimensionList");
        json.WriteString("id", "DimensionDescriptor");
        json.WriteStartArray("dimensions");
        for (var i = 0; i < structure.Dimensions.Count; i++)
        {
            var dimension = structure.Dimensions[i];
            json.WriteStartObject();
            json.WriteString("id", dimension.Id);
            json.WriteNumber("position", i);
            json.WriteString("conceptIdentity", concept(dimension.Id));
            Representation(json, dimension.Codelist, "String");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("timeDimension");
        json.WriteString("id", DataStructure.TimeDimension);
        json.WriteNumber("position", structure.Dimensions.Count);
        json.WriteString("conceptIdentity", concept(DataStructure.TimeDimension));
        Representation(json, null, "ObservationalTimePeriod");
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("measureList");
        json.WriteString("id", "MeasureDescriptor");
        json.WriteStartArray("measures");
        json.WriteStartObject();
        json.WriteString("id", DataStructure.PrimaryMeasure);
        json.WriteString("conceptIdentity", concept(DataStructure.PrimaryMeasure));
        Representation(json, null, "Decimal");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteEndObject();
    }

    private static void Representation(Utf8JsonWriter json, ArtefactKey? codelist, string dataType)
    {
        json.WriteStartObject("localRepresentation");
        if (codelist is not null)
        {
            json.WriteString("enumeration", codelist.Urn);
        }
        else
        {
            json.WriteStartObject("format");
            json.WriteString("dataType", dataType);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void Names(
        Utf8JsonWriter json, string single, string plural, IReadOnlyDictionary<string, string> names, string id, StructureMessage message)
    {
        json.WriteString(single, message.NameIn(names, id));
        json.WriteStartObject(plural);
        foreach (var (language, text) in names.Count == 0 ? new Dictionary<string, string> { ["en"] = id } : names)
        {
            json.WriteString(language, text);
        }

        json.WriteEndObject();
    }
}
