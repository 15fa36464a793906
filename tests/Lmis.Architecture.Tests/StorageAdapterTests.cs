using NetArchTest.Rules;

namespace Lmis.Architecture.Tests;

/// <summary>How a service's storage adapters are cut: each engine on its own, and a search apart from the writes.</summary>
public sealed class StorageAdapterTests
{
    private const string Vacancies = "Lmis.Vacancies";

    public static TheoryData<string> Services => new(Lmis.Services);

    [Theory]
    [MemberData(nameof(Services))]
    public void A_sqlite_adapter_borrows_nothing_from_a_mongodb_adapter_and_the_other_way_round(string service)
    {
        var sqlite = Adapters(service, "Sqlite");
        var mongo = Adapters(service, "Mongo");
        Assert.NotEmpty(sqlite);
        Assert.NotEmpty(mongo);

        var sqliteResult = Types.InAssembly(Lmis.Load(service)).That().HaveNameStartingWith("Sqlite").ShouldNot().HaveDependencyOnAny(mongo).GetResult();
        var mongoResult = Types.InAssembly(Lmis.Load(service)).That().HaveNameStartingWith("Mongo").ShouldNot().HaveDependencyOnAny(sqlite).GetResult();

        Assert.Empty(sqliteResult.FailingTypeNames ?? []);
        Assert.Empty(mongoResult.FailingTypeNames ?? []);
    }

    [Theory]
    [InlineData("SqliteVacancySearch", "SqliteVacancyStore")]
    [InlineData("MongoVacancySearch", "MongoVacancyStore")]
    public void A_vacancy_search_reads_only_it_depends_on_no_writer_no_outbox_and_no_write_decision(string search, string writer)
    {
        var result = Types.InAssembly(Lmis.Load(Vacancies))
            .That().HaveName(search)
            .ShouldNot().HaveDependencyOnAny(
                $"{Vacancies}.Storage.{writer}",
                $"{Vacancies}.Storage.VacancyWrite",
                $"{Vacancies}.Publishing.PublishOutcome",
                "Lmis.BuildingBlocks.Outbox")
            .GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
        Assert.Single(Types.InAssembly(Lmis.Load(Vacancies)).That().HaveName(search).GetTypes());
    }

    /// <summary>The adapters of one engine in a service's Storage namespace (their nested types included).</summary>
    private static string[] Adapters(string service, string engine) =>
        [.. Lmis.Load(service).GetTypes()
            .Where(t => t is { IsClass: true, IsNested: false } && t.Namespace == $"{service}.Storage" && t.Name.StartsWith(engine, StringComparison.Ordinal))
            .Select(t => t.FullName!)];
}
