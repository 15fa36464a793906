using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Classifications;
using Lmis.Statistics.Structures;

namespace Lmis.Statistics.RegionalViews;

/// <summary>
/// The titles the statistics views show beside ISCO-08 codes (labour shortages, complementarity, vacancy figures and
/// counts), in the language the caller asks for, from the taxonomy's latest release as <see cref="TaxonomyCodes"/>
/// keeps it. The figures themselves do not come from the taxonomy, so when it cannot be asked they are still
/// answered, with empty titles, rather than refused — and soon: a view waits for the titles at most
/// <see cref="WaitedFor"/>, not for every retry of a taxonomy that is away.
/// </summary>
public sealed class OccupationTitles(TaxonomyCodes taxonomy, ILogger<OccupationTitles> logger)
{
    public const string DefaultLanguage = "en";

    public static readonly TimeSpan WaitedFor = TimeSpan.FromSeconds(5);

    /// <summary>The languages ISCO-08 titles are built in (and shown) in.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "es", "fr"];

    /// <summary>The language a caller asked for (<c>en</c> when none), or the error saying which it may ask for.</summary>
    public static (string Language, FieldError? Error) Language(string? asked)
    {
        var language = (asked ?? string.Empty).Trim().ToLowerInvariant();
        return language.Length == 0 ? (DefaultLanguage, null)
            : Languages.Contains(language) ? (language, null)
            : (DefaultLanguage, new FieldError("language", asked, "en, es or fr: the languages occupation titles are shown in"));
    }

    /// <summary>The language a caller asked for; any other than en, es or fr is refused.</summary>
    public static string LanguageOrRefuse(string? asked, string subject) =>
        Language(asked) is (var language, null) ? language : throw new ValidationFailedException(subject, [Language(asked).Error!]);

    /// <summary>
    /// Every ISCO-08 group's title in <paramref name="language"/> (English where a group has none in it), by code;
    /// empty when the taxonomy cannot be asked or has not answered within <see cref="WaitedFor"/> (the reading goes on,
    /// kept for the next call).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> InAsync(string language, CancellationToken cancellationToken)
    {
        try
        {
            var concepts = await taxonomy.ConceptsAsync(SchemeIds.Isco08, cancellationToken).WaitAsync(WaitedFor, cancellationToken);
            return concepts.ToDictionary(c => c.Code, c => Title(c.Labels, language), StringComparer.Ordinal);
        }
        catch (DependencyUnavailableException e)
        {
            logger.LogWarning(e, "Occupation titles left empty: {Reason}", e.Message);
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Occupation titles left empty: the taxonomy service did not answer within {WaitedFor}.", WaitedFor);
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
    }

    private static string Title(IDictionary<string, string> labels, string language) =>
        labels.TryGetValue(language, out var title) && title.Length > 0 ? title
        : labels.TryGetValue(DefaultLanguage, out var english) ? english
        : labels.Values.FirstOrDefault() ?? string.Empty;
}
