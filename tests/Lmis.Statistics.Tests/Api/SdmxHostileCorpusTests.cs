using System.Net;
using System.Text;
using CsCheck;
using Lmis.BuildingBlocks.Errors;
using Lmis.Statistics.Sdmx;
using Lmis.Testing;

namespace Lmis.Statistics.Tests.Api;

/// <summary>
/// What a ministry's file or a reader's query may really hold when it is wrong, each case naming the rule it breaks:
/// the exact refusal (status, line, column or field, value, reason) and nothing already stored changed.
/// </summary>
public sealed class SdmxHostileCorpusTests(StatisticsInProcess service) : IClassFixture<StatisticsInProcess>
{
    private const string V1Header = "DATAFLOW,REF_AREA,FREQ,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";
    private const string V2Header = "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";
    private const string RatesV1Header = "DATAFLOW,REF_AREA,FREQ,SEX,AGE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";
    private const string PermitsV1Header = "DATAFLOW,REF_AREA,COUNTERPART_AREA,FREQ,PERMIT_TYPE,SEX,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";
    private const string RemittancesV2Header = "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,COUNTERPART_AREA,FREQ,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";
    private const string NotANumber = "not a number: digits with a '.' for decimals and no thousands separators, e.g. 1520 or 5.25";

    private static string V1(string value = "120", string area = "MEX", string period = "2026-Q1", string note = "", string status = "A", string mult = "0", string ocu = "OCU_ISCO08_2221") =>
        $"RCM:DF_VAC_OCU(1.0),{area},Q,{ocu},{period},{value},NB,{mult},{status},{note}";

    private static string V2(string value = "120", string area = "MEX", string period = "2026-Q1", string note = "", string action = "I", string type = "dataflow") =>
        $"{type},RCM:DF_VAC_OCU(1.0),{action},{area},Q,OCU_ISCO08_2221,{period},{value},NB,0,A,{note}";

    private static string Rate(string value) => RatesV1Header + $"RCM:DF_UNE_RT(1.0),MEX,A,SEX_T,AGE_YTHADULT_YGE15,2025,{value},PT,0,A,\n";

    private static string Permit(string origin) => PermitsV1Header + $"RCM:DF_MIG_PERMITS(1.0),MEX,{origin},A,PERMIT_TOTAL,SEX_T,OCU_ISCO08_TOTAL,2025,12,NB,0,A,\n";

    private static int QuoteColumn(string row) => row.IndexOf('"', StringComparison.Ordinal) + 1;

    private static readonly string KnownDataflows = string.Join(", ", BuiltInDataflows.All.Select(k => k.Reference))
        + ") nor one it maps from (" + string.Join(", ", Lmis.Statistics.Sdmx.Mappings.SourceMappings.BuiltIn.All.SelectMany(m => m.Sources));

    /// <summary>A hostile upload: what it breaks, the body, and the refusal expected.</summary>
    private sealed record Upload(string Format, string Rule, Func<HttpContent> Body, HttpStatusCode Status, FieldError? Error, string Mode = "", string? Detail = null);

    private static HttpContent Csv(string text, string type = "text/csv") => new StringContent(text, Encoding.UTF8, type);

    private static HttpContent Bytes(byte[] bytes, string type = "text/csv")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
        return content;
    }

    private static readonly string UnclosedV1 = V1(note: "\"never closed");
    private static readonly string UnclosedV2 = V2(note: "\"never closed");
    private static readonly string HugeValue = new('9', 200_000);

    private static readonly Upload[] Uploads =
    [
        // SDMX-CSV 1.0
        new("1.0", "a quote must close", () => Csv(V1Header + UnclosedV1 + "\n"), HttpStatusCode.BadRequest,
            new("line 2, NOTE", "\"never closed", $"character {QuoteColumn(UnclosedV1)}: a quote opens here and is never closed (the value runs to the end of the file)")),
        new("1.0", "a quoted value ends at its closing quote", () => Csv(V1Header + V1(note: "\"closed\" early") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, NOTE", "\"closed\" early", $"character {QuoteColumn(V1(note: "\""))}: the quote that opens here closes before more text in the same value: a quote inside a quoted value is written twice (\"\")")),
        new("1.0", "values are text without control characters", () => Csv(V1Header + V1(note: "a\0b") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, NOTE", "a\0b", "character 2: the control character U+0000: a value is text, without control characters")),
        new("1.0", "a byte order mark only at the very start (files joined, one mark per part)", () => Csv(V1Header + "\uFEFF" + V1() + "\n"), HttpStatusCode.BadRequest,
            new("line 2, DATAFLOW", "\uFEFFRCM:DF_VAC_OCU(1.0)", "character 1: a byte order mark inside the text: only the file's very start may carry one; nothing more was read")),
        new("1.0", "a byte order mark only at the very start (inside a row)", () => Csv(V1Header + V1(note: "x\uFEFF") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, NOTE", "x\uFEFF", "character 2: a byte order mark inside the text: only the file's very start may carry one")),
        new("1.0", "the file is UTF-8 (UTF-16 without its byte order mark)", () => Bytes(Encoding.Unicode.GetBytes(V1Header + V1() + "\n")), HttpStatusCode.BadRequest,
            new("line 1", V1Header.TrimEnd('\n').Aggregate(string.Empty, (text, c) => text + c + "\0"), "character 2: the control character U+0000: a value is text, without control characters")),
        new("1.0", "the file is UTF-8 (Windows-1252 accents)", () => Bytes(Encoding.Latin1.GetBytes(V1Header + V1(note: "Panamá") + "\n")), HttpStatusCode.BadRequest,
            new("line 2, NOTE", "Panam\uFFFD", "character 6: bytes that are not UTF-8: send the file in UTF-8 (not Windows-1252, Latin-1 or UTF-16)")),
        new("1.0", "one separator, taken from the header", () => Csv(V1Header.Replace(',', ';') + V1() + "\n"), HttpStatusCode.BadRequest,
            new("line 2, DATAFLOW", V1(), "a structure reference AGENCY:ID(VERSION), e.g. RCM:DF_UNE_RT(1.0); nothing more was read")),
        new("1.0", "labels in values only when the header has them", () => Csv(V1Header + V1(area: "MEX: Mexico") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, REF_AREA", "MEX: Mexico", "a member state as ISO 3166-1 alpha-3 written as the code, e.g. MEX")),
        new("1.0", "every row has the header's fields", () => Csv(V1Header + V1() + ",extra\n"), HttpStatusCode.BadRequest,
            new("line 2", null, "11 fields where the header has 10")),
        new("1.0", "a series has a period once", () => Csv(V1Header + V1() + "\n" + V1(period: "2026-Q1", value: "121") + "\n"), HttpStatusCode.BadRequest,
            new("line 3, TIME_PERIOD", "2026-Q1", "series MEX.Q.OCU_ISCO08_2221 already has 2026-Q1 on line 2"), Mode: "all-or-nothing"),
        new("1.0", "counts are never negative", () => Csv(V1Header + V1(value: "-5") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "-5", "DF_VAC_OCU values are counts: never negative")),
        new("1.0", "counts are whole", () => Csv(V1Header + V1(value: "2410.5") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "2410.5", "DF_VAC_OCU values are counts: whole numbers (UNIT_MULT is 0)")),
        new("1.0", "counts are whole in plain units", () => Csv(V1Header + V1(value: "2.4105", mult: "3") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "2.4105", "DF_VAC_OCU values are counts: whole numbers in plain units (2.4105 × 10^3 = 2410.5000)")),
        new("1.0", "percentages are 0 to 100", () => Csv(Rate("140")), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "140", "DF_UNE_RT values are percentages: at most 100")),
        new("1.0", "a number is required unless the status is M (NaN)", () => Csv(V1Header + V1(value: "NaN") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "NaN", "a number is required, unless OBS_STATUS is M (missing value)")),
        new("1.0", "values are finite numbers (Infinity)", () => Csv(V1Header + V1(value: "Infinity") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "Infinity", NotANumber)),
        new("1.0", "values are numbers a decimal holds (1e400)", () => Csv(V1Header + V1(value: "1e400") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "1e400", NotANumber)),
        new("1.0", "a number is required unless the status is M (empty)", () => Csv(V1Header + V1(value: "") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "", "a number is required, unless OBS_STATUS is M (missing value)")),
        new("1.0", "status M has no value", () => Csv(V1Header + V1(value: "12", status: "M") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "12", "OBS_STATUS M says the value is missing: leave OBS_VALUE empty")),
        new("1.0", "quarters are Q1-Q4", () => Csv(V1Header + V1(period: "2026-Q5") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, TIME_PERIOD", "2026-Q5", "quarter must be Q1-Q4")),
        new("1.0", "a period has a known form", () => Csv(V1Header + V1(period: "Q1/2026") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, TIME_PERIOD", "Q1/2026", "a time period such as 2024, 2024-Q1, 2024-03, 2024-M03 or 2024-03-15")),
        new("1.0", "a period agrees with FREQ", () => Csv(V1Header + V1(period: "2026-03") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, TIME_PERIOD", "2026-03", "a period of frequency M in a series of frequency Q (FREQ)")),
        new("1.0", "occupations exist in the taxonomy", () => Csv(V1Header + V1(ocu: "OCU_ISCO08_9999") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OCU", "9999", "not a code of isco08 in the taxonomy")),
        new("1.0", "REF_AREA is a member state of the region", () => Csv(V1Header + V1(area: "FRA") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, REF_AREA", "FRA", "not a member state of RCM")),
        new("1.0", "COUNTERPART_AREA is an assigned ISO 3166-1 code (XXX)", () => Csv(Permit("XXX")), HttpStatusCode.BadRequest,
            new("line 2, COUNTERPART_AREA", "XXX", "not a country: ISO 3166-1 has not assigned this alpha-3 code")),
        new("1.0", "COUNTERPART_AREA is an assigned ISO 3166-1 code (ZZZ)", () => Csv(Permit("ZZZ")), HttpStatusCode.BadRequest,
            new("line 2, COUNTERPART_AREA", "ZZZ", "not a country: ISO 3166-1 has not assigned this alpha-3 code")),
        new("1.0", "COUNTERPART_AREA is an assigned ISO 3166-1 code (QQQ)", () => Csv(Permit("QQQ")), HttpStatusCode.BadRequest,
            new("line 2, COUNTERPART_AREA", "QQQ", "not a country: ISO 3166-1 has not assigned this alpha-3 code")),
        new("1.0", "a publisher reports its own member state", () => Csv(V1Header + V1(area: "GTM") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, REF_AREA", "GTM", "a credential of MEX reports MEX's figures only")),
        new("1.0", "the dataflow is one the service knows", () => Csv(V1Header + V1().Replace("RCM:DF_VAC_OCU(1.0)", "ILO:DF_X(1.0)", StringComparison.Ordinal) + "\n"), HttpStatusCode.BadRequest,
            new("line 2, DATAFLOW", "ILO:DF_X(1.0)", $"not a dataflow this service knows ({KnownDataflows}); nothing more was read")),
        new("1.0", "the header has every column the dataflow needs", () => Csv(V1Header.Replace(",OBS_VALUE", "", StringComparison.Ordinal) + V1().Replace(",120,", ",", StringComparison.Ordinal) + "\n"), HttpStatusCode.BadRequest,
            new("line 1", "OBS_VALUE", "missing a column every row of RCM:DF_VAC_OCU(1.0) needs")),
        new("1.0", "a file has rows after its header", () => Csv(V1Header), HttpStatusCode.BadRequest,
            new("line 2", null, "no rows after the header: nothing to store")),
        new("1.0", "a file is not empty", () => Csv(""), HttpStatusCode.BadRequest,
            new("line 1", null, "empty; expected a header row starting DATAFLOW (SDMX-CSV 1.0) or STRUCTURE,STRUCTURE_ID (SDMX-CSV 2.0), separated by ',' or ';'")),
        new("1.0", "a value is at most 100,000 characters", () => Csv(V1Header + V1(value: HugeValue) + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", HugeValue[..200], $"character {V1().IndexOf(",120", StringComparison.Ordinal) + 2}: a value longer than 100,000 characters; the rest of the line was not read")),
        new("1.0", "a value in plain units fits a decimal", () => Csv(V1Header + V1(value: "79228162514264337593543950335", mult: "9") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "79228162514264337593543950335", "too large: OBS_VALUE × 10^UNIT_MULT (9) must stay within ±79228162514264337593543950335")),
        new("1.0", "uploads are SDMX-CSV", () => Csv(V1Header + V1() + "\n", "application/json"), HttpStatusCode.UnsupportedMediaType, null,
            Detail: "Send SDMX-CSV as text/csv or application/vnd.sdmx.data+csv, or SDMX-ML 2.1 as application/xml, text/xml, application/vnd.sdmx.structurespecificdata+xml, application/vnd.sdmx.genericdata+xml (got application/json; charset=utf-8)."),

        // SDMX-CSV 2.0
        new("2.0", "a quote must close", () => Csv(V2Header + UnclosedV2 + "\n"), HttpStatusCode.BadRequest,
            new("line 2, NOTE", "\"never closed", $"character {QuoteColumn(UnclosedV2)}: a quote opens here and is never closed (the value runs to the end of the file)")),
        new("2.0", "values are text without control characters", () => Csv(V2Header + V2(note: "\u0007bell") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, NOTE", "\u0007bell", "character 1: the control character U+0007: a value is text, without control characters")),
        new("2.0", "a byte order mark only at the very start (files joined, one mark per part)", () => Csv(V2Header + V2() + "\n\uFEFF" + V2Header + V2(period: "2026-Q2") + "\n"), HttpStatusCode.BadRequest,
            new("line 3, STRUCTURE", "\uFEFFSTRUCTURE", "character 1: a byte order mark inside the text: only the file's very start may carry one"), Mode: "all-or-nothing"),
        new("2.0", "one separator, taken from the header", () => Csv(V2Header.Replace(',', ';') + V2() + "\n"), HttpStatusCode.BadRequest,
            new("line 2, STRUCTURE_ID", "", "a structure reference AGENCY:ID(VERSION), e.g. RCM:DF_UNE_RT(1.0); nothing more was read")),
        new("2.0", "labels in values only when the header has them", () => Csv(V2Header + V2(area: "MEX: Mexico") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, REF_AREA", "MEX: Mexico", "a member state as ISO 3166-1 alpha-3 written as the code, e.g. MEX")),
        new("2.0", "every row has the header's fields", () => Csv(V2Header + V2()[..^1] + "\n"), HttpStatusCode.BadRequest,
            new("line 2", null, "11 fields where the header has 12")),
        new("2.0", "a series has a period once", () => Csv(V2Header + V2() + "\n" + V2(period: "2026-Q1", value: "121") + "\n"), HttpStatusCode.BadRequest,
            new("line 3, TIME_PERIOD", "2026-Q1", "series MEX.Q.OCU_ISCO08_2221 already has 2026-Q1 on line 2"), Mode: "all-or-nothing"),
        new("2.0", "counts are never negative", () => Csv(V2Header + V2(value: "-5") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "-5", "DF_VAC_OCU values are counts: never negative")),
        new("2.0", "counts are whole", () => Csv(V2Header + V2(value: "2410.5") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "2410.5", "DF_VAC_OCU values are counts: whole numbers (UNIT_MULT is 0)")),
        new("2.0", "amounts received are never negative", () => Csv(RemittancesV2Header + "dataflow,RCM:DF_REM_IN(1.0),I,MEX,USA,A,2025,-3.5,USD,6,A,\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "-3.5", "DF_REM_IN values are amounts received: never negative")),
        new("2.0", "a currency is an ISO 4217 code", () => Csv(RemittancesV2Header + "dataflow,RCM:DF_REM_IN(1.0),I,MEX,USA,A,2025,3.5,ZZZ,6,A,\n"), HttpStatusCode.BadRequest,
            new("line 2, UNIT_MEASURE", "ZZZ", "not a currency: ISO 4217 has assigned no currency this code")),
        new("2.0", "a currency is money (XXX)", () => Csv(RemittancesV2Header + "dataflow,RCM:DF_REM_IN(1.0),I,MEX,USA,A,2025,3.5,XXX,6,A,\n"), HttpStatusCode.BadRequest,
            new("line 2, UNIT_MEASURE", "XXX", "not a currency: ISO 4217 has assigned no currency this code")),
        new("2.0", "COUNTERPART_AREA is an assigned ISO 3166-1 code", () => Csv(RemittancesV2Header + "dataflow,RCM:DF_REM_IN(1.0),I,MEX,XXX,A,2025,3.5,USD,6,A,\n"), HttpStatusCode.BadRequest,
            new("line 2, COUNTERPART_AREA", "XXX", "not a country: ISO 3166-1 has not assigned this alpha-3 code")),
        new("2.0", "a number is required unless the status is M", () => Csv(V2Header + V2(value: "") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, OBS_VALUE", "", "a number is required, unless OBS_STATUS is M (missing value)")),
        new("2.0", "months are 01-12", () => Csv(V2Header.Replace(",FREQ,", ",FREQ,", StringComparison.Ordinal) + V2(period: "2026-Q0") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, TIME_PERIOD", "2026-Q0", "quarter must be Q1-Q4")),
        new("2.0", "ACTION is I, A, R or D", () => Csv(V2Header + V2(action: "X") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, ACTION", "X", "must be I (information), A (append), R (replace) or D (delete)")),
        new("2.0", "observations are never deleted", () => Csv(V2Header + V2(action: "D") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, ACTION", "D", "observations are never deleted; send a revised value, or OBS_STATUS M")),
        new("2.0", "STRUCTURE is dataflow or datastructure", () => Csv(V2Header + V2(type: "dataprovision") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, STRUCTURE", "dataprovision", "must be dataflow or datastructure")),
        new("2.0", "REF_AREA is a member state of the region", () => Csv(V2Header + V2(area: "FRA") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, REF_AREA", "FRA", "not a member state of RCM")),
        new("2.0", "a publisher reports its own member state", () => Csv(V2Header + V2(area: "HND") + "\n"), HttpStatusCode.BadRequest,
            new("line 2, REF_AREA", "HND", "a credential of MEX reports MEX's figures only")),
        new("2.0", "the dataflow is one the service knows", () => Csv(V2Header + V2().Replace("RCM:DF_VAC_OCU(1.0)", "RCM:DF_VAC_OCU(9.9)", StringComparison.Ordinal) + "\n"), HttpStatusCode.BadRequest,
            new("line 2, STRUCTURE_ID", "RCM:DF_VAC_OCU(9.9)", $"not a dataflow this service knows ({KnownDataflows}); nothing more was read")),
        new("2.0", "SDMX-CSV 2.0 has STRUCTURE_ID", () => Csv("STRUCTURE,ACTION,REF_AREA\ndataflow,I,MEX\n"), HttpStatusCode.BadRequest,
            new("line 1", "STRUCTURE,ACTION,REF_AREA", "SDMX-CSV 2.0 needs a STRUCTURE_ID column after STRUCTURE")),
        new("2.0", "the header has every column the dataflow needs", () => Csv("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,OBS_VALUE\ndataflow,RCM:DF_VAC_OCU(1.0),I,MEX,1\n"), HttpStatusCode.BadRequest,
            new("line 1", "FREQ,OCU,TIME_PERIOD", "missing columns every row of RCM:DF_VAC_OCU(1.0) needs")),
        new("2.0", "a file has rows after its header", () => Csv(V2Header), HttpStatusCode.BadRequest,
            new("line 2", null, "no rows after the header: nothing to store")),
        new("2.0", "a value is at most 100,000 characters", () => Csv(V2Header + V2(note: HugeValue) + "\n"), HttpStatusCode.BadRequest,
            new("line 2, NOTE", HugeValue[..200], $"character {V2().Length + 1}: a value longer than 100,000 characters; the rest of the line was not read")),
        new("2.0", "uploads are SDMX-CSV", () => Csv(V2Header + V2() + "\n", "text/plain"), HttpStatusCode.UnsupportedMediaType, null,
            Detail: "Send SDMX-CSV as text/csv or application/vnd.sdmx.data+csv, or SDMX-ML 2.1 as application/xml, text/xml, application/vnd.sdmx.structurespecificdata+xml, application/vnd.sdmx.genericdata+xml (got text/plain; charset=utf-8)."),
    ];

    public static TheoryData<string, string> UploadCases() => new(Uploads.Select(u => (u.Format, u.Rule)));

    private Task<string> SeedAsync() => _seeded ??= SeedOnceAsync();

    private static Task<string>? _seeded;

    /// <summary>Figures already held before any hostile upload: what each must leave untouched.</summary>
    private async Task<string> SeedOnceAsync()
    {
        foreach (var csv in new[]
        {
            V1Header + V1() + "\n" + V1(period: "2025-Q4", value: "98", note: "\"Harvest, north\"") + "\n",
            Rate("3.4"),
            Permit("GTM"),
            RemittancesV2Header + "dataflow,RCM:DF_REM_IN(1.0),I,MEX,USA,A,2025,64.7,USD,9,A,\n",
        })
        {
            var (status, body) = await service.UploadAsync("MEX", csv);
            Assert.True(status == HttpStatusCode.OK, body?.ToString());
        }

        return await service.EverythingStoredAsync();
    }

    [Theory]
    [MemberData(nameof(UploadCases))]
    public async Task A_hostile_upload_is_refused_naming_the_rule_and_changes_nothing_stored(string format, string rule)
    {
        var upload = Uploads.Single(u => u.Format == format && u.Rule == rule);
        var before = await SeedAsync();
        Assert.Equal(before, await service.EverythingStoredAsync());

        var (status, body) = await service.UploadAsync("MEX", upload.Body(), upload.Mode);

        Assert.Equal(upload.Status, status);
        if (upload.Error is { } expected)
        {
            Assert.NotNull(body);
            // The value as every refusal quotes it: a long one shortened to its first 80 characters and "…".
            Assert.Equal(expected with { Value = expected.ShownValue }, StatisticsInProcess.Errors(body.Value)[0]);
            Assert.False(body.Value.GetProperty("upload").GetProperty("stored").GetBoolean());
        }
        else
        {
            Assert.Equal(upload.Detail, body!.Value.GetProperty("detail").GetString());
        }

        Assert.Equal(before, await service.EverythingStoredAsync());
    }

    /// <summary>A hostile data query: the path, and the refusal expected.</summary>
    private sealed record Query(string Rule, string Path, HttpStatusCode Status, string? Field, string? Value, string ReasonOrDetail);

    private static readonly Query[] Queries =
    [
        new("a key has one position per dimension", "/sdmx/data/DF_VAC_OCU/MEX.Q", HttpStatusCode.BadRequest,
            "key", "MEX.Q", "2 positions; DF_VAC_OCU has 3 dimensions: REF_AREA.FREQ.OCU"),
        new("a misordered key is refused, not answered with nothing", "/sdmx/data/DF_VAC_OCU/Q.MEX.", HttpStatusCode.BadRequest,
            "key position 1 (REF_AREA)", "Q", "a member state as ISO 3166-1 alpha-3 written as the code, e.g. MEX"),
        new("a key's codes are the dimension's", "/sdmx/data/DF_VAC_OCU/MEX.W.", HttpStatusCode.BadRequest,
            "key position 2 (FREQ)", "W", "not a code of CL_FREQ (A, Q, M)"),
        new("REF_AREA is a member state of the region", "/sdmx/data/DF_VAC_OCU/FRA..", HttpStatusCode.BadRequest,
            "key position 1 (REF_AREA)", "FRA", "not a member state of RCM"),
        new("COUNTERPART_AREA is an assigned ISO 3166-1 code", "/sdmx/data/DF_MIG_PERMITS/MEX.XXX....", HttpStatusCode.BadRequest,
            "key position 2 (COUNTERPART_AREA)", "XXX", "not a country: ISO 3166-1 has not assigned this alpha-3 code"),
        new("startPeriod is a period", "/sdmx/data/DF_VAC_OCU/all?startPeriod=2026-Q5", HttpStatusCode.BadRequest,
            "startPeriod", "2026-Q5", "quarter must be Q1-Q4"),
        new("endPeriod is a period", "/sdmx/data/DF_VAC_OCU/all?endPeriod=yesterday", HttpStatusCode.BadRequest,
            "endPeriod", "yesterday", "a time period such as 2024, 2024-Q1, 2024-03, 2024-M03 or 2024-03-15"),
        new("asOf is an RFC 3339 time", "/sdmx/data/DF_VAC_OCU/all?asOf=soon", HttpStatusCode.BadRequest,
            "asOf", "soon", "an RFC 3339 time such as 2026-11-23T12:00:00Z"),
        new("the dataflow is one the service knows", "/sdmx/data/DF_NOTHING/all", HttpStatusCode.NotFound,
            null, null, "No dataflow 'DF_NOTHING'. Dataflows: " + string.Join(", ", BuiltInDataflows.All.Select(s => $"{s.Agency},{s.Id},{s.Version}")) + "."),
        new("a dataflow is ID, AGENCY,ID or AGENCY,ID,VERSION", "/sdmx/data/RCM,DF_VAC_OCU,2.0/all", HttpStatusCode.NotFound,
            null, null, "No dataflow 'RCM,DF_VAC_OCU,2.0'. Dataflows: " + string.Join(", ", BuiltInDataflows.All.Select(s => $"{s.Agency},{s.Id},{s.Version}")) + "."),
    ];

    public static TheoryData<string> QueryCases() => new(Queries.Select(q => q.Rule));

    [Theory]
    [MemberData(nameof(QueryCases))]
    public async Task A_hostile_data_query_is_refused_naming_the_parameter_and_the_reason(string rule)
    {
        var query = Queries.Single(q => q.Rule == rule);
        var before = await SeedAsync();

        var (status, problem) = await service.GetJsonAsync(query.Path);

        Assert.Equal(query.Status, status);
        if (query.Field is { } field)
        {
            Assert.Equal(new FieldError(field, query.Value, query.ReasonOrDetail), Refusals.ProblemErrors(problem)[0]);
        }
        else
        {
            Assert.Equal(query.ReasonOrDetail, problem.GetProperty("detail").GetString());
        }

        Assert.Equal(before, await service.EverythingStoredAsync());
    }

    [Fact]
    public async Task Random_bytes_posted_as_an_upload_never_give_a_server_error() =>
        await Lmis.Testing.Properties.HoldAsync(Gen.Byte.Array[0, 600], async bytes =>
        {
            var (status, body) = await service.UploadAsync("MEX", Bytes(bytes));
            Assert.True((int)status < 500, $"{(int)status}: {body}");
        }, iter: 150);
}
