namespace Lmis.AppHost.Tests;

/// <summary>
/// Two AppHosts run at once in this assembly (the fixture's and the dashboard test's): neither may take the gateway's
/// fixed ports 8080/8081, which a developer's own AppHost may hold.
/// </summary>
public sealed class TestPortsTests(LocalAppHost stack)
{
    [Fact]
    public void Under_aspire_hosting_testing_the_gateways_fixed_ports_are_randomized()
    {
        stack.RequireRunning();

        // Aspire.Hosting.Testing sets DcpPublisher:RandomizePorts, which replaces the fixed proxy ports.
        Assert.NotEqual(8080, new Uri(stack.HttpUrl).Port);
        Assert.NotEqual(8081, new Uri(stack.GrpcUrl).Port);
    }
}
