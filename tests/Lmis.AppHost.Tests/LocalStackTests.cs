using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Lmis.Contracts.Statistics.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;

[assembly: AssemblyFixture(typeof(Lmis.AppHost.Tests.LocalAppHost))]

namespace Lmis.AppHost.Tests;

/// <summary>The whole stack under the AppHost in local mode, used as the README walks a newcomer through it.</summary>
public sealed class LocalStackTests(LocalAppHost stack)
{
    [Fact]
    public async Task Every_resource_of_the_local_stack_is_running_and_healthy()
    {
        stack.RequireRunning();
        var ct = TestContext.Current.CancellationToken;
        foreach (var name in LocalAppHost.Resources)
        {
            using var within = CancellationTokenSource.CreateLinkedTokenSource(ct);
            within.CancelAfter(TimeSpan.FromSeconds(60));
            var state = await stack.App.ResourceNotifications.WaitForResourceAsync(name,
                e => e.Snapshot.State?.Text == KnownResourceStates.Running
                    && (e.Snapshot.HealthStatus is null or Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy), within.Token);
            Assert.Equal(KnownResourceStates.Running, state.Snapshot.State?.Text);
        }
    }

    [Fact]
    public async Task A_vacancy_published_through_the_apphosts_gateway_is_counted_by_the_statistics_service()
    {
        stack.RequireRunning();
        var ct = TestContext.Current.CancellationToken;
        await stack.PublishOverRestAsync("MEX", "STPS-APPHOST-1", "Trabajador agrícola de temporada", "6111", 12, ct);
        var counts = await stack.CountedAsync("MEX", 12, TimeSpan.FromSeconds(60), ct);

        Assert.Equal((1, 12), (counts.TotalOpenVacancies, counts.TotalOpenPositions));
    }
}
