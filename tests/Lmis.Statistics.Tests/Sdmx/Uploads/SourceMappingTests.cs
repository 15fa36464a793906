using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Mappings;
using Microsoft.Extensions.Configuration;

namespace Lmis.Statistics.Tests.Sdmx.Uploads;

/// <summary>
/// Files in ILOSTAT's shape are read through the ILO mappings into the region's dataflows, unedited; the secretariat's
/// own mappings are read from configuration and refused at start when malformed.
/// </summary>
public sealed class SourceMappingTests
{
    private const string IloUnemploymentHeader =
        "DATAFLOW,REF_AREA,FREQ,MEASURE,SEX,AGE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MEASURE_TYPE,UNIT_MEASURE,UNIT_MULT,SOURCE,NOTE_SOURCE,NOTE_INDICATOR,NOTE_CLASSIF,DECIMALS,UPPER_BOUND,LOWER_BOUND\n";

    [Fact]
    public async Task An_ilostat_unemployment_file_is_read_into_the_regions_dataflow_with_its_sources_kept_in_note()
    {
        var (reader, rows) = await UploadFiles.ReadCsvAsync(SdmxFiles.Fixture("ilostat-unemployment-rate.sdmx-v1.csv"));

        Assert.Same(BuiltInDataflows.UnemploymentRate, reader.Structure);
        Assert.Equal(("ilo-unemployment-rate", "ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0)"), (reader.Mapping!.Id, reader.Named));
        Assert.Equal(15, UploadFiles.Described(rows).Count);
        var quarter = rows.Single(r => r.Observation!.Period.ToString() == "2024-Q3").Observation!;
        Assert.Equal("MEX.Q.SEX_T.AGE_YTHADULT_YGE15", quarter.SeriesKey);
        Assert.Equal(2.904m, quarter.Value);
        Assert.Equal(["PT", "0", "P", "SOURCE: BA:1516; NOTE_SOURCE: R1:3513_S3:20_S4:16; NOTE_INDICATOR: T2:84"], quarter.Attributes);
        Assert.Equal(["ilo-unemployment-rate", "ilo-employment-by-occupation"], SourceMappings.BuiltIn.All.Select(m => m.Id));
    }

    [Fact]
    public async Task The_dataflow_id_some_offices_templates_use_and_ilostat_status_codes_labels_and_alpha_2_areas_are_read()
    {
        const string header = "DATAFLOW,REF_AREA: Reference area,FREQ,MEASURE,SEX,AGE,TIME_PERIOD,OBS_VALUE,OBS_STATUS: Observation status,UNIT_MEASURE,UNIT_MULT,SOURCE\n";

        var (reader, rows) = await UploadFiles.ReadCsvAsync(header
            + "ILO:DF_UNE_TUNE_SEX_AGE_RT(1.0),MX: Mexico,A,UNE_TUNE_RT,SEX_F,AGE_YTHADULT_Y15-24,2023,6.1,R: Real value,PT,0,BA:1516\n");

        var observation = Assert.Single(rows).Observation!;
        Assert.Equal("ilo-unemployment-rate", reader.Mapping!.Id);
        Assert.Equal("MEX.A.SEX_F.AGE_YTHADULT_Y15-24", observation.SeriesKey);
        Assert.Equal(("A", "SOURCE: BA:1516"), (observation.Attribute("OBS_STATUS"), observation.Attribute("NOTE")));
    }

    [Fact]
    public async Task A_row_of_another_measure_is_refused_naming_the_files_own_column()
    {
        var (_, rows) = await UploadFiles.ReadCsvAsync(IloUnemploymentHeader
            + "ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0),MEX,A,UNE_TUNE_NB,SEX_T,AGE_YTHADULT_YGE15,2023,3.1,,NB,PS,0,BA:1516,,,,1,,\n"
            + "ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0),MEX,A,,SEX_T,AGE_YTHADULT_YGE15,2022,3.3,,RT,PT,0,BA:1516,,,,1,,\n"
            + "ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0),MEX,A,UNE_DEAP_RT,SEX_T,AGE_10YRBANDS_Y25-34,2023,2.4,,RT,PT,0,BA:1516,,,,1,,\n");

        Assert.Equal(
        [
            "line 2, MEASURE 'UNE_TUNE_NB': mapping ilo-unemployment-rate reads only MEASURE UNE_DEAP_RT or UNE_TUNE_RT into RCM:DF_UNE_RT(1.0)",
            "line 2, UNIT_MEASURE 'PS': not a code of CL_UNIT_MEASURE (PT)",
            "line 3, MEASURE: required: every dimension needs a value",
            "line 4, AGE 'AGE_10YRBANDS_Y25-34': not a code of CL_AGE (AGE_YTHADULT_YGE15, AGE_YTHADULT_Y15-24, AGE_YTHADULT_YGE25, AGE_YTHADULT_Y15-64)",
        ], UploadFiles.Errors(rows));
    }

    [Fact]
    public async Task An_ilostat_file_renamed_to_the_regions_dataflow_is_told_to_keep_its_own_name()
    {
        var (_, rows) = await UploadFiles.ReadCsvAsync("DATAFLOW,REF_AREA,FREQ,MEASURE,SEX,AGE,TIME_PERIOD,OBS_VALUE\n"
            + "RCM:DF_UNE_RT(1.0),MEX,A,UNE_DEAP_RT,SEX_T,AGE_YTHADULT_YGE15,2023,2.8\n");

        var error = Assert.Single(UploadFiles.Errors(rows));
        Assert.StartsWith("line 1 'MEASURE': a column RCM:DF_UNE_RT(1.0) does not have; its columns are", error, StringComparison.Ordinal);
        Assert.EndsWith("; a file in another agency's shape keeps its own dataflow (ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0), ILO:DF_UNE_TUNE_SEX_AGE_RT(1.0)), "
            + "which this service maps into RCM:DF_UNE_RT(1.0)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mapping_the_secretariat_adds_in_configuration_reads_its_source_renaming_and_recoding()
    {
        var mappings = SourceMappings.From(Configuration(("Lmis:Statistics:SourceMappings:0", OecdMapping)));
        var (reader, rows) = await UploadFiles.ReadCsvAsync("DATAFLOW,REF_AREA,FREQ,MEASURE,SEX,AGE_GROUP,UNIT_MEASURE,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
            + "OECD.SDD.TPS:DSD_LFS@DF_IALFS_UNE_M(1.0),MEX,M,UNE_LF_M,F,Y15T24,PT_LF_SUB,2024-03,5.4,A\n", mappings);

        var observation = Assert.Single(rows).Observation!;
        Assert.Equal("oecd-monthly-unemployment", reader.Mapping!.Id);
        Assert.Equal(("MEX.M.SEX_F.AGE_YTHADULT_Y15-24", "2024-03", 5.4m), (observation.SeriesKey, observation.Period.ToString(), observation.Value));
        Assert.Equal("PT", observation.Attribute("UNIT_MEASURE"));
        Assert.Equal(3, mappings.All.Count);
    }

    [Fact]
    public void A_mapping_file_named_in_configuration_is_read_and_a_malformed_one_is_refused_naming_the_setting()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lmis-mapping-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, $"[{OecdMapping}]");
        try
        {
            var fromFile = SourceMappings.From(Configuration(("Lmis:Statistics:SourceMappings", path)));
            var misspelt = Assert.Throws<InvalidOperationException>(() => SourceMappings.From(Configuration(
                ("Lmis:Statistics:SourceMappings:0", """{"id": "x", "from": ["ESTAT:UNE_RT_M(1.0)"], "to": "RCM:DF_UNE_RT(1.0)", "fixd": {}}"""))));
            var wrong = Assert.Throws<InvalidOperationException>(() => SourceMappings.From(Configuration(
                ("Lmis:Statistics:SourceMappings:1", """{"id": "x", "from": ["DF_X"], "to": "RCM:DF_UNE_RT(1.0)", "drop": ["SEX"], "codes": {"COLOUR": {"a": "b"}}}"""))));
            var noTarget = Assert.Throws<InvalidOperationException>(() => SourceMappings.From(Configuration(
                ("Lmis:Statistics:SourceMappings:0", """{"id": "x", "from": ["ESTAT:UNE_RT_M(1.0)"], "to": "RCM:DF_NOTHING(1.0)"}"""))));
            var twice = Assert.Throws<InvalidOperationException>(() => SourceMappings.From(Configuration(
                ("Lmis:Statistics:SourceMappings:0", """{"id": "mine", "from": ["ILO:DF_EMP_TEMP_SEX_OCU_NB(1.0)"], "to": "RCM:DF_EMP_OCU(1.0)", "fixed": {"MEASURE": ["EMP_TEMP_NB"]}}"""))));
            var keys = Assert.Throws<InvalidOperationException>(() => SourceMappings.From(Configuration(
                ("Lmis:Statistics:SourceMappings:0:id", "x"), ("Lmis:Statistics:SourceMappings:0:to", "RCM:DF_UNE_RT(1.0)"))));
            var missing = Assert.Throws<InvalidOperationException>(() => SourceMappings.From(Configuration(("Lmis:Statistics:SourceMappings", "/nowhere/mapping.json"))));

            Assert.Contains(fromFile.All, m => m.Id == "oecd-monthly-unemployment");
            Assert.StartsWith("Lmis:Statistics:SourceMappings:0: not a mapping document (JSON):", misspelt.Message, StringComparison.Ordinal);
            Assert.Contains("fixd", misspelt.Message, StringComparison.Ordinal);
            Assert.Equal("Lmis:Statistics:SourceMappings:1 (mapping 'x'): \"from\" 'DF_X': a dataflow reference AGENCY:ID(VERSION), e.g. ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0); "
                + "\"drop\" SEX: RCM:DF_UNE_RT(1.0) has this component; only a source's extra columns are fixed, dropped or kept in NOTE; "
                + "\"codes\" COLOUR: RCM:DF_UNE_RT(1.0) has no coded component COLOUR.", wrong.Message);
            Assert.StartsWith("Lmis:Statistics:SourceMappings:0 (mapping 'x'): \"to\" 'RCM:DF_NOTHING(1.0)': one of the region's dataflows (RCM:DF_UNE_RT(1.0), ",
                noTarget.Message, StringComparison.Ordinal);
            Assert.Equal("Source mappings: ILO:DF_EMP_TEMP_SEX_OCU_NB(1.0) is mapped by both 'ilo-employment-by-occupation' and 'mine'; a dataflow is read one way.", twice.Message);
            Assert.Equal("Lmis:Statistics:SourceMappings:0: write a mapping as JSON text or as the path of a JSON file, not as configuration keys (docs/statistics.md).", keys.Message);
            Assert.Equal("Lmis:Statistics:SourceMappings: '/nowhere/mapping.json' is neither a mapping document (JSON starting with { or [) nor a file that exists.", missing.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The kind of mapping the secretariat writes for another source: OECD's monthly unemployment rate.</summary>
    private const string OecdMapping = """
        {
          "id": "oecd-monthly-unemployment",
          "description": "OECD infra-annual labour statistics, monthly unemployment rate",
          "from": ["OECD.SDD.TPS:DSD_LFS@DF_IALFS_UNE_M(1.0)"],
          "to": "RCM:DF_UNE_RT(1.0)",
          "fixed": { "MEASURE": ["UNE_LF_M"] },
          "rename": { "AGE_GROUP": "AGE" },
          "codes": {
            "UNIT_MEASURE": { "PT_LF_SUB": "PT" },
            "SEX": { "F": "SEX_F", "M": "SEX_M", "_T": "SEX_T" },
            "AGE": { "Y15T24": "AGE_YTHADULT_Y15-24", "Y_GE15": "AGE_YTHADULT_YGE15", "Y_GE25": "AGE_YTHADULT_YGE25" }
          }
        }
        """;

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
