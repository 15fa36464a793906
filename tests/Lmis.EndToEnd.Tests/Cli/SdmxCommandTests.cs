using System.Globalization;
using System.Text.Json;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests.Cli;

/// <summary>
/// <c>lmis sdmx upload|check|get</c>: a statistics office sends its SDMX-CSV file, checks one first, and takes the
/// figures out again as SDMX-CSV, SDMX-JSON or SDMX-ML.
/// </summary>
[Collection(LmisCommandCollection.Name)]
public sealed class SdmxCommandTests(StandaloneStack stack) : IDisposable
{
    private const string Header = "DATAFLOW,REF_AREA,FREQ,SEX,AGE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE";

    private readonly TempDirectory _files = new("lmis-sdmx");

    private LmisCommand Lmis => new(Path.Combine(_files.Path, "config"));

    [Fact]
    public async Task An_uploaded_file_is_stored_and_read_back_with_the_same_figures()
    {
        var figures = new Dictionary<string, string> { ["2020"] = "4.4", ["2021"] = "4.1", ["2022"] = "3.3", ["2023"] = "2.8" };
        var file = Write("une.csv", figures.Select(f => Row("MEX", "SEX_T", f.Key, f.Value)));
        var back = Path.Combine(_files.Path, "back.csv");
        var key = await stack.PublisherKeyAsync("MEX");

        var upload = await Lmis.RunAsync(key, "sdmx", "upload", file, "--chunk-kib", "1", "--output", "json", "--server", stack.GrpcUrl);
        var again = await Lmis.RunAsync(key, "sdmx", "upload", file, "--output", "json", "--server", stack.GrpcUrl);
        var asCsv = await Lmis.RunAsync(null, "sdmx", "get", "DF_UNE_RT", "MEX.A.SEX_T.AGE_YTHADULT_YGE15", "--format", "sdmx-csv", "--file", back, "--server", stack.GrpcUrl);
        var asJson = await Lmis.RunAsync(null, "sdmx", "get", "RCM,DF_UNE_RT,1.0", "MEX.A.SEX_T.AGE_YTHADULT_YGE15", "--format", "sdmx-json", "--start-period", "2022", "--server", stack.GrpcUrl);
        var asXml = await Lmis.RunAsync(null, "sdmx", "get", "DF_UNE_RT", "MEX.A.SEX_T.AGE_YTHADULT_YGE15", "--format", "sdmx-ml", "--server", stack.GrpcUrl);

        Assert.True(upload.ExitCode == 0, upload.All);
        var summary = upload.Summary();
        Assert.Equal(("RCM:DF_UNE_RT(1.0)", 4, 4, 0, true), (summary.GetProperty("dataflow").GetString(), summary.GetProperty("received").GetInt32(),
            summary.GetProperty("added").GetInt32(), summary.GetProperty("refused").GetInt32(), summary.GetProperty("stored").GetBoolean()));
        Assert.Matches(@"lmis: upload une\.csv: 0\.4 KB of 0\.4 KB sent \(100%", upload.Errors);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal((0, 4), (again.Summary().GetProperty("added").GetInt32(), again.Summary().GetProperty("unchanged").GetInt32()));
        Assert.True(asCsv.ExitCode == 0, asCsv.All);
        Assert.Contains($"lmis: 4 observations of DF_UNE_RT as sdmx-csv written to {back}", asCsv.Errors, StringComparison.Ordinal);
        var rows = VacancyFeedFiles.ReadReport(back);
        Assert.Equal(figures, rows.ToDictionary(r => r["TIME_PERIOD"], r => r["OBS_VALUE"]));
        Assert.All(rows, r => Assert.Equal(("RCM:DF_UNE_RT(1.0)", "MEX", "PT"), (r["STRUCTURE_ID"], r["REF_AREA"], r["UNIT_MEASURE"])));
        Assert.True(asJson.ExitCode == 0, asJson.All);
        var observations = JsonDocument.Parse(asJson.Output).RootElement.GetProperty("data").GetProperty("dataSets")[0]
            .GetProperty("series").EnumerateObject().Single().Value.GetProperty("observations").EnumerateObject()
            .Select(o => o.Value[0].ToString()).Order();
        Assert.Equal(["2.8", "3.3"], observations);
        Assert.True(asXml.ExitCode == 0, asXml.All);
        Assert.Contains("OBS_VALUE=\"4.1\"", asXml.Output, StringComparison.Ordinal);
        Assert.Contains("<message:StructureSpecificData", asXml.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_reports_each_refused_row_and_stores_nothing()
    {
        var file = Write("check.csv", [Row("MEX", "SEX_F", "2020", "4.9"), Row("MEX", "SEX_F", "2021", "140"), Row("GTM", "SEX_F", "2022", "5.0"), Row("MEX", "SEX_F", "2023", "3.9")]);
        var key = await stack.PublisherKeyAsync("MEX");

        var check = await Lmis.RunAsync(key, "sdmx", "check", file, "--output", "json", "--server", stack.GrpcUrl);
        var get = await Lmis.RunAsync(null, "sdmx", "get", "DF_UNE_RT", "MEX.A.SEX_F.AGE_YTHADULT_YGE15", "--server", stack.GrpcUrl);

        Assert.True(check.ExitCode == 1, check.All);
        var summary = check.Summary();
        Assert.Equal((4, 2, 2, false), (summary.GetProperty("received").GetInt32(), summary.GetProperty("valid").GetInt32(),
            summary.GetProperty("refused").GetInt32(), summary.GetProperty("stored").GetBoolean()));
        Assert.Contains("line 3, OBS_VALUE: '140'", check.Errors, StringComparison.Ordinal);
        Assert.Contains("line 4, REF_AREA: 'GTM'", check.Errors, StringComparison.Ordinal);
        Assert.True(get.ExitCode == 1, get.All);
        Assert.Contains("404", get.Errors, StringComparison.Ordinal);
        Assert.Empty(get.Output);
    }

    [Fact]
    public async Task All_or_nothing_stores_nothing_when_a_row_is_refused_and_row_by_row_stores_the_good_rows()
    {
        var file = Write("mixed.csv", [Row("MEX", "SEX_M", "2020", "3.1"), Row("MEX", "SEX_M", "2021", "-1")]);
        var key = await stack.PublisherKeyAsync("MEX");

        var whole = await Lmis.RunAsync(key, "sdmx", "upload", file, "--mode", "all-or-nothing", "--server", stack.GrpcUrl);
        var nothing = await Lmis.RunAsync(null, "sdmx", "get", "DF_UNE_RT", "MEX.A.SEX_M.AGE_YTHADULT_YGE15", "--server", stack.GrpcUrl);
        var rowByRow = await Lmis.RunAsync(key, "sdmx", "upload", file, "--mode", "row-by-row", "--output", "json", "--server", stack.GrpcUrl);
        var some = await Lmis.RunAsync(null, "sdmx", "get", "DF_UNE_RT", "MEX.A.SEX_M.AGE_YTHADULT_YGE15", "--format", "plain-csv", "--server", stack.GrpcUrl);
        var badMode = await Lmis.RunAsync(key, "sdmx", "upload", file, "--mode", "some", "--server", stack.GrpcUrl);

        Assert.True(whole.ExitCode == 1, whole.All);
        Assert.Contains("nothing was stored", whole.Errors, StringComparison.Ordinal);
        Assert.Contains("line 3, OBS_VALUE", whole.Errors, StringComparison.Ordinal);
        Assert.True(nothing.ExitCode == 1, nothing.All);
        Assert.True(rowByRow.ExitCode == 1, rowByRow.All);
        Assert.Equal((1, 1, true), (rowByRow.Summary().GetProperty("added").GetInt32(), rowByRow.Summary().GetProperty("refused").GetInt32(), rowByRow.Summary().GetProperty("stored").GetBoolean()));
        Assert.True(some.ExitCode == 0, some.All);
        Assert.Contains("lmis: 1 observations", some.Errors, StringComparison.Ordinal);
        Assert.Contains("3.1", some.Output, StringComparison.Ordinal);
        Assert.True(badMode.ExitCode == 2, badMode.All);
    }

    [Fact]
    public async Task An_upload_without_a_publisher_key_is_refused_with_exit_code_4()
    {
        var file = Write("nokey.csv", [Row("MEX", "SEX_O", "2020", "3.0")]);

        var run = await Lmis.RunAsync(null, "sdmx", "upload", file, "--server", stack.GrpcUrl);

        Assert.True(run.ExitCode == 4, run.All);
    }

    private static string Row(string country, string sex, string year, string value) =>
        string.Create(CultureInfo.InvariantCulture, $"RCM:DF_UNE_RT(1.0),{country},A,{sex},AGE_YTHADULT_YGE15,{year},{value},PT,0,A,");

    private string Write(string name, IEnumerable<string> rows)
    {
        var path = Path.Combine(_files.Path, name);
        File.WriteAllText(path, string.Join('\n', [Header, .. rows]) + "\n");
        return path;
    }

    public void Dispose() => _files.Dispose();
}
