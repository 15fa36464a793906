using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Lmis.Statistics.Sdmx;

namespace Lmis.Statistics.Structures;

/// <summary>
/// Writes an SDMX-ML 2.1 Structure message: the header, then the structures grouped in the order the schema's
/// <c>Structures</c> sequence requires (organisation schemes, dataflows, category schemes, categorisations,
/// codelists, concepts, data structures), every name in every language LMIS has it in.
/// </summary>
public static class SdmxMlStructureWriter
{
    public const string MediaType = "application/vnd.sdmx.structure+xml;version=2.1";

    public static readonly XNamespace Mes = SdmxMlNamespaces.Message;
    public static readonly XNamespace Str = SdmxMlNamespaces.Structure;
    public static readonly XNamespace Com = SdmxMlNamespaces.Common;

    /// <summary>Writes the message as UTF-8 without a byte order mark: clients that read the body as text would find one before the XML declaration.</summary>
    public static async Task WriteAsync(Stream body, StructureMessage message, CancellationToken cancellationToken)
    {
        await using var xml = XmlWriter.Create(body, new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false) });
        await new XDocument(new XDeclaration("1.0", "utf-8", null), Message(message)).SaveAsync(xml, cancellationToken);
    }

    public static XElement Message(StructureMessage message) => new(Mes + "Structure",
        new XAttribute(XNamespace.Xmlns + "mes", Mes),
        new XAttribute(XNamespace.Xmlns + "str", Str),
        new XAttribute(XNamespace.Xmlns + "com", Com),
        new XElement(Mes + "Header",
            new XElement(Mes + "ID", message.Id),
            new XElement(Mes + "Test", "false"),
            new XElement(Mes + "Prepared", SdmxTime.Of(message.Prepared)),
            new XElement(Mes + "Sender", new XAttribute("id", message.Sender))),
        message.Artefacts.Count == 0
            ? null
            : new XElement(Mes + "Structures", message.Artefacts
                .GroupBy(a => a.Artefact.Key.Type)
                .OrderBy(g => g.Key)
                .Select(g => new XElement(Str + Container(g.Key), g.Select(a => Artefact(a, message))))));

    private static string Container(StructureType type) => type switch
    {
        StructureType.AgencyScheme => "OrganisationSchemes",
        StructureType.ConceptScheme => "Concepts",
        _ => type + "s",
    };

    private static XElement Artefact(ShownArtefact shown, StructureMessage message)
    {
        var (artefact, how) = (shown.Artefact, shown.Shown);
        var key = artefact.Key;
        var element = new XElement(Str + key.Class,
            new XAttribute("id", key.Id),
            new XAttribute("urn", key.Urn),
            new XAttribute("agencyID", key.Agency),
            new XAttribute("version", key.Version),
            new XAttribute("isFinal", "false"),
            Names(Com + "Name", artefact.Names, key.Id),
            how == Shown.Stub || artefact.Descriptions is null ? null : Names(Com + "Description", artefact.Descriptions, key.Id));
        if (how != Shown.Full)
        {
            element.Add(new XAttribute("isExternalReference", "true"), new XAttribute("structureURL", message.Location(key)));
            return element;
        }

        element.Add(artefact switch
        {
            ItemScheme scheme => Items(scheme),
            DataflowDefinition flow => [new XElement(Str + "Structure", Ref(flow.Structure))],
            Categorisation categorisation =>
            [
                new XElement(Str + "Source", Ref(categorisation.Source)),
                new XElement(Str + "Target", ItemRef(categorisation.TargetScheme, categorisation.TargetCategory)),
            ],
            DataStructureDefinition structure => [Components(structure)],
            _ => [],
        });
        return element;
    }

    private static IEnumerable<object> Items(ItemScheme scheme)
    {
        if (scheme.IsPartial)
        {
            yield return new XAttribute("isPartial", "true");
        }

        foreach (var item in scheme.Items ?? [])
        {
            yield return new XElement(Str + scheme.Key.ItemClass,
                new XAttribute("id", item.Id),
                new XAttribute("urn", scheme.Key.ItemUrn(scheme.Key.ItemClass, item.Id)),
                Names(Com + "Name", item.Names, item.Id),
                item.Parent is null ? null : new XElement(Str + "Parent", new XElement("Ref", new XAttribute("id", item.Parent))));
        }
    }

    private static XElement Components(DataStructureDefinition structure)
    {
        var key = structure.Key;
        string Urn(string type, string id) => key.ItemUrn(type, id);
        XElement Concept(string id) => new(Str + "ConceptIdentity", ItemRef(structure.Concepts, id));
        return new XElement(Str + "DataStructureComponents",
            new XElement(Str + "DimensionList",
                new XAttribute("id", "DimensionDescriptor"),
                new XAttribute("urn", Urn("DimensionDescriptor", "DimensionDescriptor")),
                structure.Dimensions.Select((d, i) => new XElement(Str + "Dimension",
                    new XAttribute("id", d.Id),
                    new XAttribute("urn", Urn("Dimension", d.Id)),
                    new XAttribute("position", i + 1),
                    Concept(d.Id),
                    Representation(d))),
                new XElement(Str + "TimeDimension",
                    new XAttribute("id", DataStructure.TimeDimension),
                    new XAttribute("urn", Urn("TimeDimension", DataStructure.TimeDimension)),
                    new XAttribute("position", structure.Dimensions.Count + 1),
                    Concept(DataStructure.TimeDimension),
                    TextFormat("ObservationalTimePeriod"))),
            new XElement(Str + "AttributeList",
                new XAttribute("id", "AttributeDescriptor"),
                new XAttribute("urn", Urn("AttributeDescriptor", "AttributeDescriptor")),
                structure.Attributes.Select(a => new XElement(Str + "Attribute",
                    new XAttribute("id", a.Id),
                    new XAttribute("urn", Urn("DataAttribute", a.Id)),
                    new XAttribute("assignmentStatus", a.Mandatory ? "Mandatory" : "Conditional"),
                    Concept(a.Id),
                    Representation(a),
                    // LMIS attaches every attribute to the observation.
                    new XElement(Str + "AttributeRelationship",
                        new XElement(Str + "PrimaryMeasure", new XElement("Ref", new XAttribute("id", DataStructure.PrimaryMeasure))))))),
            new XElement(Str + "MeasureList",
                new XAttribute("id", "MeasureDescriptor"),
                new XAttribute("urn", Urn("MeasureDescriptor", "MeasureDescriptor")),
                new XElement(Str + "PrimaryMeasure",
                    new XAttribute("id", DataStructure.PrimaryMeasure),
                    new XAttribute("urn", Urn("PrimaryMeasure", DataStructure.PrimaryMeasure)),
                    Concept(DataStructure.PrimaryMeasure),
                    TextFormat("Decimal"))));
    }

    private static XElement Representation(Component component) => component.Codelist is { } codelist
        ? new XElement(Str + "LocalRepresentation", new XElement(Str + "Enumeration", Ref(codelist)))
        : TextFormat("String");

    private static XElement TextFormat(string textType) =>
        new(Str + "LocalRepresentation", new XElement(Str + "TextFormat", new XAttribute("textType", textType)));

    /// <summary>A reference to a maintainable structure (Ref has no namespace in SDMX-ML 2.1).</summary>
    private static XElement Ref(ArtefactKey key) => new("Ref",
        new XAttribute("id", key.Id),
        new XAttribute("agencyID", key.Agency),
        new XAttribute("version", key.Version),
        new XAttribute("class", key.Class),
        new XAttribute("package", key.Package));

    private static XElement ItemRef(ArtefactKey scheme, string id) => new("Ref",
        new XAttribute("id", id),
        new XAttribute("maintainableParentID", scheme.Id),
        new XAttribute("maintainableParentVersion", scheme.Version),
        new XAttribute("agencyID", scheme.Agency),
        new XAttribute("class", scheme.ItemClass),
        new XAttribute("package", scheme.Package));

    private static IEnumerable<XElement> Names(XName element, IReadOnlyDictionary<string, string> names, string id) =>
        names.Count == 0
            ? [new XElement(element, new XAttribute(XNamespace.Xml + "lang", "en"), id)]
            : names.Select(n => new XElement(element, new XAttribute(XNamespace.Xml + "lang", n.Key), n.Value));
}
