using Lmis.Contracts.Classifications;
using Lmis.Taxonomy.Reading;
using Lmis.Taxonomy.Schemes;

namespace Lmis.Taxonomy.Occupations;

/// <summary>
/// The built-in job titles of every language — the ESCO occupations' preferred and alternative titles, each under
/// its ISCO-08 unit group, and the unit groups' own titles — and the ISCO-08 unit groups they suggest for a job
/// title. Built once per pair of ESCO and ISCO-08 versions; read by any number of callers at once.
/// </summary>
public sealed class OccupationTitleIndex
{
    // A second title of the same group matching well is further evidence for it, worth a fifth of its own score.
    private const double SecondTitleSupport = 0.2;

    // How sharply a group's share of the evidence falls as rivals match nearly as well: two groups matching
    // equally well get half each; a rival matching 0.8 as well takes about a seventh.
    private const double SharpnessOfShare = 8;

    // An occupation's preferred title is what ESCO names it; an alternative one, matched as well, is a little weaker
    // evidence (the same alternative title is at times recorded under two groups, the preferred one rarely).
    private const double AlternativeTitleDiscount = 0.97;

    private readonly LanguageTitleIndex[] _languages;

    private OccupationTitleIndex(LanguageTitleIndex[] languages) => _languages = languages;

    /// <summary>How many built-in titles the index holds, all languages together.</summary>
    public int TitleCount => _languages.Sum(l => l.TitleCount);

    /// <summary>
    /// The index of the titles of <paramref name="isco"/>'s unit groups and of <paramref name="esco"/>'s occupations
    /// (when there is an ESCO version), leaving out deprecated concepts and any title <paramref name="include"/> refuses.
    /// </summary>
    public static OccupationTitleIndex Build(SchemeIndex isco, SchemeIndex? esco, Func<JobTitle, bool>? include = null)
    {
        var titles = Titles(isco, esco).Where(t => include is null || include(t)).ToArray();
        return new OccupationTitleIndex([.. TitleWords.Languages.Select(language =>
            new LanguageTitleIndex(language, titles.Where(t => t.Label.Language == language)))]);
    }

    /// <summary>Every title the suggester can match: each unit group's preferred titles, each ESCO occupation's preferred and alternative ones.</summary>
    public static IEnumerable<JobTitle> Titles(SchemeIndex isco, SchemeIndex? esco)
    {
        var unitGroups = isco.ByCode.Values.Where(c => c.Status == ConceptStatus.Active && IsUnitGroup(c.Code)).ToDictionary(c => c.Code, StringComparer.Ordinal);
        foreach (var group in unitGroups.Values.OrderBy(c => c.Code, StringComparer.Ordinal))
        {
            foreach (var label in group.Labels.Where(l => l.Kind == LabelKind.Preferred))
            {
                yield return new JobTitle(null, group, label);
            }
        }

        if (esco is null)
        {
            yield break;
        }

        foreach (var occupation in esco.ByCode.Values.Where(c => c.Status == ConceptStatus.Active).OrderBy(c => c.Code, StringComparer.Ordinal))
        {
            if (OccupationSearch.UnitGroup(esco, occupation.Code) is { } code && unitGroups.TryGetValue(code, out var group))
            {
                foreach (var label in occupation.Labels.Where(l => l.Kind != LabelKind.Definition))
                {
                    yield return new JobTitle(occupation, group, label);
                }
            }
        }
    }

    /// <summary>
    /// ISCO-08 unit groups for a job title in a language (null: en, es and fr), best first: each with the title that
    /// matched it best and a score from 0 to 1 that rises with how closely its titles match the job title and falls
    /// with how well rival groups' titles match it too. A description only reorders what the title found.
    /// </summary>
    public IReadOnlyList<OccupationCodeSuggestion> Suggest(string title, string? description, string? language, int limit)
    {
        var groups = new Dictionary<string, GroupEvidence>(StringComparer.Ordinal);
        foreach (var index in _languages.Where(l => language is null || l.Language == language))
        {
            foreach (var (matched, match) in index.Match(title, description))
            {
                var score = matched.Label.Kind == LabelKind.Alternative ? match * AlternativeTitleDiscount : match;
                var code = matched.UnitGroup.Code;
                groups[code] = groups.TryGetValue(code, out var evidence) ? evidence.With(matched, score) : new GroupEvidence(matched, score, 0);
            }
        }

        if (groups.Count == 0)
        {
            return [];
        }

        var strength = groups.ToDictionary(g => g.Key, g => 1 - ((1 - g.Value.Best) * (1 - (SecondTitleSupport * g.Value.Second))), StringComparer.Ordinal);
        var spread = strength.Values.Sum(s => Math.Pow(s, SharpnessOfShare));
        return [.. strength
            .Select(g => (Code: g.Key, Strength: g.Value, Score: spread > 0 ? g.Value * Math.Pow(g.Value, SharpnessOfShare) / spread : 0))
            .OrderByDescending(g => g.Score)
            .ThenByDescending(g => g.Strength)
            .ThenBy(g => g.Code, StringComparer.Ordinal)
            .Take(limit)
            .Select(g => new OccupationCodeSuggestion(groups[g.Code].Matched.UnitGroup, Math.Clamp(g.Score, 0, 1), groups[g.Code].Matched))];
    }

    private static bool IsUnitGroup(string code) => code.Length == 4 && code.All(char.IsAsciiDigit);

    /// <summary>A group's two best-matching titles' scores, and the best title.</summary>
    private readonly record struct GroupEvidence(JobTitle Matched, double Best, double Second)
    {
        public GroupEvidence With(JobTitle title, double score) =>
            score > Best || (score == Best && title.Label.Text.Length < Matched.Label.Text.Length)
                ? new GroupEvidence(title, score, Best)
                : this with { Second = Math.Max(Second, score) };
    }
}
