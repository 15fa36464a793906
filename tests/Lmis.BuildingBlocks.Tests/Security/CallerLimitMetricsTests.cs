using System.Diagnostics.Metrics;
using System.Net;
using Lmis.BuildingBlocks.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Lmis.BuildingBlocks.Tests.Security;

/// <summary>Calls refused for going over a caller's share are counted by route and caller role.</summary>
public sealed class CallerLimitMetricsTests
{
    [Fact]
    public async Task Each_call_refused_by_the_caller_limits_is_counted_with_its_route_and_the_callers_role()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["Lmis:Limits:RequestsPerSecond"] = "1";
        builder.Configuration["Lmis:Limits:Burst"] = "2";
        builder.AddCallerLimits();
        await using var app = builder.Build();
        // Stands in for authentication: every call comes with one publisher's credential.
        app.Use((context, next) =>
        {
            context.User = Caller.Principal("test", "ministry-MEX", AccessRoles.Publisher, "MEX", "key-1");
            return next(context);
        });
        app.UseRouting();
        app.UseCallerLimits();
        app.MapGet("/api/v1/vacancies", () => "[]").WithName("vacancies-search");
        using var refused = new MetricCollector<long>(app.Services.GetRequiredService<IMeterFactory>(), CallerLimitMetrics.MeterName, "lmis.gateway.rate_limited");
        await app.StartAsync(ct);
        var http = app.GetTestClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await http.GetAsync("/api/v1/vacancies", ct);
            statuses.Add(response.StatusCode);
        }

        var tooMany = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.InRange(tooMany, 2, 3);
        Assert.Equal(tooMany, refused.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.All(refused.GetMeasurementSnapshot(), m => Assert.Equal(("vacancies-search", AccessRoles.Publisher), (m.Tags["route"], m.Tags["role"])));
    }
}
