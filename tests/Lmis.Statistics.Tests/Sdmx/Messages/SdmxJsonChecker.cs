using System.Text.Json;
using System.Text.RegularExpressions;

namespace Lmis.Statistics.Tests.Sdmx.Messages;

/// <summary>
/// Checks an SDMX-JSON 2.0.0 data message against the rules of the SDMX-JSON field guide and its schema that SDMX
/// tools trip over: required members and their types, ids and date-times of the right form (a time zone on every
/// date-time), names with their localised <c>names</c>, no empty list of values, attribute relationships, links to the
/// dataflow, and every position in a data set resolving to a value of the structure. Returns what is wrong, by path.
/// </summary>
internal static partial class SdmxJsonChecker
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTime();

    [GeneratedRegex("^[A-Za-z0-9_@$-]+$")]
    private static partial Regex Id();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex ComponentId();

    [GeneratedRegex(@"^[0-9]+(:[0-9]+)*$")]
    private static partial Regex Key();

    private static readonly string[] Actions = ["Information", "Append", "Replace", "Delete"];
    private static readonly string[] Relationships = ["dimensions", "dataflow", "observation", "primaryMeasure"];

    public static List<string> Problems(JsonElement message)
    {
        var problems = new List<string>();
        void Require(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }

        var meta = Member(message, "meta", JsonValueKind.Object, "$", problems);
        if (meta is { } m)
        {
            Require(Text(m, "id") is { } id && Id().IsMatch(id), "meta.id: required, letters, digits, _@$-");
            Require(Text(m, "prepared") is { } prepared && DateTime().IsMatch(prepared), "meta.prepared: required, a date-time with its time zone");
            Require(!m.TryGetProperty("test", out var test) || test.ValueKind is JsonValueKind.True or JsonValueKind.False, "meta.test: a boolean");
            Require(!m.TryGetProperty("schema", out var schema) || schema.ValueKind == JsonValueKind.String, "meta.schema: a URL");
            Require(!m.TryGetProperty("contentLanguages", out var languages)
                || (languages.ValueKind == JsonValueKind.Array && languages.EnumerateArray().All(l => l.ValueKind == JsonValueKind.String)),
                "meta.contentLanguages: an array of language tags");
            if (Member(m, "sender", JsonValueKind.Object, "meta", problems) is { } sender)
            {
                Require(Text(sender, "id") is { } senderId && Id().IsMatch(senderId), "meta.sender.id: required");
                CheckNames(sender, "meta.sender", problems);
            }
        }

        if (Member(message, "data", JsonValueKind.Object, "$", problems) is not { } data)
        {
            return problems;
        }

        var structures = Member(data, "structures", JsonValueKind.Array, "data", problems)?.EnumerateArray().ToArray() ?? [];
        var dataSets = Member(data, "dataSets", JsonValueKind.Array, "data", problems)?.EnumerateArray().ToArray() ?? [];
        var described = structures.Select((s, i) => CheckStructure(s, $"data.structures[{i}]", problems)).ToArray();
        for (var i = 0; i < dataSets.Length; i++)
        {
            var path = $"data.dataSets[{i}]";
            var dataSet = dataSets[i];
            CheckLinks(dataSet, path, required: true, problems);
            var index = dataSet.TryGetProperty("structure", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 0;
            if (index < 0 || index >= described.Length)
            {
                problems.Add($"{path}.structure: {index} is no structure of the message");
                continue;
            }

            Require(Text(dataSet, "action") is not { } action || Actions.Contains(action), $"{path}.action: one of {string.Join(", ", Actions)}");
            foreach (var member in new[] { "validFrom", "validTo" })
            {
                Require(!dataSet.TryGetProperty(member, out var when) || (when.ValueKind == JsonValueKind.String && DateTime().IsMatch(when.GetString()!)),
                    $"{path}.{member}: a date-time with its time zone");
            }

            CheckPositions(dataSet, described[index], path, problems);
        }

        return problems;
    }

    /// <summary>What a structure presents at each level: per component, how many values it lists.</summary>
    internal sealed record Levels(int[] SeriesDimensions, int[] ObservationDimensions, int[] SeriesAttributes, int[] ObservationAttributes, int Measures);

    private static Levels CheckStructure(JsonElement structure, string path, List<string> problems)
    {
        CheckLinks(structure, path, required: true, problems);
        if (!structure.TryGetProperty("links", out var links) || !links.EnumerateArray().Any(l => Text(l, "rel") is "dataflow" or "datastructure" or "provisionagreement"))
        {
            problems.Add($"{path}.links: at least the link to the dataflow, data structure or provision agreement is required");
        }

        CheckNames(structure, path, problems);
        var dimensions = Member(structure, "dimensions", JsonValueKind.Object, path, problems);
        var keyPositions = new List<int>();
        int[] DimensionLevel(string level)
        {
            if (dimensions is not { } d || !d.TryGetProperty(level, out var list))
            {
                return [];
            }

            return list.EnumerateArray().Select((dimension, i) =>
            {
                var at = $"{path}.dimensions.{level}[{i}]";
                CheckComponent(dimension, at, problems);
                if (dimension.TryGetProperty("keyPosition", out var position) && position.ValueKind == JsonValueKind.Number && position.GetInt32() >= 0)
                {
                    keyPositions.Add(position.GetInt32());
                }
                else
                {
                    problems.Add($"{at}.keyPosition: required, a non-negative integer");
                }

                if (dimension.TryGetProperty("relationship", out _))
                {
                    problems.Add($"{at}.relationship: not for dimensions");
                }

                var count = CheckValues(dimension, at, required: true, problems);
                if (Text(dimension, "id") == "TIME_PERIOD" && dimension.TryGetProperty("values", out var values))
                {
                    foreach (var (value, v) in values.EnumerateArray().Select((value, v) => (value, v)))
                    {
                        foreach (var member in new[] { "start", "end" })
                        {
                            if (Text(value, member) is not { } when || !DateTime().IsMatch(when))
                            {
                                problems.Add($"{at}.values[{v}].{member}: a date-time with its time zone");
                            }
                        }
                    }
                }

                return count;
            }).ToArray();
        }

        var series = DimensionLevel("series");
        var observation = DimensionLevel("observation");
        if (keyPositions.Distinct().Count() != keyPositions.Count)
        {
            problems.Add($"{path}.dimensions: two dimensions at one key position");
        }

        var attributes = structure.TryGetProperty("attributes", out var a) ? a : default;
        int[] AttributeLevel(string level)
        {
            if (attributes.ValueKind != JsonValueKind.Object || !attributes.TryGetProperty(level, out var list))
            {
                return [];
            }

            return list.EnumerateArray().Select((attribute, i) =>
            {
                var at = $"{path}.attributes.{level}[{i}]";
                CheckComponent(attribute, at, problems);
                if (!attribute.TryGetProperty("relationship", out var relationship) || relationship.ValueKind != JsonValueKind.Object
                    || relationship.EnumerateObject().Count(r => Relationships.Contains(r.Name)) != 1)
                {
                    problems.Add($"{at}.relationship: required, one of {string.Join(", ", Relationships)}");
                }
                else if (relationship.TryGetProperty("observation", out var empty) && (empty.ValueKind != JsonValueKind.Object || empty.EnumerateObject().Any()))
                {
                    problems.Add($"{at}.relationship.observation: an empty object");
                }

                if (attribute.TryGetProperty("keyPosition", out _))
                {
                    problems.Add($"{at}.keyPosition: only for dimensions");
                }

                return CheckValues(attribute, at, required: false, problems);
            }).ToArray();
        }

        var measures = structure.TryGetProperty("measures", out var m) && m.TryGetProperty("observation", out var list) ? list.GetArrayLength() : 0;
        if (structure.TryGetProperty("measures", out var declared) && declared.TryGetProperty("observation", out var measureList))
        {
            foreach (var (measure, i) in measureList.EnumerateArray().Select((measure, i) => (measure, i)))
            {
                CheckComponent(measure, $"{path}.measures.observation[{i}]", problems);
            }
        }

        return new Levels(series, observation, AttributeLevel("series"), AttributeLevel("observation"), measures);
    }

    private static void CheckComponent(JsonElement component, string path, List<string> problems)
    {
        if (Text(component, "id") is not { } id || !ComponentId().IsMatch(id))
        {
            problems.Add($"{path}.id: required, an id starting with a letter");
        }

        CheckNames(component, path, problems);
    }

    /// <summary>A component's values: how many; none listed is only allowed where <paramref name="required"/> is false, and then without the member.</summary>
    private static int CheckValues(JsonElement component, string path, bool required, List<string> problems)
    {
        if (!component.TryGetProperty("values", out var values))
        {
            if (required)
            {
                problems.Add($"{path}.values: required");
            }

            return 0;
        }

        if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
        {
            problems.Add($"{path}.values: an array of at least one value");
            return 0;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (value, i) in values.EnumerateArray().Select((value, i) => (value, i)))
        {
            var at = $"{path}.values[{i}]";
            var coded = value.TryGetProperty("id", out var id);
            var uncoded = value.TryGetProperty("value", out _);
            if (coded == uncoded)
            {
                problems.Add($"{at}: either id and name (coded) or value (not coded), not both, not neither");
            }

            if (coded && (id.ValueKind != JsonValueKind.String || !Id().IsMatch(id.GetString()!) || Text(value, "name") is null))
            {
                problems.Add($"{at}: a coded value needs an id of letters, digits, _@$- and a name");
            }

            CheckNames(value, at, problems);
            if (!seen.Add(value.GetRawText()))
            {
                problems.Add($"{at}: listed twice");
            }
        }

        return values.GetArrayLength();
    }

    /// <summary>Every series and observation key, and every attribute position, resolves to a listed value.</summary>
    private static void CheckPositions(JsonElement dataSet, Levels levels, string path, List<string> problems)
    {
        void CheckKey(string key, int[] counts, string at)
        {
            if (!Key().IsMatch(key))
            {
                problems.Add($"{at}: key '{key}' is not positions separated by ':'");
                return;
            }

            var parts = key.Split(':').Select(int.Parse).ToArray();
            if (parts.Length != counts.Length || parts.Where((p, i) => p >= counts[i]).Any())
            {
                problems.Add($"{at}: key '{key}' does not resolve against {counts.Length} dimensions with [{string.Join(",", counts)}] values");
            }
        }

        void CheckAttributes(JsonElement cells, int skip, int[] counts, string at)
        {
            var positions = cells.EnumerateArray().Skip(skip).ToArray();
            if (positions.Length != counts.Length)
            {
                problems.Add($"{at}: {positions.Length} attribute positions for {counts.Length} attributes");
                return;
            }

            for (var a = 0; a < positions.Length; a++)
            {
                if (positions[a].ValueKind != JsonValueKind.Null && (positions[a].ValueKind != JsonValueKind.Number || positions[a].GetInt32() >= counts[a]))
                {
                    problems.Add($"{at}: attribute {a} at position {positions[a]} of {counts[a]} values");
                }
            }
        }

        void CheckObservations(JsonElement observations, string at)
        {
            foreach (var observation in observations.EnumerateObject())
            {
                CheckKey(observation.Name, levels.ObservationDimensions, $"{at}.{observation.Name}");
                if (observation.Value.ValueKind != JsonValueKind.Array || observation.Value.GetArrayLength() < levels.Measures)
                {
                    problems.Add($"{at}.{observation.Name}: an array of the measures then the attribute positions");
                    continue;
                }

                CheckAttributes(observation.Value, levels.Measures, levels.ObservationAttributes, $"{at}.{observation.Name}");
            }
        }

        if (dataSet.TryGetProperty("series", out var series))
        {
            foreach (var one in series.EnumerateObject())
            {
                var at = $"{path}.series.{one.Name}";
                CheckKey(one.Name, levels.SeriesDimensions, at);
                if (one.Value.TryGetProperty("attributes", out var attributes))
                {
                    CheckAttributes(attributes, 0, levels.SeriesAttributes, $"{at}.attributes");
                }

                if (one.Value.TryGetProperty("observations", out var observations))
                {
                    CheckObservations(observations, $"{at}.observations");
                }
            }
        }

        if (dataSet.TryGetProperty("observations", out var flat))
        {
            CheckObservations(flat, $"{path}.observations");
        }
    }

    private static void CheckLinks(JsonElement owner, string path, bool required, List<string> problems)
    {
        if (!owner.TryGetProperty("links", out var links))
        {
            if (required)
            {
                problems.Add($"{path}.links: required");
            }

            return;
        }

        foreach (var (link, i) in links.EnumerateArray().Select((link, i) => (link, i)))
        {
            if (Text(link, "rel") is null || (Text(link, "href") is null && Text(link, "urn") is null))
            {
                problems.Add($"{path}.links[{i}]: rel and href or urn");
            }
        }
    }

    /// <summary>A best-language <c>name</c> comes with its <c>names</c> by language tag (and so for descriptions).</summary>
    private static void CheckNames(JsonElement owner, string path, List<string> problems)
    {
        foreach (var member in new[] { "name", "description" })
        {
            if (Text(owner, member) is not { } text)
            {
                continue;
            }

            if (!owner.TryGetProperty(member + "s", out var localised) || localised.ValueKind != JsonValueKind.Object
                || !localised.EnumerateObject().Any(l => l.Value.ValueKind == JsonValueKind.String && l.Value.GetString() == text))
            {
                problems.Add($"{path}.{member}s: the {member} by language, with the {member} in one of them");
            }
        }
    }

    private static JsonElement? Member(JsonElement owner, string name, JsonValueKind kind, string path, List<string> problems)
    {
        if (owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var member) && member.ValueKind == kind)
        {
            return member;
        }

        problems.Add($"{path}.{name}: required, {kind.ToString().ToLowerInvariant()}");
        return null;
    }

    private static string? Text(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
