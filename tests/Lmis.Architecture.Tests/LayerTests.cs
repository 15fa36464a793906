using NetArchTest.Rules;

namespace Lmis.Architecture.Tests;

public sealed class LayerTests
{
    public static TheoryData<string> Services => new(Lmis.Services);

    [Theory]
    [MemberData(nameof(Services))]
    public void A_services_storage_does_not_depend_on_its_grpc_api(string service)
    {
        var result = Types.InAssembly(Lmis.Load(service))
            .That().ResideInNamespace($"{service}.Storage")
            .ShouldNot().HaveDependencyOn($"{service}.Grpc")
            .GetResult();

        Assert.Empty(result.FailingTypeNames ?? []);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void A_services_grpc_api_reaches_storage_through_its_interface_not_a_sqlite_or_mongo_store(string service)
    {
        var stores = ConcreteStores(service);
        // Without stores to look for, the rule would pass whatever the API did.
        Assert.NotEmpty(stores);

        var result = Types.InAssembly(Lmis.Load(service))
            .That().ResideInNamespace($"{service}.Grpc")
            .ShouldNot().HaveDependencyOnAny(stores)
            .GetResult();

        Assert.Empty(result.FailingTypeNames ?? []);
    }

    /// <summary>The storage adapters' classes: Sqlite* and Mongo* in the service's Storage namespace.</summary>
    private static string[] ConcreteStores(string service) =>
        [.. Lmis.Load(service).GetTypes()
            .Where(t => t is { IsClass: true, IsNested: false } && t.Namespace == $"{service}.Storage"
                        && (t.Name.StartsWith("Sqlite", StringComparison.Ordinal) || t.Name.StartsWith("Mongo", StringComparison.Ordinal)))
            .Select(t => t.FullName!)];
}
