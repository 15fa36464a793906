using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Events;
using Lmis.Taxonomy.Import;
using Lmis.Taxonomy.Reading;
using Lmis.Taxonomy.Storage;

namespace Lmis.Taxonomy.Schemes;

/// <summary>
/// Releasing a scheme version: every row of the draft is checked, every bad row reported (where, value, why),
/// and the version is stored with its <see cref="TaxonomyVersionReleased"/> event only when every row is good.
/// Concepts are never removed from a scheme: a later version keeps every code and deprecates it instead.
/// </summary>
public sealed class SchemeReleases(IConceptStore store, TaxonomyCatalog catalog, TimeProvider time)
{
    public const int MaxConcepts = 100_000;
    public const int MaxLabelLength = 500;
    public const int MaxDefinitionLength = 4_000;
    public const int MaxAttributeLength = 1_000;

    public async Task<SchemeVersion> ReleaseAsync(SchemeVersionDraft draft, CancellationToken cancellationToken)
    {
        var scheme = draft.Scheme.Trim();
        if (!SchemeRules.IsValidSchemeId(scheme))
        {
            throw new ValidationFailedException(
                "Scheme version",
                [Shown.Briefly(new FieldError("scheme", scheme, "a scheme id is 2 to 32 lower-case letters and digits, starting with a letter, e.g. isco08"))]);
        }

        var previous = await catalog.TryGetAsync(scheme, null, cancellationToken);
        if (draft.Amend && previous is not null)
        {
            draft = CarryOver(draft, previous);
        }

        var content = await ValidateAsync(scheme, draft, previous, cancellationToken);
        return await store.ReleaseVersionAsync(
            content,
            previous?.Version.Version ?? 0,
            released => new TaxonomyVersionReleased(Guid.NewGuid(), released.ReleasedAt, released.Scheme, released.Version, released.ConceptCount),
            time.GetUtcNow(),
            cancellationToken);
    }

    private async Task<SchemeVersionContent> ValidateAsync(
        string scheme, SchemeVersionDraft draft, SchemeIndex? previous, CancellationToken cancellationToken) =>
        await new VersionDraftCheck(scheme, draft, catalog).RunAsync(previous, cancellationToken);

    /// <summary>
    /// An amendment plus every concept of the previous version it does not mention, unchanged. A concept it does
    /// mention keeps its previous labels, relations and attributes unless the amendment gives new ones for it
    /// (which then replace the old ones of that kind whole).
    /// </summary>
    private static SchemeVersionDraft CarryOver(SchemeVersionDraft amendment, SchemeIndex previous)
    {
        var mentioned = amendment.Concepts.Select(c => c.Code.Trim()).ToHashSet(StringComparer.Ordinal);
        var withLabels = amendment.Labels.Select(l => l.Code.Trim()).ToHashSet(StringComparer.Ordinal);
        var withRelations = amendment.Relations.Select(r => r.Code.Trim()).ToHashSet(StringComparer.Ordinal);
        var withAttributes = amendment.Attributes.Select(a => a.Code.Trim()).ToHashSet(StringComparer.Ordinal);
        var previousConcepts = previous.ByCode.Values.OrderBy(c => c.Code, StringComparer.Ordinal).ToArray();
        var from = $"version {previous.Version.Version}";
        RowRef At(int i) => RowRef.Item(from, i);
        var carried = previousConcepts.Select((concept, i) => (Concept: concept, At: At(i))).ToArray();
        return amendment with
        {
            Concepts = [.. amendment.Concepts, .. carried.Where(c => !mentioned.Contains(c.Concept.Code))
                .Select(c => new ConceptRow(c.At, c.Concept.Code, c.Concept.ParentCode, ConceptRows.Status(c.Concept.Status), c.Concept.ReplacedBy))],
            Labels = [.. amendment.Labels, .. carried.Where(c => !withLabels.Contains(c.Concept.Code))
                .SelectMany(c => c.Concept.Labels.Select(l => new LabelRow(c.At, c.Concept.Code, l.Language, l.Kind.ToString().ToLowerInvariant(), l.Text)))],
            Relations = [.. amendment.Relations, .. carried.Where(c => !withRelations.Contains(c.Concept.Code))
                .SelectMany(c => previous.RelationsByCode[c.Concept.Code].Select(r => new RelationRow(c.At, c.Concept.Code, RelationTypes.Name(r.Type), r.TargetScheme, r.TargetCode)))],
            Attributes = [.. amendment.Attributes, .. carried.Where(c => !withAttributes.Contains(c.Concept.Code))
                .SelectMany(c => c.Concept.Attributes.Select(a => new AttributeRow(c.At, c.Concept.Code, a.Name, a.Value)))],
        };
    }

}
