using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Lmis.AppHost.Tests;

/// <summary>What a developer reads on the dashboard's Resources and Traces pages, row by row.</summary>
public sealed partial class DashboardPages(IPage page, string dashboardUrl)
{
    public sealed record Reading(IReadOnlyList<string> Missing, string Text);

    /// <summary>One row of the Traces page: its id, its name and the resources its spans come from.</summary>
    public sealed record TraceRow(string Id, string Name, IReadOnlySet<string> Resources);

    /// <summary>Waits until each resource has a row saying Running (the grid updates live).</summary>
    public async Task<Reading> WaitForRunningResourcesAsync(IReadOnlyList<string> resources, TimeSpan within, CancellationToken cancellationToken)
    {
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal), new() { Timeout = 30_000 });
        // The session's other tests may have left the page on the traces.
        await page.GotoAsync($"{dashboardUrl}/");
        return await PollAsync(within, async () =>
        {
            await DismissNotificationsAsync();
            var rows = await page.Locator("[role='row']").AllInnerTextsAsync();
            return (resources.Where(r => !rows.Any(row => Words(row).Contains(r) && Words(row).Contains("Running"))).ToList(), string.Join('\n', rows));
        }, cancellationToken);
    }

    /// <summary>
    /// Reloads the Traces page until <paramref name="missing"/> finds nothing missing in the listed traces (telemetry
    /// arrives in batches).
    /// </summary>
    public async Task<(Reading Reading, IReadOnlyList<TraceRow> Traces)> WaitForTracesAsync(
        Func<IReadOnlyList<TraceRow>, List<string>> missing, TimeSpan within, CancellationToken cancellationToken)
    {
        IReadOnlyList<TraceRow> traces = [];
        var reading = await PollAsync(within, async () =>
        {
            traces = await TracesAsync();
            return (missing(traces), string.Join('\n', traces.Select(t => $"{t.Id} {t.Name}: {string.Join(", ", t.Resources)}")));
        }, cancellationToken);
        return (reading, traces);
    }

    /// <summary>The trace's page (its spans as a waterfall).</summary>
    public async Task OpenTraceAsync(TraceRow trace)
    {
        await page.GotoAsync($"{dashboardUrl}/traces/detail/{trace.Id}");
        await page.GetByText(trace.Name.Split(':')[0], new() { Exact = false }).First.WaitForAsync(new() { Timeout = 10_000 });
        await DismissNotificationsAsync();
        // The waterfall is drawn after the spans arrive over the page's connection.
        await page.WaitForTimeoutAsync(1000);
    }

    private async Task<IReadOnlyList<TraceRow>> TracesAsync()
    {
        await page.GotoAsync($"{dashboardUrl}/traces");
        var rows = page.Locator("[role='row']").Filter(new() { Has = page.Locator(".trace-service-tag") });
        try
        {
            await rows.First.WaitForAsync(new() { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            return [];
        }

        await DismissNotificationsAsync();
        var traces = new List<TraceRow>();
        foreach (var row in await rows.AllAsync())
        {
            // The name cell's tooltip: "Name: <name>\nTrace Id: <id>"; each span tag reads "<resource> (<spans>)".
            var title = await row.Locator("[role='gridcell']").Nth(1).GetAttributeAsync("title") ?? string.Empty;
            var tags = await row.Locator(".trace-service-tag").AllInnerTextsAsync();
            traces.Add(new TraceRow(
                TraceId().Match(title).Groups[1].Value,
                TraceName().Match(title).Groups[1].Value.Trim(),
                tags.Select(t => t.Split(" (")[0].Trim()).ToHashSet(StringComparer.Ordinal)));
        }

        return traces;
    }

    // The banner saying there is no trusted development certificate (the local profile needs none) hides the page.
    private async Task DismissNotificationsAsync()
    {
        foreach (var dismiss in await page.Locator(".dashboard-message-bar-dismiss").AllAsync())
        {
            await dismiss.ClickAsync(new() { Timeout = 2000 });
        }
    }

    private static HashSet<string> Words(string row) =>
        row.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    private static async Task<Reading> PollAsync(TimeSpan within, Func<Task<(List<string> Missing, string Text)>> read, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var (missing, text) = await read();
            if (missing.Count == 0 || DateTime.UtcNow > deadline)
            {
                return new Reading(missing, text);
            }

            await Task.Delay(1000, cancellationToken);
        }
    }

    [GeneratedRegex(@"Trace Id:\s*([0-9a-f]+)")]
    private static partial Regex TraceId();

    [GeneratedRegex(@"Name:\s*(.*)")]
    private static partial Regex TraceName();
}
