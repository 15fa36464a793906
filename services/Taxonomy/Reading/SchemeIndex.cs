using Lmis.BuildingBlocks.Text;
using Lmis.Taxonomy.Schemes;

namespace Lmis.Taxonomy.Reading;

/// <summary>A concept found by a label search: how well it matched, and the label that matched.</summary>
public sealed record SearchHit(Concept Concept, int Score, ConceptLabel MatchedLabel);

/// <summary>
/// One released scheme version held in memory for reading: lookups by code and code prefix, children, relations
/// both ways, and label search. Versions never change, so an index is built once per version.
/// </summary>
public sealed class SchemeIndex
{
    // Match quality, best first; a preferred label wins over an alternative one of the same quality.
    private const int ExactLabel = 100;
    private const int LabelPrefix = 80;
    private const int WholeWords = 60;
    private const int WordPrefix = 50;
    private const int Substring = 20;
    private const int PreferredBonus = 5;

    private readonly string[] _sortedCodes;
    private readonly SearchEntry[] _entries;

    public SchemeIndex(SchemeVersion version, SchemeVersionContent content)
    {
        Version = version;
        ByCode = content.Concepts.ToDictionary(c => c.Code, StringComparer.Ordinal);
        _sortedCodes = [.. ByCode.Keys.Order(StringComparer.Ordinal)];
        Children = content.Concepts.Where(c => c.ParentCode is not null).ToLookup(c => c.ParentCode!, StringComparer.Ordinal);
        Relations = content.Relations;
        RelationsByCode = content.Relations.ToLookup(r => r.Code, StringComparer.Ordinal);
        RelationsByTarget = content.Relations.ToLookup(r => (r.TargetScheme, r.TargetCode));
        _entries = [.. content.Concepts.SelectMany(c => c.Labels
            .Where(l => l.Kind != LabelKind.Definition)
            .Select(l => new SearchEntry(c, l, " " + TextFolding.Fold(l.Text) + " ")))];
    }

    public SchemeVersion Version { get; }

    public IReadOnlyDictionary<string, Concept> ByCode { get; }

    public ILookup<string, Concept> Children { get; }

    public IReadOnlyList<ConceptRelation> Relations { get; }

    public ILookup<string, ConceptRelation> RelationsByCode { get; }

    public ILookup<(string Scheme, string Code), ConceptRelation> RelationsByTarget { get; }

    public Concept? Find(string code) => ByCode.GetValueOrDefault(code);

    /// <summary>Concepts whose code starts with the prefix (all of ISCO-08 "22"), in code order.</summary>
    public IEnumerable<Concept> WithCodePrefix(string prefix)
    {
        var start = Array.BinarySearch(_sortedCodes, prefix, StringComparer.Ordinal);
        for (var i = start < 0 ? ~start : start; i < _sortedCodes.Length && _sortedCodes[i].StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            yield return ByCode[_sortedCodes[i]];
        }
    }

    /// <summary>
    /// Concepts by label in any language, accent- and case-insensitive: whole label, label prefix, whole words and
    /// word prefixes rank above matches inside a word. Each concept appears once, with its best label.
    /// </summary>
    public IReadOnlyList<SearchHit> Search(string query, int? level, string? language, int limit)
    {
        var folded = TextFolding.Fold(query);
        if (folded.Length == 0)
        {
            return [];
        }

        var best = new Dictionary<string, SearchHit>(StringComparer.Ordinal);
        var padded = " " + folded + " ";
        var wordStart = " " + folded;
        foreach (var entry in _entries)
        {
            if ((level is not null && entry.Concept.Level != level) || (language is not null && entry.Label.Language != language))
            {
                continue;
            }

            var text = entry.Folded;
            if (!text.Contains(folded, StringComparison.Ordinal))
            {
                // Every kind of match contains the query; most labels do not, and are passed over with one scan.
                continue;
            }

            var score =
                text.Length == padded.Length && text == padded ? ExactLabel
                : text.StartsWith(wordStart, StringComparison.Ordinal) ? LabelPrefix
                : text.Contains(padded, StringComparison.Ordinal) ? WholeWords
                : text.Contains(wordStart, StringComparison.Ordinal) ? WordPrefix
                : Substring;

            if (entry.Label.Kind == LabelKind.Preferred)
            {
                score += PreferredBonus;
            }

            if (!best.TryGetValue(entry.Concept.Code, out var current) || current.Score < score
                || (current.Score == score && current.MatchedLabel.Text.Length > entry.Label.Text.Length))
            {
                best[entry.Concept.Code] = new SearchHit(entry.Concept, score, entry.Label);
            }
        }

        return best.Values
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.MatchedLabel.Text.Length)
            .ThenBy(h => h.Concept.Code, StringComparer.Ordinal)
            .Take(limit)
            .ToArray();
    }

    private sealed record SearchEntry(Concept Concept, ConceptLabel Label, string Folded);
}
