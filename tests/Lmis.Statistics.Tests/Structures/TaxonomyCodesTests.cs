using Lmis.Contracts.Taxonomy.V1;
using Lmis.Statistics.Structures;
using Lmis.Statistics.Tests.Api;
using Lmis.Testing;

namespace Lmis.Statistics.Tests.Structures;

/// <summary>CL_OCU follows the taxonomy's releases: its codes are kept a few minutes, then read again.</summary>
public sealed class TaxonomyCodesTests(StatisticsInProcess service) : IClassFixture<StatisticsInProcess>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task A_new_release_of_the_taxonomy_is_seen_once_the_kept_codes_are_older_than_the_time_they_are_kept()
    {
        var taxonomy = new TaxonomyService.TaxonomyServiceClient(service.Taxonomy.GrpcChannel(TestCaller.Secretariat));
        var clock = new Clock(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var codes = new TaxonomyCodes(taxonomy, clock);
        var before = (await codes.ConceptsAsync("isco08", Ct)).Select(c => c.Code).ToArray();
        Assert.DoesNotContain("2222", before);

        await taxonomy.ImportSchemeVersionAsync(IscoSample.ImportRequest([("2222", "222", "Midwifery professionals", "Profesionales de partería")]), cancellationToken: Ct);
        clock.Now += TaxonomyCodes.KeptFor - TimeSpan.FromSeconds(1);
        Assert.Equal(before, (await codes.ConceptsAsync("isco08", Ct)).Select(c => c.Code));

        clock.Now += TimeSpan.FromSeconds(2);
        var after = (await codes.ConceptsAsync("isco08", Ct)).Select(c => c.Code).ToArray();
        Assert.Contains("2222", after);
        Assert.Superset(before.ToHashSet(), after.ToHashSet());
    }
}
