using System.Text.RegularExpressions;
using Aspire.Hosting;
using Lmis.Contracts.Audit.V1;
using Lmis.Contracts.Statistics.V1;
using Lmis.Testing;

namespace Lmis.AppHost.Tests;

/// <summary>The operator's commands in the dashboard's resource menus, run as the dashboard runs them.</summary>
public sealed partial class ResourceCommandTests(LocalAppHost stack)
{
    [Fact]
    public async Task Rebuild_vacancy_figures_on_statistics_rebuilds_them_as_the_secretariat_and_is_audited()
    {
        stack.RequireRunning();
        var ct = TestContext.Current.CancellationToken;
        var before = DateTime.UtcNow.AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        var result = await stack.App.ResourceCommands.ExecuteCommandAsync("statistics", StackCommands.RebuildVacancyFigures, ct);

        Assert.True(result.Success, result.Message);
        var read = Rebuilt().Match(result.Message ?? string.Empty);
        Assert.True(read.Success, result.Message);

        // Sent through the gateway with the secretariat's key: the service audited it, with the same count.
        using var channel = stack.Grpc(stack.SecretariatKey);
        var audit = await new StatisticsService.StatisticsServiceClient(channel)
            .ListAuditRecordsAsync(new ListAuditRecordsRequest { Since = before, PageSize = 100 }, cancellationToken: ct);
        var record = Assert.Single(audit.Records, r => r.Action == "POST /api/v1/statistics/vacancy-figures:rebuild" && r.Outcome == "HTTP 200");
        Assert.Equal("secretariat", record.Role);
        Assert.Equal($"vacancy figures rebuilt from {read.Groups[1].Value} vacancies", record.Summary);
    }

    [Fact]
    public async Task Show_where_the_secretariats_first_key_is_on_the_gateway_names_the_parameter_its_source_and_the_key_store()
    {
        stack.RequireRunning();
        var ct = TestContext.Current.CancellationToken;

        var result = await stack.App.ResourceCommands.ExecuteCommandAsync("gateway", StackCommands.SecretariatKeyLocation, ct);

        Assert.True(result.Success, result.Message);
        // The fixture passes the key on the AppHost's command line.
        Assert.Equal("Parameter secretariat-key, from the AppHost's command line (--Parameters:secretariat-key)", result.Message);
        var details = result.Data?.Value ?? string.Empty;
        Assert.Contains("dotnet user-secrets list --project apphost/Lmis.AppHost", details, StringComparison.Ordinal);
        Assert.Contains("X-Api-Key", details, StringComparison.Ordinal);
        Assert.Contains(stack.Output().Split(" data under ")[1], details, StringComparison.Ordinal);
        // Where the key is, never the key.
        Assert.DoesNotContain(stack.SecretariatKey, result.Message + details, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^Vacancy figures rebuilt from (\d+) vacancies\.$")]
    private static partial Regex Rebuilt();
}
