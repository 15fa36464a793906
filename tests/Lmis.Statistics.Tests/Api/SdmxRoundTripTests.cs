using System.Net;
using CsCheck;
using Lmis.BuildingBlocks.Codes;
using Lmis.BuildingBlocks.Errors;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Tests.Sdmx;

namespace Lmis.Statistics.Tests.Api;

/// <summary>
/// Nothing silently lost: rows a broken quote would have swallowed are read, and what LMIS exports in a machine
/// format reads back as the same figures.
/// </summary>
public sealed class SdmxRoundTripTests(StatisticsInProcess service) : IClassFixture<StatisticsInProcess>
{
    private const string Header = "DATAFLOW,REF_AREA,FREQ,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";

    private static string Row(string country, string period, string value, string note) =>
        $"RCM:DF_VAC_OCU(1.0),{country},Q,OCU_ISCO08_2221,{period},{value},NB,0,A,{note}";

    [Fact]
    public async Task A_row_after_an_unclosed_quote_is_stored_and_the_row_with_the_quote_is_refused_where_it_opens()
    {
        var bad = Row("BLZ", "2026-Q1", "10", "\"never closed");
        var (status, body) = await service.UploadAsync("BLZ", Header + bad + "\n" + Row("BLZ", "2026-Q2", "12", "fine") + "\n");

        var stored = await SdmxFiles.ObservationsAsync(await service.ExportAsync("/sdmx/data/DF_VAC_OCU/BLZ.."));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((2, 1, 1), (body!.Value.GetProperty("received").GetInt32(), body.Value.GetProperty("added").GetInt32(), body.Value.GetProperty("rejected").GetInt32()));
        Assert.Equal(
            [new FieldError("line 2, NOTE", "\"never closed", $"character {bad.IndexOf('"', StringComparison.Ordinal) + 1}: a quote opens here and is not closed before line 3, which starts a row (RCM:DF_VAC_OCU(1.0),…)")],
            StatisticsInProcess.Errors(body.Value));
        Assert.Equal([("2026-Q2", 12m, "fine")], stored.Select(o => (o.Period.ToString(), o.Value!.Value, o.Attribute("NOTE"))));
    }

    [Fact]
    public async Task Two_unclosed_quotes_between_good_rows_refuse_the_two_bad_rows_and_store_both_good_ones()
    {
        var csv = Header
            + Row("CRI", "2026-Q1", "10", "\"first never closed") + "\n"
            + Row("CRI", "2026-Q2", "11", "good one") + "\n"
            + Row("CRI", "2026-Q3", "12", "\"second never closed") + "\n"
            + Row("CRI", "2026-Q4", "13", "good two") + "\n";

        var (status, body) = await service.UploadAsync("CRI", csv);
        var stored = await SdmxFiles.ObservationsAsync(await service.ExportAsync("/sdmx/data/DF_VAC_OCU/CRI.."));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((4, 2, 2), (body!.Value.GetProperty("received").GetInt32(), body.Value.GetProperty("added").GetInt32(), body.Value.GetProperty("rejected").GetInt32()));
        Assert.Equal(["line 2, NOTE", "line 4, NOTE"], StatisticsInProcess.Errors(body.Value).Select(e => e.Field));
        Assert.All(StatisticsInProcess.Errors(body.Value), e => Assert.EndsWith("which starts a row (RCM:DF_VAC_OCU(1.0),…)", e.Reason, StringComparison.Ordinal));
        Assert.Equal([("2026-Q2", "good one"), ("2026-Q4", "good two")], stored.Select(o => (o.Period.ToString(), o.Attribute("NOTE"))));
    }

    [Fact]
    public async Task A_note_that_looks_like_a_formula_reads_back_unchanged_from_the_sdmx_csv_export()
    {
        var (first, _) = await service.UploadAsync("DOM", Header + Row("DOM", "2026-Q1", "40", "=SUM(A1:A2)") + "\n");
        var export = await service.ExportAsync("/sdmx/data/DF_VAC_OCU/DOM..");
        var (again, body) = await service.UploadAsync("DOM", export);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first, again));
        Assert.Contains(",=SUM(A1:A2)\r\n", export, StringComparison.Ordinal);
        Assert.Equal((0, 0, 1), (body!.Value.GetProperty("added").GetInt32(), body.Value.GetProperty("revised").GetInt32(), body.Value.GetProperty("unchanged").GetInt32()));
    }

    /// <summary>Dataflows whose codes need no taxonomy (no occupation), for random valid figures of one member state.</summary>
    private static readonly DataStructure[] WithoutOccupations = [BuiltInDataflows.UnemploymentRate, BuiltInDataflows.MigrantWorkerStock, BuiltInDataflows.RemittanceInflows];

    private static readonly Gen<(string Publisher, DataStructure Structure, Observation[] Observations)> OnePublisher =
        Gen.Select(Gen.OneOf("MEX", "GTM", "HND", "SLV", "NIC", "PAN", "USA", "CAN"), Gen.OneOf(WithoutOccupations)).SelectMany((publisher, structure) =>
            SdmxCsvProperties.ObservationOf(structure).Array[1, 15].Select(observations => (publisher, structure, observations
                .Select(o => new Observation(structure, [publisher, .. o.Key.Skip(1)], o.Period, o.Value, [.. o.Attributes]))
                .DistinctBy(o => (o.SeriesKey, o.Period)).ToArray())));

    [Fact]
    public Task Random_valid_figures_exported_as_sdmx_csv_upload_again_as_unchanged_every_row() =>
        Lmis.Testing.Properties.HoldAsync(OnePublisher, async upload =>
        {
            var (status, body) = await service.UploadAsync(upload.Publisher, await SdmxFiles.WriteSdmxCsvAsync(upload.Structure, upload.Observations));
            Assert.True(status == HttpStatusCode.OK && body!.Value.GetProperty("rejected").GetInt32() == 0, body?.ToString());

            var export = await service.ExportAsync($"/sdmx/data/{upload.Structure.Id}/{upload.Publisher}{new string('.', upload.Structure.Dimensions.Count - 1)}");
            var (again, answer) = await service.UploadAsync(upload.Publisher, export);

            // Counted as CSV records: a NOTE may hold line breaks inside its quotes.
            var rows = Records(export);
            Assert.Equal(HttpStatusCode.OK, again);
            Assert.Equal((rows, 0, 0, rows, 0), (answer!.Value.GetProperty("received").GetInt32(), answer.Value.GetProperty("added").GetInt32(),
                answer.Value.GetProperty("revised").GetInt32(), answer.Value.GetProperty("unchanged").GetInt32(), answer.Value.GetProperty("rejected").GetInt32()));
        }, iter: 60);

    private static int Records(string csv)
    {
        using var reader = new CsvHelper.CsvReader(new StringReader(csv), System.Globalization.CultureInfo.InvariantCulture);
        reader.Read();
        reader.ReadHeader();
        var records = 0;
        while (reader.Read())
        {
            records++;
        }

        return records;
    }

    [Fact]
    public void The_built_in_ISO_4217_list_has_every_currency_once()
    {
        Assert.Equal(181, Currencies.All.Count);
        Assert.Equal(Currencies.All.Count, Currencies.All.Select(c => c.Alpha3).Distinct().Count());
        Assert.Equal(("Mexican Peso", "484"), (Currencies.Find("MXN")!.Name, Currencies.Find("MXN")!.Numeric));
        Assert.Equal([true, false, false, false, false], new[] { "USD", "XXX", "XTS", "ZZZ", "usd" }.Select(c => Currencies.Find(c)?.IsMoney == true));
    }
}
