using Lmis.Vacancies.Taxonomy;

namespace Lmis.Vacancies.Tests;

/// <summary>
/// A taxonomy whose codes and crosswalks are another's (<paramref name="codes"/>) and whose reading of job titles is
/// the test's own: each title the ISCO-08 groups it suggests, best first. <see cref="Down"/> makes it unable to
/// suggest (unreachable, or too old to), as the taxonomy of this branch is; <see cref="Asked"/> counts the titles asked.
/// </summary>
internal sealed class TitleReadingTaxonomy(ITaxonomyLookups codes, IReadOnlyDictionary<string, SuggestedOccupation[]> readings) : ITaxonomyLookups
{
    /// <summary>What the built-in ISCO-08 and ESCO titles would say of a few job titles.</summary>
    public static readonly IReadOnlyDictionary<string, SuggestedOccupation[]> Readings = new Dictionary<string, SuggestedOccupation[]>(StringComparer.Ordinal)
    {
        ["Albañil"] = [new("7112", "Bricklayers and related workers", 0.82, "albañil"), new("9313", "Building construction labourers", 0.41, "peón de albañil")],
        ["Enfermera"] = [new("2221", "Nursing professionals", 0.9, "enfermera"), new("3221", "Nursing associate professionals", 0.6, "enfermera auxiliar")],
        ["Enfermera de obra"] = [new("2221", "Nursing professionals", 0.7, "enfermera"), new("7112", "Bricklayers and related workers", 0.2, "obrero")],
        ["Ayudante"] = [new("9313", "Building construction labourers", 0.31, "ayudante de obra")],
        ["Poeta"] = [],
    };

    public int Asked { get; private set; }

    public bool Down { get; set; }

    public Task<ConceptLookup> FindAsync(string scheme, string code, CancellationToken cancellationToken) => codes.FindAsync(scheme, code, cancellationToken);

    public Task<IReadOnlyList<string>> TranslateAsync(string fromScheme, string code, string toScheme, CancellationToken cancellationToken) =>
        codes.TranslateAsync(fromScheme, code, toScheme, cancellationToken);

    public Task<IReadOnlyList<SuggestedOccupation>?> SuggestOccupationsAsync(string title, string? language, CancellationToken cancellationToken)
    {
        Asked++;
        return Task.FromResult<IReadOnlyList<SuggestedOccupation>?>(Down ? null : readings.GetValueOrDefault(title, []));
    }

    public void Forget() => codes.Forget();
}
