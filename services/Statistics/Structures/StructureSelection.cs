namespace Lmis.Statistics.Structures;

/// <summary>How a structure is shown in a message: whole, or as a stub (identity and names) or complete stub (with descriptions).</summary>
public enum Shown
{
    Full,
    Stub,
    CompleteStub,
}

/// <summary>A structure in a message, and how much of it is shown.</summary>
public sealed record ShownArtefact(Artefact Artefact, Shown Shown);

/// <summary>
/// What a structure query answers: the structures it names, those related to them as <c>references</c> asks, each
/// shown as <c>detail</c> asks, with the taxonomy's codes read only for the codelists shown with their codes.
/// </summary>
public static class StructureSelection
{
    /// <summary>The structures shown, the named ones first; empty when the query names none.</summary>
    public static async Task<IReadOnlyList<ShownArtefact>> SelectAsync(StructureCatalog catalog, StructureQuery query, CancellationToken cancellationToken)
    {
        var named = Named(catalog, query);
        if (named.Count == 0)
        {
            return [];
        }

        var related = Related(catalog, named, query).Where(a => !named.Contains(a)).ToArray();
        var shown = new List<ShownArtefact>();
        foreach (var artefact in named)
        {
            var whole = query.Detail is StructureDetail.AllStubs or StructureDetail.AllCompleteStubs ? Stubbed(query.Detail) : Shown.Full;
            var complete = await CompleteAsync(catalog, artefact, whole, cancellationToken);
            if (query.Items is not null && whole == Shown.Full && complete is ItemScheme scheme)
            {
                complete = scheme.Cut(query.Items.ToHashSet(StringComparer.Ordinal));
                if (((ItemScheme)complete).Items!.Count == 0)
                {
                    continue;
                }
            }

            shown.Add(new ShownArtefact(complete, whole));
        }

        if (shown.Count == 0)
        {
            return [];
        }

        foreach (var artefact in related)
        {
            var how = query.Detail is StructureDetail.Full or StructureDetail.ReferencePartial ? Shown.Full : Stubbed(query.Detail);
            var complete = await CompleteAsync(catalog, artefact, how, cancellationToken);
            if (query.Detail == StructureDetail.ReferencePartial && complete is ItemScheme scheme && UsedBy(catalog, named, scheme.Key) is { } used)
            {
                complete = scheme.Cut(used);
            }

            shown.Add(new ShownArtefact(complete, how));
        }

        return shown;
    }

    private static Shown Stubbed(StructureDetail detail) =>
        detail is StructureDetail.AllCompleteStubs or StructureDetail.ReferenceCompleteStubs ? Shown.CompleteStub : Shown.Stub;

    private static async Task<Artefact> CompleteAsync(StructureCatalog catalog, Artefact artefact, Shown shown, CancellationToken cancellationToken) =>
        shown == Shown.Full && artefact is ItemScheme scheme ? await catalog.WithItemsAsync(scheme, cancellationToken) : artefact;

    private static List<Artefact> Named(StructureCatalog catalog, StructureQuery query)
    {
        var named = new List<Artefact>();
        foreach (var versions in catalog.Artefacts.Where(a => query.Names(a.Key)).GroupBy(a => (a.Key.Type, a.Key.Agency, a.Key.Id)))
        {
            var chosen = query.Chosen(versions.Select(a => a.Key.Version).ToArray()).ToHashSet(StringComparer.Ordinal);
            named.AddRange(versions.Where(a => chosen.Contains(a.Key.Version)));
        }

        return named;
    }

    /// <summary>The related structures <c>references</c> asks for, each once, in the catalog's order.</summary>
    private static IEnumerable<Artefact> Related(StructureCatalog catalog, IReadOnlyList<Artefact> named, StructureQuery query)
    {
        var keys = new HashSet<ArtefactKey>();
        IEnumerable<ArtefactKey> Children(IEnumerable<ArtefactKey> of) => of.SelectMany(k => catalog.Find(k)?.References ?? []);
        IEnumerable<ArtefactKey> Parents(IEnumerable<ArtefactKey> of) => of.SelectMany(k => catalog.ReferringTo(k).Select(a => a.Key));
        var start = named.Select(a => a.Key).ToArray();
        switch (query.References)
        {
            case References.Parents:
                keys.UnionWith(Parents(start));
                break;
            case References.ParentsAndSiblings:
                keys.UnionWith(ParentsAndSiblings(start));
                break;
            case References.Ancestors:
                keys.UnionWith(Closure(start, Parents));
                break;
            case References.Children:
                keys.UnionWith(Children(start));
                break;
            case References.Descendants:
                keys.UnionWith(Closure(start, Children));
                break;
            case References.All:
                keys.UnionWith(ParentsAndSiblings(start));
                keys.UnionWith(Closure(start, Children));
                break;
            case References.Types:
                keys.UnionWith(Closure(start, Parents).Concat(Closure(start, Children)).Where(k => query.ReferencedTypes!.Contains(k.Type)));
                break;
        }

        return catalog.Artefacts.Where(a => keys.Contains(a.Key));

        IEnumerable<ArtefactKey> ParentsAndSiblings(ArtefactKey[] of)
        {
            var parents = Parents(of).ToArray();
            return parents.Concat(Children(parents));
        }
    }

    private static HashSet<ArtefactKey> Closure(IEnumerable<ArtefactKey> start, Func<IEnumerable<ArtefactKey>, IEnumerable<ArtefactKey>> step)
    {
        var seen = new HashSet<ArtefactKey>();
        var next = step(start).ToArray();
        while (next.Length > 0)
        {
            next = next.Where(seen.Add).ToArray();
            next = step(next).ToArray();
        }

        return seen;
    }

    /// <summary>The items of a scheme the named structures use (a dataflow through its data structure); null when not cut.</summary>
    private static HashSet<string>? UsedBy(StructureCatalog catalog, IEnumerable<Artefact> named, ArtefactKey scheme)
    {
        var structures = named.SelectMany(a => a switch
        {
            DataStructureDefinition d => [d],
            DataflowDefinition f when catalog.Find(f.Structure) is DataStructureDefinition d => [d],
            _ => Array.Empty<DataStructureDefinition>(),
        }).Where(d => d.References.Contains(scheme)).ToArray();
        if (structures.Length == 0)
        {
            return null;
        }

        var uses = structures.Select(d => d.Uses(scheme)).ToArray();
        return uses.Any(u => u is null) ? null : uses.SelectMany(u => u!).ToHashSet(StringComparer.Ordinal);
    }
}
