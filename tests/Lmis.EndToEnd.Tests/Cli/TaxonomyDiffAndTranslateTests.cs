using System.Text.Json;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests.Cli;

/// <summary>
/// <c>lmis taxonomy diff|translate</c>: a national classification released in three versions, compared across them,
/// and its crosswalk to ISCO-08 read from either side.
/// </summary>
[Collection(LmisCommandCollection.Name)]
public sealed class TaxonomyDiffAndTranslateTests(StandaloneStack stack) : IDisposable
{
    private readonly TempDirectory _files = new("lmis-versions");

    private LmisCommand Lmis => new(Path.Combine(_files.Path, "config"));

    [Fact]
    public async Task A_diff_across_versions_lists_each_concept_once_as_it_ended_and_translate_follows_the_crosswalk()
    {
        var scheme = "nat" + VacancyFeedFiles.NewBatchWord()[4..];
        await ReleaseAsync(scheme, "v1", "code,parent_code\n72,\n7201,72\n7202,72\n", "code,language,kind,text\n72,en,preferred,Trades\n7201,en,preferred,Bricklayers\n7202,en,preferred,Masons\n",
            "code,relation,target_scheme,target_code\n7201,exact,isco08,7112\n7202,broader,isco08,7112\n7202,broader,isco08,7113\n");
        await ReleaseAsync(scheme, "v2", "code,parent_code,status,replaced_by\n7201,72,active,\n7203,72,active,\n7202,72,deprecated,7203\n", "code,language,kind,text\n7203,en,preferred,Stonemasons\n7201,en,preferred,Bricklayers and blocklayers\n", null);
        await ReleaseAsync(scheme, "v3", "code,parent_code\n7203,72\n", "code,language,kind,text\n7203,en,preferred,Stone cutters and masons\n", null);

        var whole = await Lmis.RunAsync(null, "taxonomy", "diff", scheme, "--from", "1", "--to", "3", "--output", "csv", "--server", stack.GrpcUrl);
        var latest = await Lmis.RunAsync(null, "taxonomy", "diff", scheme, "--output", "json", "--server", stack.GrpcUrl);
        var backwards = await Lmis.RunAsync(null, "taxonomy", "diff", scheme, "--from", "3", "--to", "2", "--server", stack.GrpcUrl);
        var toIsco = await Lmis.RunAsync(null, "taxonomy", "translate", scheme, "7201", "--to", "isco08", "--output", "csv", "--server", stack.GrpcUrl);
        var fromIsco = await Lmis.RunAsync(null, "taxonomy", "translate", "isco08", "7112", "--to", scheme, "--output", "csv", "--server", stack.GrpcUrl);
        var unmapped = await Lmis.RunAsync(null, "taxonomy", "translate", scheme, "72", "--to", "isco08", "--server", stack.GrpcUrl);
        var unknown = await Lmis.RunAsync(null, "taxonomy", "translate", scheme, "9999", "--to", "isco08", "--server", stack.GrpcUrl);

        Assert.True(whole.ExitCode == 0, whole.All);
        Assert.Equal(
            [
                "change,code,parent_code,status,replaced_by,label",
                "added,7203,72,active,,Stone cutters and masons",
                "changed,7201,72,active,,Bricklayers and blocklayers",
                "deprecated,7202,72,deprecated,7203,Masons",
            ],
            whole.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).OrderBy(l => l.StartsWith("change,", StringComparison.Ordinal) ? 0 : 1).ThenBy(l => l, StringComparer.Ordinal));
        Assert.Contains($"lmis: {scheme} version 3 against 1: 1 added, 1 changed, 1 deprecated", whole.Errors, StringComparison.Ordinal);
        Assert.True(latest.ExitCode == 0, latest.All);
        var diff = JsonDocument.Parse(latest.Output).RootElement;
        Assert.Equal((2, 3), (diff.GetProperty("fromVersion").GetInt32(), diff.GetProperty("toVersion").GetInt32()));
        Assert.Equal("7203", Assert.Single(diff.GetProperty("changed").EnumerateArray()).GetProperty("code").GetString());
        Assert.False(diff.TryGetProperty("added", out _));
        Assert.True(backwards.ExitCode == 2, backwards.All);
        Assert.True(toIsco.ExitCode == 0, toIsco.All);
        Assert.Contains("exact,isco08,7112,Bricklayers and related workers", toIsco.Output, StringComparison.Ordinal);
        Assert.True(fromIsco.ExitCode == 0, fromIsco.All);
        Assert.Contains($"exact,{scheme},7201,Bricklayers and blocklayers", fromIsco.Output, StringComparison.Ordinal);
        Assert.True(unmapped.ExitCode == 1, unmapped.All);
        Assert.Contains("no crosswalk maps it to isco08", unmapped.Errors, StringComparison.Ordinal);
        Assert.True(unknown.ExitCode == 1, unknown.All);
    }

    private async Task ReleaseAsync(string scheme, string name, string concepts, string labels, string? relations)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_files.Path, scheme + name)).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "concepts.csv"), concepts, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "labels.csv"), labels, TestContext.Current.CancellationToken);
        if (relations is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "relations.csv"), relations, TestContext.Current.CancellationToken);
        }

        var run = await Lmis.RunAsync(stack.SecretariatKey, ["taxonomy", "import", "--scheme", scheme, "--dir", folder, .. relations is null ? ["--amend"] : Array.Empty<string>(), "--server", stack.GrpcUrl]);
        Assert.True(run.ExitCode == 0, run.All);
    }

    public void Dispose() => _files.Dispose();
}
