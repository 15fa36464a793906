using System.Net.Http.Json;
using System.Text.Json;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests.Cli;

/// <summary><c>lmis taxonomy import</c> against a running LMIS, as the secretariat's data team runs it.</summary>
[Collection(LmisCommandCollection.Name)]
public sealed class TaxonomyImportCommandTests(StandaloneStack stack) : IDisposable
{
    private readonly TempDirectory _files = new("import-files");

    private readonly LmisCommand _lmis = new(Path.Combine(Path.GetTempPath(), "lmis-config-none"));

    private Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => RunWithKeyAsync(stack.SecretariatKey, arguments);

    private async Task<(int ExitCode, string Output)> RunWithKeyAsync(string? apiKey, params string[] arguments)
    {
        var run = await _lmis.RunAsync(apiKey, ["taxonomy", "import", .. arguments]);
        return (run.ExitCode, run.Output + run.Errors);
    }

    [Fact]
    public async Task A_folder_of_csv_files_is_released_and_a_bad_one_is_refused_with_every_bad_row()
    {
        var good = Directory.CreateDirectory(Path.Combine(_files.Path, "noc2021")).FullName;
        await File.WriteAllTextAsync(Path.Combine(good, "concepts.csv"), "code,parent_code\n72,\n72100,72\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(good, "labels.csv"),
            "code,language,kind,text\n72,en,preferred,Technical trades and transportation officers and controllers\n72100,en,preferred,\"Machinists and machining and tooling inspectors\"\n72100,fr,preferred,Machinistes et vérificateurs d'usinage et d'outillage\n",
            TestContext.Current.CancellationToken);
        var bad = Directory.CreateDirectory(Path.Combine(_files.Path, "bad")).FullName;
        await File.WriteAllTextAsync(Path.Combine(bad, "concepts.csv"), "code,parent_code\n72,\n72100,99\n", TestContext.Current.CancellationToken);

        var released = await RunAsync("--scheme", "noc2021", "--dir", good, "--server", stack.GrpcUrl);
        var refused = await RunAsync("--scheme", "noc2022", "--dir", bad, "--server", stack.GrpcUrl);
        using var http = new HttpClient { BaseAddress = new Uri(stack.HttpUrl) };
        var concept = await http.GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/schemes/noc2021/concepts/72100", TestContext.Current.CancellationToken);
        using var missing = await http.GetAsync("/api/v1/taxonomy/schemes/noc2022/versions", TestContext.Current.CancellationToken);

        Assert.True(released.ExitCode == 0, released.Output);
        Assert.Contains("noc2021 version 1 released: 2 concepts (2 added, 0 changed, 0 deprecated)", released.Output, StringComparison.Ordinal);
        Assert.Equal("Machinistes et vérificateurs d'usinage et d'outillage", concept.GetProperty("labels").GetProperty("fr").GetString());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("concepts.csv:3:parent_code: '99': unknown parent", refused.Output, StringComparison.Ordinal);
        Assert.Contains("concepts.csv:2:code: '72': needs a preferred label", refused.Output, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Without_the_secretariat_key_nothing_is_released_and_it_says_why()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_files.Path, "nokey")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "concepts.csv"), "code,parent_code\n1,\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "labels.csv"), "code,language,kind,text\n1,en,preferred,One\n", TestContext.Current.CancellationToken);

        var anonymous = await RunWithKeyAsync(null, "--scheme", "nokey1", "--dir", folder, "--server", stack.GrpcUrl);
        var publisher = await RunWithKeyAsync(await stack.PublisherKeyAsync("SLV"), "--scheme", "nokey1", "--dir", folder, "--server", stack.GrpcUrl);
        using var http = new HttpClient { BaseAddress = new Uri(stack.HttpUrl) };
        using var missing = await http.GetAsync("/api/v1/taxonomy/schemes/nokey1/versions", TestContext.Current.CancellationToken);

        Assert.True(anonymous.ExitCode == 4, anonymous.Output);
        Assert.Contains("needs a secretariat credential", anonymous.Output, StringComparison.Ordinal);
        Assert.True(publisher.ExitCode == 4, publisher.Output);
        Assert.Contains("is for the secretariat; publisher", publisher.Output, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Without_a_scheme_it_says_how_to_use_it()
    {
        var (exitCode, output) = await RunAsync("--dir", _files.Path);

        Assert.Equal(2, exitCode);
        Assert.Contains("Option '--scheme' is required", output, StringComparison.Ordinal);
        Assert.Contains("see: lmis taxonomy import --help", output, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();
}
