using System.Text.Json;
using System.Text.Json.Nodes;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Messages;

namespace Lmis.Statistics.Tests.Sdmx.Messages;

public sealed class SdmxJsonMessageTests
{
    private static readonly DataMessageOptions Full = DataMessageOptions.Default with { Prepared = SampleMessages.Prepared };

    [Fact]
    public async Task Every_built_in_dataflow_in_every_shape_a_query_can_ask_for_keeps_the_rules_of_sdmx_json_2()
    {
        var checkedMessages = 0;
        var problems = new List<string>();
        foreach (var structure in BuiltInDataflows.All)
        {
            foreach (var options in SampleMessages.AllOptions().Where(o => o.Labels == Labels.Id))
            {
                if (!DataMessageFormats.CanWrite(DataMessageFormats.SdmxJson20, options, out _))
                {
                    continue;
                }

                foreach (var observations in new[] { SampleMessages.Observations(structure, options.IncludeHistory), [] })
                {
                    using var json = JsonDocument.Parse(await SampleMessages.WriteAsync(DataMessageFormats.SdmxJson20, structure, observations, options));
                    problems.AddRange(SdmxJsonChecker.Problems(json.RootElement).Select(p => $"{structure.Id} {options} ({observations.Count}): {p}"));
                    checkedMessages++;
                }
            }
        }

        Assert.Empty(problems);
        Assert.Equal(BuiltInDataflows.All.Count * 2 * 12, checkedMessages);
    }

    [Theory]
    [InlineData(DataStructure.TimeDimension, false)]
    [InlineData(DataStructure.TimeDimension, true)]
    [InlineData(DataMessageOptions.AllDimensions, false)]
    [InlineData(DataMessageOptions.AllDimensions, true)]
    public async Task Every_figure_of_every_dataflow_resolves_back_from_its_positions(string atObservation, bool history)
    {
        foreach (var structure in BuiltInDataflows.All)
        {
            var observations = SampleMessages.Observations(structure, history);
            var options = Full with { DimensionAtObservation = atObservation, IncludeHistory = history };

            using var json = JsonDocument.Parse(await SampleMessages.WriteAsync(DataMessageFormats.SdmxJson20, structure, observations, options));

            Assert.Equal(observations.Select(o => SampleMessages.Describe(o, history)).Order(), Resolve(structure, json.RootElement).Order());
        }
    }

    [Fact]
    public async Task History_is_one_data_set_per_vintage_valid_from_when_it_was_recorded_until_it_was_superseded()
    {
        var structure = BuiltInDataflows.UnemploymentRate;

        using var json = JsonDocument.Parse(await SampleMessages.WriteAsync(DataMessageFormats.SdmxJson20, structure,
            SampleMessages.Observations(structure, history: true), Full with { IncludeHistory = true }));

        var dataSets = json.RootElement.GetProperty("data").GetProperty("dataSets").EnumerateArray()
            .Select(d => (From: d.GetProperty("validFrom").GetString(), To: d.TryGetProperty("validTo", out var to) ? to.GetString() : null))
            .ToArray();
        Assert.Equal(
            [("2025-03-01T09:30:00Z", "2026-02-01T08:00:00Z"), ("2025-03-01T09:30:00Z", null), ("2026-02-01T08:00:00Z", null)],
            dataSets);
    }

    [Fact]
    public async Task Time_values_have_an_id_and_start_and_end_in_utc()
    {
        var structure = BuiltInDataflows.UnemploymentRate;
        var quarter = new Observation(structure, ["MEX", "Q", "SEX_T", "AGE_YTHADULT_YGE15"], TimePeriod.Parse("2024-Q2"), 3.1m, ["PT", null, null, null]);

        using var json = JsonDocument.Parse(await SampleMessages.WriteAsync(DataMessageFormats.SdmxJson20, structure, [quarter], Full));

        var time = json.RootElement.GetProperty("data").GetProperty("structures")[0].GetProperty("dimensions").GetProperty("observation")[0];
        var value = Assert.Single(time.GetProperty("values").EnumerateArray());
        Assert.Equal(("2024-Q2", "2024-04-01T00:00:00Z", "2024-06-30T23:59:59Z"),
            (value.GetProperty("id").GetString(), value.GetProperty("start").GetString(), value.GetProperty("end").GetString()));
        Assert.False(value.TryGetProperty("value", out _));
    }

    [Fact]
    public async Task Dataonly_has_no_attributes_serieskeysonly_no_observations_and_nodata_the_attributes_a_whole_series_shares()
    {
        var structure = BuiltInDataflows.RemittanceInflows;
        var observations = SampleMessages.Observations(structure);

        async Task<JsonElement> Write(DataDetail detail) =>
            JsonDocument.Parse(await SampleMessages.WriteAsync(DataMessageFormats.SdmxJson20, structure, observations, Full with { Detail = detail })).RootElement;

        var dataOnly = (await Write(DataDetail.DataOnly)).GetProperty("data");
        Assert.Empty(dataOnly.GetProperty("structures")[0].GetProperty("attributes").EnumerateObject());
        Assert.All(dataOnly.GetProperty("dataSets")[0].GetProperty("series").EnumerateObject(),
            s => Assert.All(s.Value.GetProperty("observations").EnumerateObject(), o => Assert.Equal(1, o.Value.GetArrayLength())));

        var keys = (await Write(DataDetail.SeriesKeysOnly)).GetProperty("data");
        Assert.Equal(observations.Select(o => o.SeriesKey).Distinct().Count(), keys.GetProperty("dataSets")[0].GetProperty("series").EnumerateObject().Count());
        Assert.All(keys.GetProperty("dataSets")[0].GetProperty("series").EnumerateObject(), s => Assert.Empty(s.Value.EnumerateObject()));
        Assert.Empty(keys.GetProperty("structures")[0].GetProperty("dimensions").GetProperty("observation").EnumerateArray());

        var noData = (await Write(DataDetail.NoData)).GetProperty("data");
        var seriesAttributes = noData.GetProperty("structures")[0].GetProperty("attributes").GetProperty("series").EnumerateArray().ToArray();
        foreach (var series in noData.GetProperty("dataSets")[0].GetProperty("series").EnumerateObject())
        {
            Assert.False(series.Value.TryGetProperty("observations", out _));
            var positions = series.Value.GetProperty("attributes").EnumerateArray().ToArray();
            var currency = seriesAttributes[0].GetProperty("values")[positions[0].GetInt32()].GetProperty("id").GetString();
            Assert.Equal("USD", currency);
            Assert.Equal(JsonValueKind.Null, positions[3].ValueKind); // notes differ between the observations of a series
        }
    }

    [Fact]
    public async Task The_checker_finds_what_sdmx_tools_trip_over()
    {
        var structure = BuiltInDataflows.UnemploymentRate;
        var written = await SampleMessages.WriteAsync(DataMessageFormats.SdmxJson20, structure, SampleMessages.Observations(structure), Full);
        Assert.Empty(SdmxJsonChecker.Problems(JsonDocument.Parse(written).RootElement));

        List<string> ProblemsAfter(Action<JsonNode> spoil)
        {
            var message = JsonNode.Parse(written)!;
            spoil(message);
            return SdmxJsonChecker.Problems(JsonDocument.Parse(message.ToJsonString()).RootElement);
        }

        var described = (JsonNode m) => m["data"]!["structures"]![0]!;
        Assert.Contains(ProblemsAfter(m => described(m)["attributes"]!["observation"]![0]!.AsObject().Remove("relationship")), p => p.Contains("relationship", StringComparison.Ordinal));
        Assert.Contains(ProblemsAfter(m => m["meta"]!["prepared"] = "2026-11-23T12:00:00"), p => p.StartsWith("meta.prepared", StringComparison.Ordinal));
        Assert.Contains(ProblemsAfter(m => described(m)["dimensions"]!["series"]![0]!["values"] = new JsonArray()), p => p.Contains("at least one value", StringComparison.Ordinal));
        Assert.Contains(ProblemsAfter(m => described(m)["dimensions"]!["series"]![0]!["values"]!.AsArray().RemoveAt(1)), p => p.Contains("does not resolve", StringComparison.Ordinal));
        Assert.Contains(ProblemsAfter(m => described(m)["names"] = null), p => p.Contains("names", StringComparison.Ordinal));
        Assert.Contains(ProblemsAfter(m => m["data"]!["dataSets"]![0]!.AsObject().Remove("links")), p => p.EndsWith("links: required", StringComparison.Ordinal));
        Assert.Contains(ProblemsAfter(m => described(m)["dimensions"]!["observation"]![0]!["values"]![0]!["value"] = "2023"), p => p.Contains("not both", StringComparison.Ordinal));
    }

    /// <summary>Every observation of an SDMX-JSON message, described from its positions and the structure's values.</summary>
    private static List<string> Resolve(DataStructure structure, JsonElement message)
    {
        var data = message.GetProperty("data");
        var described = data.GetProperty("structures")[0];
        var dimensions = described.GetProperty("dimensions");
        JsonElement[] Level(JsonElement owner, string level) => owner.TryGetProperty(level, out var list) ? [.. list.EnumerateArray()] : [];
        var seriesDimensions = Level(dimensions, "series");
        var observationDimensions = Level(dimensions, "observation");
        var attributes = Level(described.GetProperty("attributes"), "observation");
        var history = data.GetProperty("dataSets")[0].TryGetProperty("validFrom", out _);
        var resolved = new List<string>();
        foreach (var dataSet in data.GetProperty("dataSets").EnumerateArray())
        {
            var validity = history
                ? SampleMessages.Validity(dataSet.GetProperty("validFrom").GetString(), dataSet.TryGetProperty("validTo", out var to) ? to.GetString() : null)
                : string.Empty;
            void Observations(JsonElement observations, Dictionary<string, string> seriesKey)
            {
                foreach (var observation in observations.EnumerateObject())
                {
                    var key = new Dictionary<string, string>(seriesKey);
                    Place(key, observationDimensions, observation.Name);
                    var cells = observation.Value.EnumerateArray().ToArray();
                    var value = cells[0].ValueKind == JsonValueKind.Null ? "-" : cells[0].GetDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var attributeValues = structure.Attributes.Select(a =>
                    {
                        var index = Array.FindIndex(attributes, d => d.GetProperty("id").GetString() == a.Id);
                        if (cells[1 + index].ValueKind == JsonValueKind.Null)
                        {
                            return "-";
                        }

                        var v = attributes[index].GetProperty("values")[cells[1 + index].GetInt32()];
                        return v.TryGetProperty("id", out var id) ? id.GetString()! : v.GetProperty("value").GetString()!;
                    });
                    var seriesKeyText = string.Join('.', structure.Dimensions.Select(d => key[d.Id]));
                    resolved.Add($"{structure.Reference} {seriesKeyText} {key[DataStructure.TimeDimension]} {value} [{string.Join("|", attributeValues)}]{validity}");
                }
            }

            if (dataSet.TryGetProperty("series", out var series))
            {
                foreach (var one in series.EnumerateObject())
                {
                    var key = new Dictionary<string, string>();
                    Place(key, seriesDimensions, one.Name);
                    Observations(one.Value.GetProperty("observations"), key);
                }
            }
            else
            {
                Observations(dataSet.GetProperty("observations"), []);
            }
        }

        return resolved;
    }

    private static void Place(Dictionary<string, string> key, JsonElement[] dimensions, string positions)
    {
        var parts = positions.Split(':');
        for (var i = 0; i < parts.Length; i++)
        {
            key[dimensions[i].GetProperty("id").GetString()!] =
                dimensions[i].GetProperty("values")[int.Parse(parts[i], System.Globalization.CultureInfo.InvariantCulture)].GetProperty("id").GetString()!;
        }
    }
}
