using System.Collections.Concurrent;
using Lmis.BuildingBlocks.Errors;
using Lmis.Taxonomy.Schemes;
using Lmis.Taxonomy.Storage;

namespace Lmis.Taxonomy.Reading;

/// <summary>What changed from one version of a scheme to the next.</summary>
public sealed record VersionDiff(
    string Scheme,
    int FromVersion,
    int ToVersion,
    IReadOnlyList<Concept> Added,
    IReadOnlyList<Concept> Changed,
    IReadOnlyList<Concept> Deprecated);

/// <summary>A concept of another scheme that a concept maps to, and how.</summary>
public sealed record RelatedConcept(string Scheme, int Version, Concept Concept, RelationType Relation);

/// <summary>
/// The taxonomy's read side: released versions, built into in-memory indexes once (they never change), answer
/// lookups, searches, diffs, crosswalk translations and relations. Which version is the latest is asked of the
/// store on every call, so a release made through any replica is seen at once.
/// </summary>
public sealed class TaxonomyCatalog(IConceptStore store)
{
    private readonly ConcurrentDictionary<(string Scheme, int Version), Lazy<Task<SchemeIndex>>> _indexes = new();

    /// <summary>A version of a scheme (the latest when <paramref name="version"/> is null), or NOT_FOUND saying what is missing.</summary>
    public async Task<SchemeIndex> GetAsync(string scheme, int? version, CancellationToken cancellationToken) =>
        await TryGetAsync(scheme, version, cancellationToken)
        ?? throw new NotFoundException(version is null
            ? $"Scheme '{scheme}' has no released version."
            : $"Scheme '{scheme}' has no version {version}.");

    public async Task<SchemeIndex?> TryGetAsync(string scheme, int? version, CancellationToken cancellationToken)
    {
        var header = await store.FindVersionAsync(scheme, version, cancellationToken);
        return header is null ? null : await IndexOf(header, cancellationToken);
    }

    /// <summary>The latest version of every scheme.</summary>
    public async Task<IReadOnlyList<SchemeIndex>> LatestOfAllAsync(CancellationToken cancellationToken)
    {
        var headers = await store.ListLatestVersionsAsync(cancellationToken);
        return await Task.WhenAll(headers.Select(h => IndexOf(h, cancellationToken)));
    }

    public async Task<Concept> GetConceptAsync(string scheme, string code, int? version, CancellationToken cancellationToken)
    {
        var index = await GetAsync(scheme, version, cancellationToken);
        return index.Find(code.Trim())
            ?? throw new NotFoundException($"No concept '{code}' in {scheme} version {index.Version.Version}.");
    }

    /// <summary>The changes a version made to the version released before it (everything is "added" in a first version).</summary>
    public async Task<VersionDiff> DiffAsync(string scheme, int? version, CancellationToken cancellationToken)
    {
        var to = await GetAsync(scheme, version, cancellationToken);
        var versions = await store.ListVersionsAsync(scheme, cancellationToken);
        var previousHeader = versions.LastOrDefault(v => v.Version < to.Version.Version);
        var from = previousHeader is null ? null : await IndexOf(previousHeader, cancellationToken);

        var added = new List<Concept>();
        var changed = new List<Concept>();
        var deprecated = new List<Concept>();
        foreach (var concept in to.ByCode.Values.OrderBy(c => c.Code, StringComparer.Ordinal))
        {
            var before = from?.Find(concept.Code);
            if (before is null)
            {
                added.Add(concept);
            }
            else if (concept.Status == ConceptStatus.Deprecated && before.Status != ConceptStatus.Deprecated)
            {
                deprecated.Add(concept);
            }
            else if (!concept.SameAs(before))
            {
                changed.Add(concept);
            }
        }

        return new VersionDiff(scheme, from?.Version.Version ?? 0, to.Version.Version, added, changed, deprecated);
    }

    /// <summary>
    /// The concepts of <paramref name="toScheme"/> (its latest version) that a concept of <paramref name="fromScheme"/>
    /// maps to, from the crosswalk either scheme carries. Many-to-many: every target is returned.
    /// </summary>
    public async Task<IReadOnlyList<RelatedConcept>> TranslateAsync(
        string fromScheme, string code, string toScheme, CancellationToken cancellationToken)
    {
        var from = await GetAsync(fromScheme, null, cancellationToken);
        var to = await GetAsync(toScheme, null, cancellationToken);
        code = code.Trim();
        if (from.Find(code) is null)
        {
            throw new NotFoundException($"No concept '{code}' in {fromScheme} version {from.Version.Version}.");
        }

        var forward = from.RelationsByCode[code]
            .Where(r => r.TargetScheme == toScheme && RelationTypes.IsCrosswalk(r.Type))
            .Select(r => (r.TargetCode, r.Type));
        var backward = to.RelationsByTarget[(fromScheme, code)]
            .Where(r => RelationTypes.IsCrosswalk(r.Type))
            .Select(r => (TargetCode: r.Code, Type: RelationTypes.Inverse(r.Type)));
        return forward.Concat(backward)
            .DistinctBy(t => t.TargetCode)
            .Select(t => (Concept: to.Find(t.TargetCode), t.Type))
            .Where(t => t.Concept is not null)
            .Select(t => new RelatedConcept(toScheme, to.Version.Version, t.Concept!, t.Type))
            .OrderBy(r => r.Concept.Code, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// Everything related to a concept, whichever side recorded it: its own relations (e.g. an occupation's
    /// essential skills) and those other schemes' latest versions hold towards it (e.g. the occupations a skill
    /// is essential for). Optionally only one kind of relation.
    /// </summary>
    public async Task<IReadOnlyList<RelatedConcept>> RelatedAsync(
        string scheme, string code, RelationType? relation, CancellationToken cancellationToken)
    {
        var own = await GetAsync(scheme, null, cancellationToken);
        code = code.Trim();
        if (own.Find(code) is null)
        {
            throw new NotFoundException($"No concept '{code}' in {scheme} version {own.Version.Version}.");
        }

        var all = (await LatestOfAllAsync(cancellationToken)).ToDictionary(i => i.Version.Scheme, StringComparer.Ordinal);
        var related = new List<RelatedConcept>();
        foreach (var link in own.RelationsByCode[code])
        {
            if (all.TryGetValue(link.TargetScheme, out var target) && target.Find(link.TargetCode) is { } concept)
            {
                related.Add(new RelatedConcept(link.TargetScheme, target.Version.Version, concept, link.Type));
            }
        }

        foreach (var other in all.Values.Where(i => i.Version.Scheme != scheme))
        {
            foreach (var link in other.RelationsByTarget[(scheme, code)])
            {
                related.Add(new RelatedConcept(other.Version.Scheme, other.Version.Version, other.ByCode[link.Code], RelationTypes.Inverse(link.Type)));
            }
        }

        return related
            .Where(r => relation is null || r.Relation == relation)
            .OrderBy(r => r.Scheme, StringComparer.Ordinal)
            .ThenBy(r => r.Concept.Code, StringComparer.Ordinal)
            .ToArray();
    }

    private Task<SchemeIndex> IndexOf(SchemeVersion header, CancellationToken cancellationToken) =>
        _indexes.GetOrAdd(
            (header.Scheme, header.Version),
            _ => new Lazy<Task<SchemeIndex>>(async () =>
            {
                var content = await store.LoadVersionAsync(header.Scheme, header.Version, CancellationToken.None)
                    ?? throw new InvalidOperationException($"Version {header.Version} of {header.Scheme} vanished from the store.");
                return new SchemeIndex(header, content);
            })).Value.WaitAsync(cancellationToken);
}
