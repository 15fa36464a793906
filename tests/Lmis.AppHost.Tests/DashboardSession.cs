using System.Net.Http.Json;
using Lmis.Contracts.Statistics.V1;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Testing;
using Microsoft.Playwright;

namespace Lmis.AppHost.Tests;

/// <summary>
/// One AppHost with its dashboard (<see cref="DashboardStack"/>) and one headless Debian chromium signed in to it
/// through the printed login link, shared by the dashboard tests; the vacancy they look for is published once.
/// </summary>
public sealed class DashboardSession : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly SemaphoreSlim _publishing = new(1, 1);
    private bool _published;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public DashboardStack Stack { get; private set; } = null!;

    public IPage Page { get; private set; } = null!;

    public DashboardPages Pages { get; private set; } = null!;

    public string? Unavailable { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server") || !File.Exists(Chromium))
        {
            Unavailable = "The dashboard tests need Debian's rabbitmq-server and chromium packages (./test.sh installs them when run as root).";
            return;
        }

        Stack = await DashboardStack.StartAsync(CancellationToken.None);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic"],
        });
        Page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 900 } });
        Pages = new DashboardPages(Page, Stack.Ports.DashboardUrl);
        // The printed login link signs the browser in (a cookie) and lands on the Resources page.
        await Page.GotoAsync(Stack.LoginUrl);
    }

    public void RequireRunning()
    {
        if (Unavailable is not null)
        {
            Assert.Skip(Unavailable);
        }
    }

    /// <summary>As the README walks a newcomer through it: the taxonomy, a publisher key, one vacancy, counted.</summary>
    public async Task PublishOneVacancyAsync(CancellationToken ct)
    {
        await _publishing.WaitAsync(ct);
        try
        {
            if (_published)
            {
                return;
            }

            using (var secretariat = Stack.Grpc(Stack.SecretariatKey))
            {
                await new TaxonomyService.TaxonomyServiceClient(secretariat).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: ct);
            }

            await Stack.PublishOverRestAsync("MEX", "STPS-DASHBOARD-1", "Trabajador agrícola de temporada", "6111", 3, ct);
            var counts = await Stack.CountedAsync("MEX", 3, TimeSpan.FromSeconds(45), ct);
            Assert.True(counts.TotalOpenPositions >= 3, "statistics did not count the vacancy within 45 s");

            _published = true;
        }
        finally
        {
            _publishing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }

        _publishing.Dispose();
    }
}
