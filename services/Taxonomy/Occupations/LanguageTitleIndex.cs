using System.Buffers;
using System.Runtime.InteropServices;

namespace Lmis.Taxonomy.Occupations;

/// <summary>
/// The built-in job titles of one language, indexed by word stem, with each stem's weight (rare words say more:
/// "albañil" more than "oficial") and its character trigrams (so "electrisista" still finds "electricista").
/// A query's match with a title is a weighted overlap of their stems (Dice over BM25 weights): 1 when every stem
/// of each is in the other, less for every word one has and the other lacks.
/// </summary>
internal sealed class LanguageTitleIndex
{
    // Most words of a title say what the job is; a vacancy description says much else besides.
    private const int MaxTitleStems = 24;
    private const int MaxDescriptionStems = 400;
    private const double DescriptionWeight = 0.5;

    // A query word that is no built-in word counts half as much as the rarest one: it may change what the job is.
    private const double UnknownWordShare = 0.5;

    // Words alike in spelling: candidates share trigrams; a known word accepts only near twins, an unknown one
    // (a typo, an unusual form) also looser ones, at most a few each.
    private const double TrigramCandidate = 0.4;
    private const double KnownWordSimilarity = 0.8;
    private const double UnknownWordSimilarity = 0.7;
    private const int MaxSimilarWords = 6;
    private const int MinLengthForSimilarity = 4;

    // Per-call tallies over every title and every stem, borrowed and given back clean (only touched entries are
    // reset), so a suggestion allocates no table the size of the index.
    private static readonly ArrayPool<Evidence> EvidencePool = ArrayPool<Evidence>.Create();
    private static readonly ArrayPool<int> CountPool = ArrayPool<int>.Create();

    private readonly JobTitle[] _titles;
    private readonly int[][] _titleStems;
    private readonly double[] _titleWeights;
    private readonly Dictionary<string, int> _stemIds;
    private readonly string[] _stems;
    private readonly double[] _weights;
    private readonly int[][] _postings;
    private readonly Dictionary<string, int[]> _trigramStems;
    private readonly int[] _trigramCounts;
    private readonly double _unknownWeight;

    public LanguageTitleIndex(string language, IEnumerable<JobTitle> titles)
    {
        Language = language;
        var kept = new List<JobTitle>();
        var stemLists = new List<int[]>();
        _stemIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var stems = new List<string>();
        foreach (var title in titles)
        {
            var words = TitleWords.Stems(title.Label.Text, language, MaxTitleStems);
            if (words.Count == 0)
            {
                continue;
            }

            kept.Add(title);
            stemLists.Add([.. words.Select(w =>
            {
                ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_stemIds, w, out var exists);
                if (!exists)
                {
                    id = stems.Count;
                    stems.Add(w);
                }

                return id;
            })]);
        }

        _titles = [.. kept];
        _titleStems = [.. stemLists];
        _stems = [.. stems];
        var frequency = new int[_stems.Length];
        foreach (var id in _titleStems.SelectMany(s => s))
        {
            frequency[id]++;
        }

        // BM25's inverse document frequency: always positive, highest for a word in a single title.
        double Idf(int df) => Math.Log(1 + ((_titles.Length - df + 0.5) / (df + 0.5)));
        _weights = [.. frequency.Select(Idf)];
        _unknownWeight = UnknownWordShare * Idf(1);
        _titleWeights = [.. _titleStems.Select(s => s.Sum(id => _weights[id]))];
        var postings = Enumerable.Range(0, _stems.Length).Select(_ => new List<int>()).ToArray();
        for (var t = 0; t < _titleStems.Length; t++)
        {
            foreach (var id in _titleStems[t])
            {
                postings[id].Add(t);
            }
        }

        _postings = [.. postings.Select(p => p.ToArray())];
        _trigramCounts = new int[_stems.Length];
        var trigrams = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var id = 0; id < _stems.Length; id++)
        {
            var grams = Trigrams(_stems[id]);
            _trigramCounts[id] = grams.Count;
            foreach (var gram in grams)
            {
                ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(trigrams, gram, out _);
                (list ??= []).Add(id);
            }
        }

        _trigramStems = trigrams.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    public string Language { get; }

    public int TitleCount => _titles.Length;

    /// <summary>
    /// Every built-in title sharing a word (or a word spelled alike) with the job title, with how well the two
    /// match (0 to 1). Words of the description that a title has and the job title lacks count at half weight
    /// towards that title; the description alone finds nothing.
    /// </summary>
    public List<(JobTitle Title, double Score)> Match(string title, string? description)
    {
        var words = TitleWords.Stems(title, Language, MaxTitleStems);
        var found = EvidencePool.Rent(_titles.Length);
        var touched = new List<int>();
        try
        {
            var matchedStems = new HashSet<int>();
            double queryWeight = 0;
            for (var w = 0; w < words.Count; w++)
            {
                var similar = Similar(words[w]);
                var weight = similar.Count == 0 ? _unknownWeight : _weights[similar[0].Stem];
                queryWeight += weight;
                foreach (var (stem, similarity) in similar)
                {
                    matchedStems.Add(stem);
                    foreach (var t in _postings[stem])
                    {
                        ref var evidence = ref found[t];
                        if (evidence.LastWord == 0)
                        {
                            touched.Add(t);
                        }
                        else if (evidence.LastWord == w + 1)
                        {
                            // Already credited for this word, by a stem at least as alike (similar words come best first).
                            continue;
                        }

                        evidence.LastWord = w + 1;
                        evidence.Query += weight * similarity;
                        evidence.Title += _weights[stem] * similarity;
                    }
                }
            }

            var described = DescriptionStems(description, matchedStems);
            var matches = new List<(JobTitle, double)>(touched.Count);
            foreach (var t in touched)
            {
                var titleSide = found[t].Title;
                if (described.Count > 0)
                {
                    titleSide += DescriptionWeight * _titleStems[t].Where(described.Contains).Sum(id => _weights[id]);
                }

                var total = queryWeight + _titleWeights[t];
                matches.Add((_titles[t], Math.Clamp((found[t].Query + Math.Min(titleSide, _titleWeights[t])) / total, 0, 1)));
            }

            return matches;
        }
        finally
        {
            foreach (var t in touched)
            {
                found[t] = default;
            }

            EvidencePool.Return(found);
        }
    }

    private HashSet<int> DescriptionStems(string? description, HashSet<int> matchedStems) =>
        string.IsNullOrWhiteSpace(description)
            ? []
            : [.. TitleWords.Stems(description, Language, MaxDescriptionStems)
                .Select(s => _stemIds.GetValueOrDefault(s, -1))
                .Where(id => id >= 0 && !matchedStems.Contains(id))];

    /// <summary>The built-in stems a query word stands for, the most alike first: itself if known, then near spellings.</summary>
    private List<(int Stem, double Similarity)> Similar(string word)
    {
        var similar = new List<(int Stem, double Similarity)>();
        var known = _stemIds.TryGetValue(word, out var self);
        if (known)
        {
            similar.Add((self, 1));
        }

        if (word.Length < MinLengthForSimilarity)
        {
            return similar;
        }

        var grams = Trigrams(word);
        var shared = CountPool.Rent(_stems.Length);
        var touched = new List<int>();
        var alike = new List<(int Stem, double Similarity)>();
        try
        {
            foreach (var gram in grams)
            {
                foreach (var id in _trigramStems.GetValueOrDefault(gram, []))
                {
                    if (shared[id]++ == 0)
                    {
                        touched.Add(id);
                    }
                }
            }

            var floor = known ? KnownWordSimilarity : UnknownWordSimilarity;
            foreach (var id in touched)
            {
                var dice = 2.0 * shared[id] / (grams.Count + _trigramCounts[id]);
                if ((known && id == self) || dice < TrigramCandidate || _stems[id].Length < MinLengthForSimilarity)
                {
                    continue;
                }

                var similarity = Math.Max(dice, EditSimilarity(word, _stems[id]));
                if (similarity >= floor)
                {
                    alike.Add((id, similarity));
                }
            }
        }
        finally
        {
            foreach (var id in touched)
            {
                shared[id] = 0;
            }

            CountPool.Return(shared);
        }

        similar.AddRange(alike.OrderByDescending(a => a.Similarity).ThenBy(a => a.Stem).Take(MaxSimilarWords));
        return similar;
    }

    /// <summary>The distinct character trigrams of a word, its start and end marked ("^al", "il$").</summary>
    private static HashSet<string> Trigrams(string word)
    {
        var padded = "^" + word + "$";
        var grams = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 3 <= padded.Length; i++)
        {
            grams.Add(padded.Substring(i, 3));
        }

        return grams;
    }

    /// <summary>1 minus the share of letters to change (one swap of neighbours counting as one change).</summary>
    private static double EditSimilarity(string a, string b)
    {
        var longest = Math.Max(a.Length, b.Length);
        if (Math.Abs(a.Length - b.Length) > 2)
        {
            return 0;
        }

        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    current[j] = Math.Min(current[j], previous2[j - 2] + 1);
                }
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return 1 - ((double)previous[b.Length] / longest);
    }

    /// <summary>What a title has matched so far: the query's weight and the title's weight covered, and the last query word credited.</summary>
    private struct Evidence
    {
        public double Query;
        public double Title;
        public int LastWord;
    }
}
