using Lmis.Contracts.Taxonomy.V1;
using Lmis.Statistics.Structures;
using Lmis.Statistics.Tests.Api;
using Lmis.Testing;

namespace Lmis.Statistics.Tests.Structures;

/// <summary>CL_OCU and the views' occupation titles follow the taxonomy's releases: its codes are kept a few minutes, then read again.</summary>
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
        async Task<string> MidwivesAsync() => (await codes.ConceptsAsync("isco08", Ct)).Single(c => c.Code == "2222").Labels["en"];
        var before = (await codes.ConceptsAsync("isco08", Ct)).Select(c => c.Code).ToArray();
        var title = await MidwivesAsync();
        Assert.NotEqual("Midwives", title);

        await taxonomy.ImportSchemeVersionAsync(IscoSample.ImportRequest([("2222", "222", "Midwives", "Parteras")]), cancellationToken: Ct);
        clock.Now += TaxonomyCodes.KeptFor - TimeSpan.FromSeconds(1);
        Assert.Equal(title, await MidwivesAsync());

        clock.Now += TimeSpan.FromSeconds(2);
        Assert.Equal("Midwives", await MidwivesAsync());
        Assert.Equal(before, (await codes.ConceptsAsync("isco08", Ct)).Select(c => c.Code));
    }
}
