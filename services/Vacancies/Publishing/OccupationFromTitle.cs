using System.Globalization;
using Lmis.BuildingBlocks.Errors;
using Lmis.Vacancies.Taxonomy;

namespace Lmis.Vacancies.Publishing;

/// <summary>How a vacancy's ISCO-08 code was obtained; stored only when not given by the publisher, shown as occupation_coding.</summary>
public static class OccupationCodings
{
    public const string Publisher = "publisher";

    /// <summary>Translated from the national occupation code through the taxonomy's crosswalk.</summary>
    public const string Crosswalk = "crosswalk";

    /// <summary>The taxonomy's best suggestion for the job title (suggest_occupation_code).</summary>
    public const string Machine = "machine";
}

/// <summary>
/// The ISCO-08 code a job title reads as, from the taxonomy's suggestions: a vacancy sent without a code may be coded
/// by machine, and a code given is checked against its title. A warning never changes a code and never refuses a
/// vacancy; without a suggestion (the taxonomy cannot say) there is no warning, and no machine coding.
/// </summary>
public sealed class OccupationFromTitle(ITaxonomyLookups taxonomy, OccupationFromTitleSettings settings)
{
    /// <summary>
    /// The best suggestion's code when it is certain enough, with a warning to check it; otherwise null and the
    /// refusal on occupation_code (naming the best suggestion, its score and the threshold).
    /// </summary>
    public async Task<(string? Code, FieldError Note)> CodeByMachineAsync(string title, string? language, CancellationToken cancellationToken)
    {
        var suggestions = await taxonomy.SuggestOccupationsAsync(title, language, cancellationToken);
        if (suggestions is null)
        {
            return (null, new FieldError("occupation_code", null,
                "no code given and none could be suggested: the taxonomy cannot suggest ISCO-08 codes now; give occupation_code, or send the vacancy again later"));
        }

        if (suggestions.Count == 0)
        {
            return (null, new FieldError("occupation_code", null,
                "no code given and none could be suggested: the title matches no ISCO-08 group; give occupation_code"));
        }

        var best = suggestions[0];
        if (best.Score < settings.MachineCodingMinimumScore)
        {
            return (null, new FieldError("occupation_code", null,
                $"no code given and none could be suggested with enough certainty: the title reads best as {Describe(best)}, "
                + $"below the {Score(settings.MachineCodingMinimumScore)} required to code by machine; give occupation_code"));
        }

        return (best.IscoCode, new FieldError("occupation_code", best.IscoCode,
            $"coded by machine from the title as {Describe(best)}; check it"));
    }

    /// <summary>
    /// A warning when the title reads clearly as another group than <paramref name="code"/>: the best suggestion is
    /// certain enough, and none of the first three shares the code's first two digits (its first, for a 1-digit code).
    /// </summary>
    public async Task<FieldError?> CheckAsync(string title, string? language, string code, CancellationToken cancellationToken)
    {
        if (!settings.CheckEnabled || await taxonomy.SuggestOccupationsAsync(title, language, cancellationToken) is not [var best, ..] suggestions
            || best.Score < settings.CheckMinimumScore)
        {
            return null;
        }

        var group = code[..Math.Min(2, code.Length)];
        return suggestions.Take(SuggestedOccupation.PerTitle).Any(s => s.IscoCode.StartsWith(group, StringComparison.Ordinal))
            ? null
            : new FieldError("occupation_code", code, $"the title reads as {Describe(best)}, not {code}; check the code");
    }

    private static string Describe(SuggestedOccupation suggestion) =>
        $"{suggestion.IscoCode} {suggestion.IscoTitle} (score {Score(suggestion.Score)}, matched '{suggestion.MatchedTitle}')";

    private static string Score(double score) => score.ToString("0.###", CultureInfo.InvariantCulture);
}
