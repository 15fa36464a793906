using CsCheck;
using Lmis.Taxonomy.Grpc;
using Lmis.Taxonomy.Occupations;
using Lmis.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Lmis.Taxonomy.Tests.Occupations;

/// <summary>Whatever a vacancy's title and description hold, the suggester answers with scores a threshold can be set on.</summary>
public sealed class OccupationSuggestionProperties : IAsyncLifetime
{
    private static readonly Gen<string> TitleLike = Gen.Frequency(
        (3, Hostile.Text(300)),
        (2, Gen.OneOf("albañil", "aide-soignante", "truck driver", "Enfermera/o", "técnico", "ingénieur", "assistant", "de la y", "l'")
            .Select(Hostile.Text(20), (known, noise) => known + noise)),
        (1, Hostile.Of("aeiounrstlcdm ñéèç-/", 1, 60)));

    private readonly ServiceHost<TaxonomyGrpcService> _host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Any_title_and_description_get_at_most_the_limit_of_distinct_groups_scored_from_0_to_1_best_first()
    {
        var index = await _host.Services.GetRequiredService<OccupationCodeSuggester>().IndexAsync(TestContext.Current.CancellationToken);
        var request = Gen.Select(TitleLike, Gen.Frequency((3, Gen.Const(string.Empty)), (1, Hostile.Text(2_000))), Gen.OneOf<string?>(null, "en", "es", "fr"), Gen.Int[1, 20]);

        await Properties.HoldAsync(request, r =>
        {
            var (title, description, language, limit) = r;
            var suggestions = index.Suggest(title, description, language, limit);

            Assert.True(suggestions.Count <= limit);
            Assert.All(suggestions, s => Assert.InRange(s.Score, 0, 1));
            Assert.Equal(suggestions.Select(s => s.Score).OrderDescending(), suggestions.Select(s => s.Score));
            Assert.Equal(suggestions.Count, suggestions.Select(s => s.UnitGroup.Code).Distinct().Count());
            Assert.All(suggestions, s => Assert.True(language is null || s.Matched.Label.Language == language));
        }, iter: 2_000);
    }
}
