using System.Text.Json;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Tests.Sdmx.Messages;

namespace Lmis.Statistics.Tests.Sdmx;

public sealed class SdmxWriterTests
{
    private static Observation Remittance(string origin, string period, decimal? value, string? note = null, string? status = null) =>
        new(BuiltInDataflows.RemittanceInflows, ["GTM", origin, "A"], TimePeriod.Parse(period), value, ["USD", "6", status, note]);

    private static readonly Observation[] FormulaLikeNotes =
    [
        Remittance("MEX", "2023", 1.5m, "=HYPERLINK(\"http://example.org\",\"click\")"),
        Remittance("USA", "2023", 19804.2m, "@SUM(A1:A2)"),
        Remittance("USA", "2024", 20100m, "-2+3"),
    ];

    [Fact]
    public async Task The_plain_csv_for_spreadsheets_escapes_cells_a_spreadsheet_would_run_but_negative_figures_stay_numbers()
    {
        var csv = await SdmxFiles.WritePlainCsvAsync(BuiltInDataflows.RemittanceInflows,
            [.. FormulaLikeNotes, Remittance("HND", "2023", -1.5m)]);

        Assert.Equal(
            "Reference area,Sending country,Frequency,Time period,Value,Currency,Unit multiplier,Observation status,Note\r\n"
            + "GTM,MEX,Annual,2023,1.5,USD,Millions,,\"'=HYPERLINK(\"\"http://example.org\"\",\"\"click\"\")\"\r\n"
            + "GTM,USA,Annual,2023,19804.2,USD,Millions,,\"'@SUM(A1:A2)\"\r\n"
            + "GTM,USA,Annual,2024,20100,USD,Millions,,\"'-2+3\"\r\n"
            + "GTM,HND,Annual,2023,-1.5,USD,Millions,,\r\n",
            csv);
    }

    [Fact]
    public async Task Sdmx_csv_is_a_machine_format_and_keeps_every_note_exactly_as_held()
    {
        var csv = await SdmxFiles.WriteSdmxCsvAsync(BuiltInDataflows.RemittanceInflows, FormulaLikeNotes);
        var (_, rows) = await SdmxFiles.ReadAsync(csv);

        Assert.Equal(
            "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,COUNTERPART_AREA,FREQ,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\r\n"
            + "dataflow,RCM:DF_REM_IN(1.0),I,GTM,MEX,A,2023,1.5,USD,6,,\"=HYPERLINK(\"\"http://example.org\"\",\"\"click\"\")\"\r\n"
            + "dataflow,RCM:DF_REM_IN(1.0),I,GTM,USA,A,2023,19804.2,USD,6,,@SUM(A1:A2)\r\n"
            + "dataflow,RCM:DF_REM_IN(1.0),I,GTM,USA,A,2024,20100,USD,6,,-2+3\r\n",
            csv);
        Assert.Equal(FormulaLikeNotes.Select(o => o.Attribute("NOTE")), rows.Select(r => r.Observation!.Attribute("NOTE")));
    }

    [Fact]
    public async Task The_plain_csv_names_columns_and_codes_in_words()
    {
        var observations = await SdmxFiles.ObservationsAsync(
            "DATAFLOW,REF_AREA,FREQ,SEX,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS\n"
            + "RCM:DF_EMP_OCU(1.0),CRI,A,SEX_F,OCU_ISCO08_2221,2023,21.4,PS,3,E\n");

        var csv = await SdmxFiles.WritePlainCsvAsync(BuiltInDataflows.EmploymentByOccupation, observations);

        Assert.Equal(
            "Reference area,Frequency,Sex,Occupation (ISCO-08),Time period,Value,Unit of measure,Unit multiplier,Observation status,Note\r\n"
            + "CRI,Annual,Female,OCU_ISCO08_2221,2023,21.4,Persons,Thousands,Estimated value,\r\n",
            csv);
    }

    [Fact]
    public async Task Sdmx_json_positions_resolve_back_to_every_observation()
    {
        var observations = SdmxFiles.Sorted(await SdmxFiles.ObservationsAsync(SdmxFiles.Fixture("unemployment-rates.sdmx-v1.csv")));
        var structure = BuiltInDataflows.UnemploymentRate;

        using var json = JsonDocument.Parse(await SdmxFiles.WriteJsonAsync(structure, observations));

        var root = json.RootElement;
        Assert.Equal(SdmxJsonWriter.Schema, root.GetProperty("meta").GetProperty("schema").GetString());
        Assert.Equal("RCM", root.GetProperty("meta").GetProperty("sender").GetProperty("id").GetString());
        Assert.Equal("2024-05-01T12:00:00Z", root.GetProperty("meta").GetProperty("prepared").GetString());
        var data = root.GetProperty("data");
        var described = data.GetProperty("structures")[0];
        Assert.Contains(described.GetProperty("links").EnumerateArray(), link => link.GetProperty("rel").GetString() == "dataflow"
            && link.GetProperty("urn").GetString() == "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=RCM:DF_UNE_RT(1.0)");
        var seriesDimensions = described.GetProperty("dimensions").GetProperty("series").EnumerateArray().ToArray();
        Assert.Equal(["REF_AREA", "FREQ", "SEX", "AGE"], seriesDimensions.Select(d => d.GetProperty("id").GetString()));
        Assert.Equal([0, 1, 2, 3], seriesDimensions.Select(d => d.GetProperty("keyPosition").GetInt32()));
        var time = Assert.Single(described.GetProperty("dimensions").GetProperty("observation").EnumerateArray());
        Assert.Equal("TIME_PERIOD", time.GetProperty("id").GetString());
        var periods = time.GetProperty("values").EnumerateArray().ToArray();
        var attributes = described.GetProperty("attributes").GetProperty("observation").EnumerateArray().ToArray();
        Assert.Equal(["UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "NOTE"], attributes.Select(a => a.GetProperty("id").GetString()));
        Assert.Contains(attributes[2].GetProperty("values").EnumerateArray(),
            v => v.GetProperty("id").GetString() == "E" && v.GetProperty("name").GetString() == "Estimated value");

        var dataSet = Assert.Single(data.GetProperty("dataSets").EnumerateArray());
        Assert.Equal(0, dataSet.GetProperty("structure").GetInt32());
        var resolved = new List<string>();
        foreach (var series in dataSet.GetProperty("series").EnumerateObject())
        {
            var key = series.Name.Split(':').Select((position, d) =>
                seriesDimensions[d].GetProperty("values")[int.Parse(position, System.Globalization.CultureInfo.InvariantCulture)].GetProperty("id").GetString()!);
            foreach (var observation in series.Value.GetProperty("observations").EnumerateObject())
            {
                var period = periods[int.Parse(observation.Name, System.Globalization.CultureInfo.InvariantCulture)];
                var cells = observation.Value.EnumerateArray().ToArray();
                var value = cells[0].ValueKind == JsonValueKind.Null ? "-" : cells[0].GetDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture);
                var attributeValues = cells.Skip(1).Select((cell, a) => cell.ValueKind == JsonValueKind.Null
                    ? "-"
                    : attributes[a].GetProperty("values")[cell.GetInt32()] is var v && v.TryGetProperty("id", out var id) ? id.GetString()! : v.GetProperty("value").GetString()!);
                Assert.Equal(period.GetProperty("start").GetString(), TimePeriod.Parse(period.GetProperty("id").GetString()!).Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T00:00:00Z");
                resolved.Add($"{structure.Reference} {string.Join('.', key)} {period.GetProperty("id").GetString()} {value} [{string.Join("|", attributeValues)}]");
            }
        }

        Assert.Equal(observations.Select(SdmxFiles.Describe), resolved);
    }

    [Fact]
    public async Task Sdmx_json_refuses_observations_out_of_order()
    {
        var structure = BuiltInDataflows.RemittanceInflows;

        var unsortedSeries = await Assert.ThrowsAsync<InvalidOperationException>(() => SdmxFiles.WriteJsonAsync(structure,
            [Remittance("MEX", "2023", 1m), Remittance("USA", "2023", 2m), Remittance("MEX", "2024", 3m)]));
        var repeatedPeriod = await Assert.ThrowsAsync<InvalidOperationException>(() => SdmxFiles.WriteJsonAsync(structure,
            [Remittance("MEX", "2023", 1m), Remittance("MEX", "2023", 2m)]));

        Assert.Equal("series GTM.MEX.A comes again after others: observations must be sorted by series key", unsortedSeries.Message);
        Assert.Equal("series GTM.MEX.A: 2023 after 2023: periods must be in order, each once", repeatedPeriod.Message);
    }

    [Fact]
    public async Task An_empty_export_is_a_valid_message_with_one_empty_data_set_and_no_empty_lists_of_values()
    {
        using var json = JsonDocument.Parse(await SdmxFiles.WriteJsonAsync(BuiltInDataflows.MigrantWorkerStock, []));

        var data = json.RootElement.GetProperty("data");
        Assert.Empty(data.GetProperty("dataSets")[0].GetProperty("series").EnumerateObject());
        // The schema wants at least one value for a dimension: one with none in the message is not listed.
        Assert.Empty(data.GetProperty("structures")[0].GetProperty("dimensions").GetProperty("series").EnumerateArray());
        Assert.Empty(SdmxJsonChecker.Problems(json.RootElement));
    }

    [Fact]
    public void Every_built_in_dataflow_is_described_and_keyed_by_area_and_frequency()
    {
        Assert.Equal(BuiltInDataflows.All.Count, BuiltInDataflows.All.Select(s => s.Reference).Distinct().Count());
        Assert.All(BuiltInDataflows.All, s =>
        {
            Assert.Equal("RCM", s.Agency);
            Assert.Equal("1.0", s.Version);
            Assert.Contains("Unit", s.Description, StringComparison.Ordinal);
            Assert.Equal(0, s.DimensionIndex("REF_AREA"));
            Assert.True(s.DimensionIndex("FREQ") >= 0);
            Assert.True(s.AttributeIndex("UNIT_MEASURE") >= 0);
            Assert.Same(s, BuiltInDataflows.Find(s.Reference));
        });
    }
}
