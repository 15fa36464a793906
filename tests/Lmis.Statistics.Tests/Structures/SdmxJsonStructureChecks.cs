using System.Globalization;
using System.Text.Json;

namespace Lmis.Statistics.Tests.Structures;

/// <summary>
/// The rules of the SDMX-JSON structure message field guide (sdmx-twg/sdmx-json, structure-message) a client relies
/// on, checked on a message: what breaks one, each as a line naming where.
/// </summary>
public static class SdmxJsonStructureChecks
{
    private static readonly Dictionary<string, string?> ItemsOf = new(StringComparer.Ordinal)
    {
        ["agencySchemes"] = "agencies",
        ["categorySchemes"] = "categories",
        ["codelists"] = "codes",
        ["conceptSchemes"] = "concepts",
        ["dataflows"] = null,
        ["dataStructures"] = null,
        ["categorisations"] = null,
    };

    public static IReadOnlyList<string> Problems(JsonElement message)
    {
        var problems = new List<string>();
        if (!message.TryGetProperty("meta", out var meta) || meta.ValueKind != JsonValueKind.Object)
        {
            return ["meta: missing"];
        }

        RequireString(meta, "id", "meta", problems);
        if (!meta.TryGetProperty("prepared", out var prepared) || !DateTimeOffset.TryParse(prepared.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            || !(prepared.GetString()!.EndsWith('Z') || prepared.GetString()!.Contains('+', StringComparison.Ordinal)))
        {
            problems.Add("meta.prepared: an ISO 8601 date-time with its time zone");
        }

        if (!meta.TryGetProperty("sender", out var sender) || sender.ValueKind != JsonValueKind.Object)
        {
            problems.Add("meta.sender: missing");
        }
        else
        {
            RequireString(sender, "id", "meta.sender", problems);
        }

        if (!message.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            problems.Add("data: missing");
            return problems;
        }

        foreach (var member in data.EnumerateObject())
        {
            if (!ItemsOf.TryGetValue(member.Name, out var items))
            {
                problems.Add($"data.{member.Name}: not an artefact type LMIS writes");
                continue;
            }

            var i = 0;
            foreach (var artefact in member.Value.EnumerateArray())
            {
                Artefact(artefact, $"data.{member.Name}[{i++}]", member.Name, items, problems);
            }
        }

        return problems;
    }

    private static void Artefact(JsonElement artefact, string at, string type, string? items, List<string> problems)
    {
        foreach (var required in new[] { "id", "agencyID", "version", "name" })
        {
            RequireString(artefact, required, at, problems);
        }

        Names(artefact, "names", at, problems);
        if (!artefact.TryGetProperty("links", out var links) || links.GetArrayLength() == 0
            || links[0].GetProperty("rel").GetString() != "self"
            || !(links[0].TryGetProperty("urn", out var urn) && urn.GetString()!.StartsWith("urn:sdmx:org.sdmx.infomodel.", StringComparison.Ordinal))
            || !links[0].TryGetProperty("href", out _))
        {
            problems.Add($"{at}.links: the first link is to itself (rel self) with its href and urn");
        }

        if (artefact.TryGetProperty("isExternalReference", out var external) && external.GetBoolean())
        {
            return;
        }

        if (items is not null)
        {
            if (!artefact.TryGetProperty(items, out var list) || list.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{at}.{items}: missing");
                return;
            }

            var ids = list.EnumerateArray().Select(x => x.TryGetProperty("id", out var id) ? id.GetString() : null).ToHashSet(StringComparer.Ordinal);
            var j = 0;
            foreach (var item in list.EnumerateArray())
            {
                var itemAt = $"{at}.{items}[{j++}]";
                RequireString(item, "id", itemAt, problems);
                RequireString(item, "name", itemAt, problems);
                Names(item, "names", itemAt, problems);
                if (item.TryGetProperty("parent", out var parent) && !ids.Contains(parent.GetString()))
                {
                    problems.Add($"{itemAt}.parent: '{parent.GetString()}' is no item of the scheme");
                }
            }

            return;
        }

        switch (type)
        {
            case "dataflows":
                RequireUrn(artefact, "structure", at, problems);
                break;
            case "categorisations":
                RequireUrn(artefact, "source", at, problems);
                RequireUrn(artefact, "target", at, problems);
                break;
            case "dataStructures":
                DataStructure(artefact, at, problems);
                break;
        }
    }

    private static void DataStructure(JsonElement structure, string at, List<string> problems)
    {
        if (!structure.TryGetProperty("dataStructureComponents", out var components)
            || !components.TryGetProperty("dimensionList", out var dimensionList)
            || !dimensionList.TryGetProperty("dimensions", out var dimensions) || dimensions.GetArrayLength() == 0)
        {
            problems.Add($"{at}.dataStructureComponents.dimensionList.dimensions: at least one dimension");
            return;
        }

        var positions = new List<int>();
        foreach (var dimension in dimensions.EnumerateArray())
        {
            RequireString(dimension, "id", at + ".dimension", problems);
            RequireUrn(dimension, "conceptIdentity", at + ".dimension", problems);
            positions.Add(dimension.TryGetProperty("position", out var position) ? position.GetInt32() : -1);
        }

        if (!positions.SequenceEqual(Enumerable.Range(0, positions.Count)))
        {
            problems.Add($"{at}: dimension positions count from 0 in key order");
        }

        if (components.TryGetProperty("attributeList", out var attributeList))
        {
            if (attributeList.GetProperty("id").GetString() != "AttributeDescriptor")
            {
                problems.Add($"{at}.attributeList.id: AttributeDescriptor");
            }

            foreach (var attribute in attributeList.GetProperty("attributes").EnumerateArray())
            {
                RequireUrn(attribute, "conceptIdentity", at + ".attribute", problems);
                if (!attribute.TryGetProperty("attributeRelationship", out var relationship) || !relationship.EnumerateObject().Any())
                {
                    problems.Add($"{at}.attribute {attribute.GetProperty("id")}: attributeRelationship");
                }

                if (attribute.TryGetProperty("usage", out var usage) && usage.GetString() is not ("mandatory" or "optional"))
                {
                    problems.Add($"{at}.attribute usage: mandatory or optional");
                }
            }
        }

        if (dimensionList.GetProperty("id").GetString() != "DimensionDescriptor")
        {
            problems.Add($"{at}.dimensionList.id: DimensionDescriptor");
        }
    }

    private static void Names(JsonElement element, string member, string at, List<string> problems)
    {
        if (element.TryGetProperty(member, out var names) && (names.ValueKind != JsonValueKind.Object || !names.EnumerateObject().Any()))
        {
            problems.Add($"{at}.{member}: an object of names by language");
        }
    }

    private static void RequireString(JsonElement element, string member, string at, List<string> problems)
    {
        if (!element.TryGetProperty(member, out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            problems.Add($"{at}.{member}: a non-empty string");
        }
    }

    private static void RequireUrn(JsonElement element, string member, string at, List<string> problems)
    {
        if (!element.TryGetProperty(member, out var value) || value.ValueKind != JsonValueKind.String
            || !value.GetString()!.StartsWith("urn:sdmx:org.sdmx.infomodel.", StringComparison.Ordinal))
        {
            problems.Add($"{at}.{member}: an SDMX URN");
        }
    }
}
