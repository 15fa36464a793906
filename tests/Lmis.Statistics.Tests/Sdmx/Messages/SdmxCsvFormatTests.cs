using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Messages;

namespace Lmis.Statistics.Tests.Sdmx.Messages;

public sealed class SdmxCsvFormatTests
{
    [Fact]
    public async Task Sdmx_csv_1_of_every_built_in_dataflow_reads_back_as_the_same_observations()
    {
        foreach (var structure in BuiltInDataflows.All)
        {
            var observations = SampleMessages.Observations(structure);

            var csv = await SampleMessages.WriteAsync(DataMessageFormats.SdmxCsv10, structure, observations, DataMessageOptions.Default);

            Assert.StartsWith($"DATAFLOW,{string.Join(',', structure.Dimensions.Select(d => d.Id))},TIME_PERIOD,OBS_VALUE,", csv, StringComparison.Ordinal);
            Assert.StartsWith($"{structure.Reference},", csv.Split("\r\n")[1], StringComparison.Ordinal);
            var (reader, rows) = await SdmxFiles.ReadAsync(csv);
            Assert.Equal(SdmxCsvVersion.V1, reader.Version);
            Assert.All(rows, r => Assert.True(r.IsValid, $"line {r.Line}: {string.Join("; ", r.Errors)}"));
            Assert.Equal(observations.Select(SdmxFiles.Describe), rows.Select(r => SdmxFiles.Describe(r.Observation!)));
        }
    }

    [Theory]
    [InlineData("sdmx-csv-1.0")]
    [InlineData("csvfilewithlabels")]
    public async Task Labels_both_write_codes_with_their_names_and_still_read_back_the_same(string alias)
    {
        var structure = BuiltInDataflows.UnemploymentRate;
        var observations = SampleMessages.Observations(structure);
        var kind = Assert.Single(DataMessageFormats.Offered, k => k.Aliases.Contains(alias));

        var csv = await SampleMessages.WriteAsync(kind, structure, observations, DataMessageOptions.Default with { Labels = Labels.Both });

        var lines = csv.Split("\r\n");
        Assert.Contains("REF_AREA: Reference area,FREQ: Frequency,SEX: Sex,AGE: Age,TIME_PERIOD: Time period,OBS_VALUE: Observation value,UNIT_MEASURE: Unit of measure", lines[0], StringComparison.Ordinal);
        Assert.Contains(",GTM,A: Annual,SEX_M: Male,AGE_YTHADULT_Y15-24: 15-24,2023,", lines[1], StringComparison.Ordinal); // a member state has no name here
        var (_, rows) = await SdmxFiles.ReadAsync(csv);
        Assert.Equal(observations.Select(SdmxFiles.Describe), rows.Select(r => SdmxFiles.Describe(r.Observation!)));
    }

    [Fact]
    public async Task Labels_name_write_names_for_people_who_do_not_read_codes()
    {
        var structure = BuiltInDataflows.UnemploymentRate;

        var csv = await SampleMessages.WriteAsync(DataMessageFormats.SdmxCsv20, structure, SampleMessages.Observations(structure).Take(1),
            DataMessageOptions.Default with { Labels = Labels.Name });

        Assert.Equal(
            "STRUCTURE,STRUCTURE_ID,ACTION,Reference area,Frequency,Sex,Age,Time period,Observation value,Unit of measure,Unit multiplier,Observation status,Note\r\n"
            + "dataflow,RCM:DF_UNE_RT(1.0),I,GTM,Annual,Male,15-24,2023,10,Percentage,Units,,\r\n",
            csv);
    }

    [Fact]
    public async Task Detail_shapes_the_columns_and_rows_serieskeysonly_and_nodata_write_a_row_per_series()
    {
        var structure = BuiltInDataflows.RemittanceInflows;
        var observations = SampleMessages.Observations(structure);
        async Task<string[]> Write(DataDetail detail) =>
            (await SampleMessages.WriteAsync(DataMessageFormats.SdmxCsv20, structure, observations, DataMessageOptions.Default with { Detail = detail }))
                .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        var dataOnly = await Write(DataDetail.DataOnly);
        Assert.Equal("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,COUNTERPART_AREA,FREQ,TIME_PERIOD,OBS_VALUE", dataOnly[0]);
        Assert.Equal(observations.Count + 1, dataOnly.Length);

        var keys = await Write(DataDetail.SeriesKeysOnly);
        Assert.Equal("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,COUNTERPART_AREA,FREQ", keys[0]);
        Assert.Equal(observations.Select(o => $"dataflow,RCM:DF_REM_IN(1.0),I,{string.Join(',', o.Key)}").Distinct(), keys.Skip(1));

        var noData = await Write(DataDetail.NoData);
        Assert.Equal("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,COUNTERPART_AREA,FREQ,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE", noData[0]);
        Assert.All(noData.Skip(1), row => Assert.EndsWith(",USD,0,,", row, StringComparison.Ordinal)); // status and note vary within each series
        Assert.Equal(keys.Length, noData.Length);
    }
}
