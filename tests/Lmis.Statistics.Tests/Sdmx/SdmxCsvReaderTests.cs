using Lmis.Statistics.Sdmx;

namespace Lmis.Statistics.Tests.Sdmx;

public sealed class SdmxCsvReaderTests
{
    private const string UnemploymentHeader = "DATAFLOW,REF_AREA,FREQ,SEX,AGE,TIME_PERIOD,OBS_VALUE,UNIT_MULT,OBS_STATUS,NOTE\n";
    private const string Unemployment = "RCM:DF_UNE_RT(1.0)";

    private static async Task<IReadOnlyList<string>> ErrorsAsync(string csv, DataStructure? structure = null)
    {
        var (_, rows) = await SdmxFiles.ReadAsync(csv, structure);
        return [.. rows.SelectMany(r => r.Errors).Select(e => e.ToString())];
    }

    private static Task<IReadOnlyList<string>> RowErrorsAsync(string row) => ErrorsAsync(UnemploymentHeader + row + "\n");

    [Fact]
    public async Task Reads_an_ilostat_shaped_sdmx_csv_1_file()
    {
        var (reader, rows) = await SdmxFiles.ReadAsync(SdmxFiles.Fixture("unemployment-rates.sdmx-v1.csv"));

        Assert.Equal(SdmxCsvVersion.V1, reader.Version);
        Assert.Equal(',', reader.Separator);
        Assert.Same(BuiltInDataflows.UnemploymentRate, reader.Structure);
        Assert.Equal(30, rows.Count);
        Assert.All(rows, r => Assert.Empty(r.Errors));
        Assert.Equal(Enumerable.Range(2, 30), rows.Select(r => r.Line));
        Assert.All(rows, r => Assert.Equal(SdmxAction.Information, r.Action));

        var mexico = rows[18].Observation!;
        Assert.Equal("MEX.M.SEX_T.AGE_YTHADULT_YGE15", mexico.SeriesKey);
        Assert.Equal("2024-03", mexico.Period.ToString());
        Assert.Equal(2.3m, mexico.Value);
        Assert.Equal("A", mexico.Attribute("OBS_STATUS"));
        Assert.Equal("0", mexico.Attribute("UNIT_MULT"));
        Assert.Equal("MEX", mexico.Dimension("REF_AREA"));

        var missing = rows[13].Observation!;
        Assert.Null(missing.Value);
        Assert.Equal("M", missing.Attribute("OBS_STATUS"));
        Assert.Equal("No survey in 2023, see the national office", missing.Attribute("NOTE"));
        Assert.Equal("5.70", rows[9].Observation!.Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2024-03", rows[29].Observation!.Period.ToString());

        Assert.Equal(["member-state"], reader.CodesToCheck.Keys);
        Assert.Equal(["BLZ", "CAN", "CRI", "DOM", "GTM", "HND", "MEX", "NIC", "PAN", "SLV", "USA"], reader.CodesToCheck["member-state"].Order());
    }

    [Fact]
    public async Task An_sdmx_csv_1_file_written_as_sdmx_csv_2_reads_back_the_same()
    {
        var original = await SdmxFiles.ObservationsAsync(SdmxFiles.Fixture("unemployment-rates.sdmx-v1.csv"));

        var written = await SdmxFiles.WriteSdmxCsvAsync(BuiltInDataflows.UnemploymentRate, original);
        var (reader, rows) = await SdmxFiles.ReadAsync(written);
        var rewritten = await SdmxFiles.WriteSdmxCsvAsync(BuiltInDataflows.UnemploymentRate, rows.Select(r => r.Observation!));

        Assert.StartsWith(
            "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,SEX,AGE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\r\n"
            + "dataflow,RCM:DF_UNE_RT(1.0),I,BLZ,A,SEX_T,AGE_YTHADULT_YGE15,2022,5.1,PT,0,A,\r\n", written, StringComparison.Ordinal);
        Assert.Contains("dataflow,RCM:DF_UNE_RT(1.0),I,GTM,A,SEX_T,AGE_YTHADULT_YGE15,2023,,PT,0,M,\"No survey in 2023, see the national office\"", written, StringComparison.Ordinal);
        Assert.Equal(SdmxCsvVersion.V2, reader.Version);
        Assert.All(rows, r => Assert.True(r.IsValid, string.Join("; ", r.Errors)));
        Assert.Equal(original.Select(SdmxFiles.Describe), rows.Select(r => SdmxFiles.Describe(r.Observation!)));
        Assert.Equal(written, rewritten);
    }

    [Fact]
    public async Task Reads_sdmx_csv_2_with_labelled_headers_semicolons_and_actions()
    {
        const string csv =
            "STRUCTURE: Structure;STRUCTURE_ID: Structure identifier;ACTION: Action;REF_AREA: Reference area;FREQ: Frequency;"
            + "OCU: Occupation;TIME_PERIOD: Time period;OBS_VALUE: Observation value;OBS_STATUS: Observation status;NOTE: Note\r\n"
            + "dataflow;RCM:DF_VAC_OCU(1.0);I;MEX;Q;OCU_ISCO08_6111;2024-Q1;1520;A;\"Harvest; north\"\r\n"
            + "dataflow;RCM:DF_VAC_OCU(1.0);R;MEX;Q;OCU_ISCO08_TOTAL;2024-Q1;98210;P;\r\n"
            + "dataflow;RCM:DF_VAC_OCU(1.0);D;MEX;Q;OCU_ISCO08_2411;2023-Q4;;;\r\n"
            + "dataflow;RCM:DF_VAC_OCU(1.0);A;MEX;Q;OCU_ISCO08_7112;2024-Q1;12,5;A;\r\n";

        var (reader, rows) = await SdmxFiles.ReadAsync(csv);

        Assert.Equal(SdmxCsvVersion.V2, reader.Version);
        Assert.Equal(';', reader.Separator);
        Assert.Same(BuiltInDataflows.VacanciesByOccupation, reader.Structure);
        Assert.Equal([SdmxAction.Information, SdmxAction.Replace, SdmxAction.Delete, SdmxAction.Append], rows.Select(r => r.Action));
        Assert.Equal("MEX.Q.OCU_ISCO08_6111", rows[0].Observation!.SeriesKey);
        Assert.Equal(1520m, rows[0].Observation!.Value);
        Assert.Equal("Harvest; north", rows[0].Observation!.Attribute("NOTE"));
        Assert.Null(rows[2].Observation!.Value);
        Assert.Equal(
            ["line 5, OBS_VALUE '12,5': not a number: digits with a '.' for decimals and no thousands separators, e.g. 1520 or 5.25"],
            rows[3].Errors.Select(e => e.ToString()));
        Assert.Equal(["2411", "6111"], reader.CodesToCheck["isco08"].Order());
        Assert.Equal(["MEX"], reader.CodesToCheck["member-state"]);
    }

    [Theory]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,A,SEX_X,AGE_YTHADULT_YGE15,2024,2.6,0,A,",
        "line 2, SEX 'SEX_X': not a code of CL_SEX (SEX_T, SEX_M, SEX_F, SEX_O)")]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,W,SEX_T,AGE_YTHADULT_YGE15,2024-W05,2.6,0,A,",
        "line 2, FREQ 'W': not a code of CL_FREQ (A, Q, M)")]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,A,SEX_T,,2024,2.6,0,A,",
        "line 2, AGE: required: every dimension needs a value")]
    [InlineData("RCM:DF_UNE_RT(1.0),MX,A,SEX_T,AGE_YTHADULT_YGE15,2024,2.6,0,A,",
        "line 2, REF_AREA 'MX': a member state as ISO 3166-1 alpha-3 written as the code, e.g. MEX")]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024-13,2.6,0,A,",
        "line 2, TIME_PERIOD '2024-13': month must be 01-12")]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,A,SEX_T,AGE_YTHADULT_YGE15,24,2.6,0,A,",
        "line 2, TIME_PERIOD '24': a time period such as 2024, 2024-Q1, 2024-03, 2024-M03 or 2024-03-15")]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,Q,SEX_T,AGE_YTHADULT_YGE15,2024,2.6,0,A,",
        "line 2, TIME_PERIOD '2024': a period of frequency A in a series of frequency Q (FREQ)")]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,two,0,A,",
        "line 2, OBS_VALUE 'two': not a number: digits with a '.' for decimals and no thousands separators, e.g. 1520 or 5.25")]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,1e999,0,A,",
        "line 2, OBS_VALUE '1e999': not a number: digits with a '.' for decimals and no thousands separators, e.g. 1520 or 5.25")]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,,0,A,",
        "line 2, OBS_VALUE '': a number is required, unless OBS_STATUS is M (missing value)")]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,NaN,0,,",
        "line 2, OBS_VALUE 'NaN': a number is required, unless OBS_STATUS is M (missing value)")]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,2.6,0,M,",
        "line 2, OBS_VALUE '2.6': OBS_STATUS M says the value is missing: leave OBS_VALUE empty")]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,2.6,0,X,",
        "line 2, OBS_STATUS 'X': not a code of CL_OBS_STATUS (A, B, E, F, I, M, P, U)")]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,2.6,thousands,A,",
        "line 2, UNIT_MULT 'thousands': not a code of CL_UNIT_MULT (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)")]
    [InlineData("RCM:DF_EMP_OCU(1.0),MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,2.6,0,A,",
        "line 2, DATAFLOW 'RCM:DF_EMP_OCU(1.0)': the file is for RCM:DF_UNE_RT(1.0): one file carries one dataflow")]
    [InlineData("RCM:DF_UNE_RT(1.0),MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,2.6",
        "line 2: 7 fields where the header has 10")]
    public async Task Each_rule_names_line_column_value_and_reason(string row, string error)
    {
        // A first valid row fixes the dataflow, so each rule is seen on its own on line 3; reported as line 2 here.
        var errors = await ErrorsAsync(UnemploymentHeader + row + "\n", BuiltInDataflows.UnemploymentRate);

        Assert.Equal([error], errors);
    }

    [Fact]
    public async Task A_row_with_several_faults_lists_them_all()
    {
        var errors = await RowErrorsAsync($"{Unemployment},MEX,A,SEX_X,AGE_X,2024-Q5,x,0,Z,");

        Assert.Equal(
        [
            "line 2, SEX 'SEX_X': not a code of CL_SEX (SEX_T, SEX_M, SEX_F, SEX_O)",
            "line 2, AGE 'AGE_X': not a code of CL_AGE (AGE_YTHADULT_YGE15, AGE_YTHADULT_Y15-24, AGE_YTHADULT_YGE25, AGE_YTHADULT_Y15-64)",
            "line 2, TIME_PERIOD '2024-Q5': quarter must be Q1-Q4",
            "line 2, OBS_STATUS 'Z': not a code of CL_OBS_STATUS (A, B, E, F, I, M, P, U)",
            "line 2, OBS_VALUE 'x': not a number: digits with a '.' for decimals and no thousands separators, e.g. 1520 or 5.25",
        ], errors);
    }

    [Fact]
    public async Task A_missing_value_is_read_as_null_with_status_m()
    {
        var (_, rows) = await SdmxFiles.ReadAsync(UnemploymentHeader
            + $"{Unemployment},MEX,A,SEX_T,AGE_YTHADULT_YGE15,2023,NaN,0,M,\n"
            + $"{Unemployment},MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,,0,M,\n");

        Assert.All(rows, r => Assert.Null(r.Observation!.Value));
    }

    [Fact]
    public async Task The_same_series_and_period_twice_is_refused_naming_the_first_line()
    {
        var errors = await RowErrorsAsync(
            $"{Unemployment},MEX,M,SEX_T,AGE_YTHADULT_YGE15,2024-03,2.3,0,A,\n"
            + $"{Unemployment},MEX,M,SEX_T,AGE_YTHADULT_YGE15,2024-04,2.4,0,A,\n"
            + $"{Unemployment},MEX,M,SEX_T,AGE_YTHADULT_YGE15,2024-M03,2.5,0,A,\n"
            + $"{Unemployment},MEX,M,SEX_F,AGE_YTHADULT_YGE15,2024-M03,2.5,0,A,");

        Assert.Equal(["line 4, TIME_PERIOD '2024-M03': series MEX.M.SEX_T.AGE_YTHADULT_YGE15 already has 2024-03 on line 2"], errors);
    }

    [Fact]
    public async Task Mixing_dataflows_in_one_file_is_refused_row_by_row()
    {
        var (_, rows) = await SdmxFiles.ReadAsync(UnemploymentHeader
            + $"{Unemployment},MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,2.6,0,A,\n"
            + "RCM:DF_JSK_OCU(1.0),MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,2.6,0,A,\n");

        Assert.True(rows[0].IsValid);
        Assert.Equal(["line 3, DATAFLOW 'RCM:DF_JSK_OCU(1.0)': the file is for RCM:DF_UNE_RT(1.0): one file carries one dataflow"],
            rows[1].Errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("ILO:DF_EAP_DWAP_SEX_AGE_RT(1.0)",
        "line 2, DATAFLOW 'ILO:DF_EAP_DWAP_SEX_AGE_RT(1.0)': not a dataflow this service knows (RCM:DF_UNE_RT(1.0), RCM:DF_EMP_OCU(1.0), RCM:DF_JSK_OCU(1.0), RCM:DF_VAC_OCU(1.0), RCM:DF_MIG_PERMITS(1.0), RCM:DF_MIG_STOCK(1.0), RCM:DF_REM_IN(1.0)); nothing more was read")]
    [InlineData("RCM:DF_UNE_RT(2.0)",
        "line 2, DATAFLOW 'RCM:DF_UNE_RT(2.0)': not a dataflow this service knows (RCM:DF_UNE_RT(1.0), RCM:DF_EMP_OCU(1.0), RCM:DF_JSK_OCU(1.0), RCM:DF_VAC_OCU(1.0), RCM:DF_MIG_PERMITS(1.0), RCM:DF_MIG_STOCK(1.0), RCM:DF_REM_IN(1.0)); nothing more was read")]
    [InlineData("DF_UNE_RT",
        "line 2, DATAFLOW 'DF_UNE_RT': a structure reference AGENCY:ID(VERSION), e.g. RCM:DF_UNE_RT(1.0); nothing more was read")]
    public async Task A_file_naming_an_unknown_dataflow_is_not_read(string dataflow, string error)
    {
        // Read without mappings: ILOSTAT's dataflows are read only through one (Uploads/SourceMappingTests).
        var (_, rows) = await SdmxFiles.ReadAsync(UnemploymentHeader
            + $"{dataflow},MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,2.6,0,A,\n"
            + $"{dataflow},MEX,A,SEX_T,AGE_YTHADULT_YGE15,2023,2.8,0,A,\n");

        var only = Assert.Single(rows);
        Assert.Equal([error], only.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task The_file_in_the_ilos_shape_users_reported_goes_in_through_its_mapping_and_an_unmapped_ilo_dataflow_is_named_among_what_is_mapped()
    {
        const string header = "DATAFLOW,REF_AREA,FREQ,MEASURE,SEX,AGE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MEASURE,UNIT_MULT\n";
        var mappings = Lmis.Statistics.Sdmx.Mappings.SourceMappings.BuiltIn;

        var reported = new SdmxCsvReader(new StringReader(header + "ILO:DF_UNE_TUNE_SEX_AGE_RT(1.0),MEX,A,UNE_TUNE_RT,SEX_T,AGE_YTHADULT_YGE15,2024,2.6,,PT,0\n"), mappings: mappings);
        var unmapped = new SdmxCsvReader(new StringReader(header + "ILO:DF_EAP_DWAP_SEX_AGE_RT(1.0),MEX,A,EAP_DWAP_RT,SEX_T,AGE_YTHADULT_YGE15,2024,60.1,,PT,0\n"), mappings: mappings);
        var reportedRows = await reported.ReadAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        var unmappedRows = await unmapped.ReadAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(("RCM:DF_UNE_RT(1.0)", "ilo-unemployment-rate"), (reported.Structure!.Reference.ToString(), reported.Mapping!.Id));
        Assert.Equal("MEX.A.SEX_T.AGE_YTHADULT_YGE15", Assert.Single(reportedRows).Observation!.SeriesKey);
        Assert.EndsWith("nor one it maps from (ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0), ILO:DF_UNE_TUNE_SEX_AGE_RT(1.0), ILO:DF_EMP_TEMP_SEX_OCU_NB(1.0)); nothing more was read",
            Assert.Single(Assert.Single(unmappedRows).Errors).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "line 1: empty; expected a header row starting DATAFLOW (SDMX-CSV 1.0) or STRUCTURE,STRUCTURE_ID (SDMX-CSV 2.0), separated by ',' or ';'")]
    [InlineData("DATAFLOW\tREF_AREA\n", "line 1 'DATAFLOW\tREF_AREA': expected a header row starting DATAFLOW (SDMX-CSV 1.0) or STRUCTURE,STRUCTURE_ID (SDMX-CSV 2.0), separated by ',' or ';'")]
    [InlineData("country,occupation\nMEX,2411\n", "line 1 'country,occupation': the first column is 'country'; expected a header row starting DATAFLOW (SDMX-CSV 1.0) or STRUCTURE,STRUCTURE_ID (SDMX-CSV 2.0), separated by ',' or ';'")]
    [InlineData("STRUCTURE,ACTION,REF_AREA\n", "line 1 'STRUCTURE,ACTION,REF_AREA': SDMX-CSV 2.0 needs a STRUCTURE_ID column after STRUCTURE")]
    public async Task A_header_that_cannot_be_read_is_one_error_for_line_1(string csv, string error)
    {
        var (reader, rows) = await SdmxFiles.ReadAsync(csv);

        var only = Assert.Single(rows);
        Assert.Equal(1, only.Line);
        Assert.Equal([error], only.Errors.Select(e => e.ToString()));
        Assert.Null(reader.Structure);
    }

    [Fact]
    public async Task A_header_that_does_not_fit_the_structure_names_the_unknown_missing_and_repeated_columns()
    {
        var errors = await ErrorsAsync(
            "DATAFLOW,REF_AREA,FREQ,SEX,SEX,TIME_PERIOD,VALUE,MEASURE\n"
            + $"{Unemployment},MEX,A,SEX_T,SEX_T,2024,2.6,UNE\n");

        Assert.Equal(
        [
            "line 1, SEX: the column appears more than once",
            "line 1 'VALUE,MEASURE': columns RCM:DF_UNE_RT(1.0) does not have; its columns are REF_AREA,FREQ,SEX,AGE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE",
            "line 1 'AGE,OBS_VALUE': missing columns every row of RCM:DF_UNE_RT(1.0) needs",
        ], errors);
    }

    [Fact]
    public async Task With_a_given_structure_the_header_is_checked_before_any_row()
    {
        var (_, rows) = await SdmxFiles.ReadAsync("DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\n", BuiltInDataflows.RemittanceInflows);

        Assert.Equal(["line 1 'COUNTERPART_AREA,FREQ': missing columns every row of RCM:DF_REM_IN(1.0) needs"],
            Assert.Single(rows).Errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task A_mandatory_attribute_is_required_on_every_row()
    {
        var errors = await ErrorsAsync(
            "DATAFLOW,REF_AREA,COUNTERPART_AREA,FREQ,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT\n"
            + "RCM:DF_REM_IN(1.0),GTM,USA,A,2023,19804.2,USD,6\n"
            + "RCM:DF_REM_IN(1.0),GTM,MEX,A,2023,120.5,,6\n"
            + "RCM:DF_REM_IN(1.0),GTM,mex,A,2022,96.1,usd,6\n");

        Assert.Equal(
        [
            "line 3, UNIT_MEASURE: required: every observation of this dataflow needs it",
            "line 4, COUNTERPART_AREA 'mex': a country as ISO 3166-1 alpha-3 written as the code, e.g. GTM",
            "line 4, UNIT_MEASURE 'usd': a currency as ISO 4217 written as the code, e.g. USD",
        ], errors);
    }

    [Fact]
    public async Task A_mandatory_attribute_without_its_column_is_required_on_every_row()
    {
        var errors = await ErrorsAsync(
            "DATAFLOW,REF_AREA,COUNTERPART_AREA,FREQ,TIME_PERIOD,OBS_VALUE\n"
            + "RCM:DF_REM_IN(1.0),GTM,USA,A,2023,19804.2\n");

        Assert.Equal(["line 2, UNIT_MEASURE: required: the file has no such column"], errors);
    }

    [Fact]
    public async Task Occupation_codes_must_have_ilostat_form_and_are_gathered_for_the_taxonomy()
    {
        var (reader, rows) = await SdmxFiles.ReadAsync(
            "DATAFLOW,REF_AREA,COUNTERPART_AREA,FREQ,PERMIT_TYPE,SEX,OCU,TIME_PERIOD,OBS_VALUE\n"
            + "RCM:DF_MIG_PERMITS(1.0),CAN,MEX,A,PERMIT_SEASONAL,SEX_T,OCU_ISCO08_6111,2023,25420\n"
            + "RCM:DF_MIG_PERMITS(1.0),CAN,GTM,A,PERMIT_SEASONAL,SEX_T,OCU_ISCO08_9211,2023,9312\n"
            + "RCM:DF_MIG_PERMITS(1.0),CAN,GTM,A,PERMIT_TOTAL,SEX_T,OCU_ISCO08_TOTAL,2023,11250\n"
            + "RCM:DF_MIG_PERMITS(1.0),USA,MEX,A,PERMIT_SEASONAL,SEX_T,OCU_ISCO08_61111,2023,5\n"
            + "RCM:DF_MIG_PERMITS(1.0),USA,MEX,A,PERMIT_SEASONAL,SEX_T,6111,2023,5\n"
            + "RCM:DF_MIG_PERMITS(1.0),USA,MEX,A,H2A,SEX_T,OCU_ISCO08_X,2023,5\n");

        Assert.Equal(
        [
            "line 5, OCU 'OCU_ISCO08_61111': an ISCO-08 code of 1-4 digits written as OCU_ISCO08_ followed by the code, e.g. OCU_ISCO08_2411, or OCU_ISCO08_TOTAL or OCU_ISCO08_X",
            "line 6, OCU '6111': an ISCO-08 code of 1-4 digits written as OCU_ISCO08_ followed by the code, e.g. OCU_ISCO08_2411, or OCU_ISCO08_TOTAL or OCU_ISCO08_X",
            "line 7, PERMIT_TYPE 'H2A': not a code of CL_PERMIT_TYPE (PERMIT_TOTAL, PERMIT_TEMPORARY, PERMIT_SEASONAL, PERMIT_BORDER, PERMIT_PERMANENT)",
        ], rows.SelectMany(r => r.Errors).Select(e => e.ToString()));
        Assert.Equal(["6111", "9211"], reader.CodesToCheck["isco08"].Order());
        Assert.Equal(["CAN"], reader.CodesToCheck["member-state"]);
        Assert.Equal(["GTM", "MEX"], reader.CodesToCheck["country"].Order());
        Assert.Equal([("REF_AREA", "member-state", "CAN"), ("COUNTERPART_AREA", "country", "MEX"), ("OCU", "isco08", "6111")],
            rows[0].Observation!.ClassificationCodes());
    }

    [Fact]
    public async Task Sdmx_csv_2_checks_the_structure_type_and_the_action()
    {
        var errors = await ErrorsAsync(
            "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,OCU,TIME_PERIOD,OBS_VALUE\n"
            + "dataflow,RCM:DF_VAC_OCU(1.0),M,MEX,Q,OCU_ISCO08_6111,2024-Q1,1520\n"
            + "dataprovision,RCM:DF_VAC_OCU(1.0),I,MEX,Q,OCU_ISCO08_6111,2024-Q2,1520\n"
            + "datastructure,RCM:DF_VAC_OCU(1.0),,MEX,Q,OCU_ISCO08_6111,2024-Q3,1520\n");

        Assert.Equal(
        [
            "line 2, ACTION 'M': must be I (information), A (append), R (replace) or D (delete)",
            "line 3, STRUCTURE 'dataprovision': must be dataflow or datastructure",
        ], errors);
    }

    [Fact]
    public async Task A_row_spanning_lines_is_found_on_its_first_line_and_blank_lines_are_skipped()
    {
        var (_, rows) = await SdmxFiles.ReadAsync(UnemploymentHeader
            + $"{Unemployment},MEX,A,SEX_T,AGE_YTHADULT_YGE15,2022,2.6,0,A,\"first line\nsecond line\"\n"
            + "\n"
            + $"{Unemployment},MEX,A,SEX_T,AGE_YTHADULT_YGE15,2023,x,0,A,\n");

        Assert.Equal([2, 5], rows.Select(r => r.Line));
        Assert.Equal("first line\nsecond line", rows[0].Observation!.Attribute("NOTE"));
        Assert.Equal(["line 5, OBS_VALUE 'x': not a number: digits with a '.' for decimals and no thousands separators, e.g. 1520 or 5.25"],
            rows[1].Errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task The_byte_order_mark_and_lower_case_headers_are_accepted()
    {
        var (reader, rows) = await SdmxFiles.ReadAsync("\uFEFFdataflow,ref_area,freq,sex,age,time_period,obs_value\n"
            + $"{Unemployment},MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,2.6\n");

        Assert.Equal(SdmxCsvVersion.V1, reader.Version);
        Assert.True(Assert.Single(rows).IsValid);
    }

    [Fact]
    public async Task Coded_values_may_carry_labels_when_the_header_does()
    {
        const string csv =
            "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA: Reference area,FREQ: Frequency,SEX: Sex,AGE: Age,TIME_PERIOD,OBS_VALUE,OBS_STATUS: Observation status,NOTE: Note\n"
            + "dataflow,RCM:DF_UNE_RT(1.0),I,MEX: Mexico,A: Annual,SEX_F: Female,AGE_YTHADULT_YGE15: 15+,2023,2.9,E: Estimated value,Source: national survey\n";

        var observation = Assert.Single(await SdmxFiles.ObservationsAsync(csv));

        Assert.Equal("MEX.A.SEX_F.AGE_YTHADULT_YGE15", observation.SeriesKey);
        Assert.Equal("E", observation.Attribute("OBS_STATUS"));
        Assert.Equal("Source: national survey", observation.Attribute("NOTE"));
    }

    [Fact]
    public async Task With_the_region_a_member_state_in_alpha_2_is_read_as_alpha_3()
    {
        const string csv =
            "DATAFLOW,REF_AREA,COUNTERPART_AREA,FREQ,SEX,TIME_PERIOD,OBS_VALUE\n"
            + "RCM:DF_MIG_STOCK(1.0),US,MX,A,SEX_T,2023,4860\n"
            + "RCM:DF_MIG_STOCK(1.0),US,IN,A,SEX_T,2023,1290\n";

        var reader = new SdmxCsvReader(new StringReader(csv), region: Lmis.BuildingBlocks.MemberStates.Region.Shipped("RCM"));
        var rows = await reader.ReadAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal("USA.MEX.A.SEX_T", rows[0].Observation!.SeriesKey);
        Assert.Equal(["line 3, COUNTERPART_AREA 'IN': a country as ISO 3166-1 alpha-3 written as the code, e.g. GTM"], rows[1].Errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task A_file_without_line_breaks_or_with_an_endless_value_is_refused_without_reading_it_all()
    {
        var (_, endlessHeader) = await SdmxFiles.ReadAsync("DATAFLOW" + new string('x', 200_000));
        var (_, endlessValue) = await SdmxFiles.ReadAsync(UnemploymentHeader
            + $"{Unemployment},MEX,A,SEX_T,AGE_YTHADULT_YGE15,2023,2.6,0,A,\n"
            + $"{Unemployment},MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,2.6,0,A,\"" + new string('x', 200_000) + "\"\n"
            + $"{Unemployment},MEX,A,SEX_T,AGE_YTHADULT_YGE15,2025,2.6,0,A,\n");

        var header = Assert.Single(Assert.Single(endlessHeader).Errors);
        Assert.Equal("line 1", header.Field);
        Assert.EndsWith("expected a header row starting DATAFLOW (SDMX-CSV 1.0) or STRUCTURE,STRUCTURE_ID (SDMX-CSV 2.0), separated by ',' or ';'", header.Reason, StringComparison.Ordinal);
        Assert.Equal([true, false, true], endlessValue.Select(r => r.IsValid));
        var endless = Assert.Single(endlessValue[1].Errors);
        Assert.Equal(("line 3, NOTE", "character 64: a quote opens here and is not closed within 100,000 characters"), (endless.Field, endless.Reason));
    }

    [Fact]
    public async Task The_separator_is_taken_from_the_header_alone()
    {
        var observations = await SdmxFiles.ObservationsAsync(UnemploymentHeader
            + $"{Unemployment},MEX,A,SEX_T,AGE_YTHADULT_YGE15,2023,2.6,0,A,\"Revised; see 2024\"\n"
            + $"{Unemployment},MEX,A,SEX_T,AGE_YTHADULT_YGE15,2024,2.8,0,A,one;two\n");

        Assert.Equal(["Revised; see 2024", "one;two"], observations.Select(o => o.Attribute("NOTE")));
    }
}
