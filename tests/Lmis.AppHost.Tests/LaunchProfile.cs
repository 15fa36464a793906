using System.Text.Json;
using Lmis.Testing;

namespace Lmis.AppHost.Tests;

/// <summary>Free loopback ports for an AppHost's dashboard, its OTLP receiver and its resource service.</summary>
public sealed record DashboardPorts(int Dashboard, int Otlp, int ResourceService)
{
    public static DashboardPorts Free() => new(FreePort.Next(), FreePort.Next(), FreePort.Next());

    public string DashboardUrl => $"http://localhost:{Dashboard}";
}

/// <summary>
/// What `dotnet run --launch-profile &lt;name&gt;` gives the AppHost (Properties/launchSettings.json), with the
/// profile's fixed dashboard ports replaced by free ones, so a developer's running AppHost is never in the way.
/// </summary>
public static class LaunchProfile
{
    public static Dictionary<string, string> Environment(string name, DashboardPorts ports)
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppHostProcess.ProjectDirectory, "Properties", "launchSettings.json")));
        var profile = settings.RootElement.GetProperty("profiles").GetProperty(name);
        var environment = profile.GetProperty("environmentVariables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        environment["ASPNETCORE_URLS"] = ports.DashboardUrl;
        environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{ports.Otlp}";
        environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{ports.ResourceService}";
        return environment;
    }
}
