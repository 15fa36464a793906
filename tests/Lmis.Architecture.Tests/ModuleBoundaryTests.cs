using System.Reflection;
using System.Runtime.CompilerServices;
using Lmis.Contracts.Events;
using NetArchTest.Rules;

namespace Lmis.Architecture.Tests;

/// <summary>Where one module may reach into another, and where a write's decision may live.</summary>
public sealed class ModuleBoundaryTests
{
    public static TheoryData<string> Services => new(Lmis.Services);

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_opens_its_internals_to_no_other_assembly_but_its_own_tests(string service)
    {
        var openedTo = Lmis.Load(service).GetCustomAttributes<InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName.Split(',')[0])
            .Where(name => name != $"{service}.Tests");

        Assert.Empty(openedTo);
    }

    [Fact]
    public void The_gateway_hosts_the_access_module_through_the_module_never_its_storage_keys_or_grpc_api()
    {
        var result = Types.InAssembly(Lmis.Load(Lmis.Gateway))
            .ShouldNot().HaveDependencyOnAny($"{Lmis.Access}.Storage", $"{Lmis.Access}.Keys", $"{Lmis.Access}.Grpc")
            .GetResult();

        Assert.Empty(result.FailingTypeNames ?? []);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void A_services_storage_builds_no_event_the_domain_decides_what_a_write_announces(string service)
    {
        var result = Types.InAssembly(Lmis.Load(service))
            .That().ResideInNamespace($"{service}.Storage")
            .ShouldNot().HaveDependencyOnAny(Events)
            .GetResult();

        Assert.Empty(result.FailingTypeNames ?? []);
    }

    [Fact]
    public void The_event_rule_sees_the_events_where_the_domain_builds_them()
    {
        // Without this, a rule that matched no event at all would pass whatever the adapters did.
        Assert.Contains("Lmis.Vacancies.Publishing.Vacancy", Types.InAssembly(Lmis.Load("Lmis.Vacancies"))
            .That().HaveDependencyOnAny(Events).GetTypes().Select(t => t.FullName));
    }

    /// <summary>The integration events' types: facts the services announce to each other.</summary>
    private static string[] Events =>
        [.. typeof(IIntegrationEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IIntegrationEvent).IsAssignableFrom(t))
            .Select(t => t.FullName!)];
}
