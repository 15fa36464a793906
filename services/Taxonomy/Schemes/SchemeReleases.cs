using System.Text.RegularExpressions;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.Text;
using Lmis.Contracts.Classifications;
using Lmis.Contracts.Events;
using Lmis.Taxonomy.Import;
using Lmis.Taxonomy.Pathways;
using Lmis.Taxonomy.Reading;
using Lmis.Taxonomy.Storage;
using static Lmis.BuildingBlocks.Text.OptionalText;

namespace Lmis.Taxonomy.Schemes;

/// <summary>
/// Releasing a scheme version: every row of the draft is checked, every bad row reported (where, value, why),
/// and the version is stored with its <see cref="TaxonomyVersionReleased"/> event only when every row is good.
/// Concepts are never removed from a scheme: a later version keeps every code and deprecates it instead.
/// </summary>
public sealed partial class SchemeReleases(IConceptStore store, TaxonomyCatalog catalog, TimeProvider time)
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
        string scheme, SchemeVersionDraft draft, SchemeIndex? previous, CancellationToken cancellationToken)
    {
        var rules = SchemeRules.For(scheme);
        var errors = new List<FieldError>();
        if (draft.Concepts.Count == 0)
        {
            errors.Add(new FieldError("concepts", null, "a scheme version needs at least one concept"));
        }
        else if (draft.Concepts.Count > MaxConcepts)
        {
            errors.Add(new FieldError("concepts", null, $"at most {MaxConcepts} concepts per version, got {draft.Concepts.Count}"));
        }

        // Concepts: codes, statuses, parents.
        var rows = new Dictionary<string, ConceptRow>(StringComparer.Ordinal);
        foreach (var row in draft.Concepts.Take(MaxConcepts))
        {
            var code = row.Code.Trim();
            if (!rules.CodePattern.IsMatch(code))
            {
                errors.Add(new FieldError(row.Ref.Field("code"), code, $"not a valid {scheme} code: expected {rules.CodeDescription}"));
            }
            else if (!rows.TryAdd(code, row))
            {
                errors.Add(new FieldError(row.Ref.Field("code"), code, $"duplicate code, already given at {rows[code].Ref.Field("code")}"));
            }

            if (ParseStatus(row.Status) is null)
            {
                errors.Add(new FieldError(row.Ref.Field("status"), row.Status, "status is active or deprecated"));
            }
        }

        // Rows of the other files that name a concept whose own row was refused are not reported again.
        var submitted = draft.Concepts.Select(c => c.Code.Trim()).ToHashSet(StringComparer.Ordinal);
        var parents = rows.ToDictionary(r => r.Key, r => TrimmedOrNull(r.Value.ParentCode), StringComparer.Ordinal);
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (code, row) in rows)
        {
            var parent = parents[code];
            var required = rules.RequiredParent(code);
            if (rules.ParentIsCodePrefix && parent != required)
            {
                errors.Add(new FieldError(row.Ref.Field("parent_code"), parent ?? string.Empty,
                    required is null ? "a top-level code has no parent" : $"in {scheme} the parent of {code} is {required}"));
            }
            else if (parent is not null && !rows.ContainsKey(parent))
            {
                errors.Add(new FieldError(row.Ref.Field("parent_code"), parent, "unknown parent: no concept with that code in this version"));
            }
            else if (LevelOf(code, parents, levels) is null)
            {
                errors.Add(new FieldError(row.Ref.Field("parent_code"), parent, "cycle: the chain of parents of this concept loops"));
            }

            var status = ParseStatus(row.Status);
            var replacedBy = TrimmedOrNull(row.ReplacedBy);
            if (replacedBy is not null && status != ConceptStatus.Deprecated)
            {
                errors.Add(new FieldError(row.Ref.Field("replaced_by"), replacedBy, "only a deprecated concept is replaced"));
            }
            else if (replacedBy is not null && (!rows.TryGetValue(replacedBy, out var replacement) || ParseStatus(replacement.Status) != ConceptStatus.Active))
            {
                errors.Add(new FieldError(row.Ref.Field("replaced_by"), replacedBy, "the replacement must be an active concept of this version"));
            }
        }

        // Concepts are never deleted: each code of the previous version stays, deprecated if need be.
        if (previous is not null)
        {
            var removed = previous.ByCode.Keys.Where(c => !rows.ContainsKey(c)).Order(StringComparer.Ordinal).ToArray();
            if (removed.Length > 0)
            {
                var field = draft.Concepts.Count > 0 && !draft.Concepts[0].Ref.IsFile ? "concepts" : CsvDraftReader.ConceptsFile;
                errors.Add(new FieldError(field, string.Join(",", removed.Take(20)) + (removed.Length > 20 ? ",…" : string.Empty),
                    $"{removed.Length} concept(s) of version {previous.Version.Version} are missing: concepts are never removed; keep them with status deprecated (and replaced_by), or send an amendment"));
            }
        }

        // Labels.
        var labels = new Dictionary<string, List<ConceptLabel>>(StringComparer.Ordinal);
        foreach (var row in draft.Labels)
        {
            var code = row.Code.Trim();
            var kind = ParseKind(row.Kind);
            var text = row.Text.Trim();
            var language = row.Language.Trim();
            if (!rows.ContainsKey(code))
            {
                if (!submitted.Contains(code))
                {
                    errors.Add(new FieldError(row.Ref.Field("code"), code, "no concept with that code in this version"));
                }

                continue;
            }

            if (!LanguageTags.IsValid(language))
            {
                errors.Add(new FieldError(row.Ref.Field("language"), language, "not a BCP 47 language tag such as en, es, fr or pt-BR"));
            }
            else if (kind is null)
            {
                errors.Add(new FieldError(row.Ref.Field("kind"), row.Kind, "kind is preferred, alternative or definition"));
            }
            else if (text.Length == 0 || text.Length > (kind == LabelKind.Definition ? MaxDefinitionLength : MaxLabelLength))
            {
                errors.Add(new FieldError(row.Ref.Field("text"), text, $"1 to {(kind == LabelKind.Definition ? MaxDefinitionLength : MaxLabelLength)} characters"));
            }
            else if (PlainText.Problem(text, "a label", severalLines: kind == LabelKind.Definition) is { } notText)
            {
                errors.Add(new FieldError(row.Ref.Field("text"), text, notText));
            }
            else if (kind is LabelKind.Preferred or LabelKind.Definition
                && labels.TryGetValue(code, out var existing) && existing.Any(l => l.Language == language && l.Kind == kind))
            {
                errors.Add(new FieldError(row.Ref.Field("kind"), row.Kind, $"a second {row.Kind} label in '{language}' for {code}"));
            }
            else
            {
                (labels.TryGetValue(code, out var list) ? list : labels[code] = []).Add(new ConceptLabel(language, kind.Value, text));
            }
        }

        foreach (var (code, row) in rows.Where(r => !labels.TryGetValue(r.Key, out var l) || !l.Any(x => x.Kind == LabelKind.Preferred)))
        {
            errors.Add(new FieldError(row.Ref.Field("code"), code, "needs a preferred label in at least one language"));
        }

        // Relations to other schemes: the target must exist in that scheme's latest version.
        var relations = new List<ConceptRelation>();
        var targets = new Dictionary<string, SchemeIndex?>(StringComparer.Ordinal);
        foreach (var row in draft.Relations)
        {
            var code = row.Code.Trim();
            var type = RelationTypes.Parse(row.Relation);
            var targetScheme = row.TargetScheme.Trim();
            var targetCode = row.TargetCode.Trim();
            if (!rows.ContainsKey(code))
            {
                if (!submitted.Contains(code))
                {
                    errors.Add(new FieldError(row.Ref.Field("code"), code, "no concept with that code in this version"));
                }
            }
            else if (type is null)
            {
                errors.Add(new FieldError(row.Ref.Field("relation"), row.Relation, "relation is exact, broader, narrower, partial, essential_skill or optional_skill"));
            }
            else if (targetScheme == scheme)
            {
                errors.Add(new FieldError(row.Ref.Field("target_scheme"), targetScheme, "relations link a concept to another scheme; the hierarchy within a scheme is parent_code"));
            }
            else
            {
                if (!targets.TryGetValue(targetScheme, out var target))
                {
                    target = targets[targetScheme] = SchemeRules.IsValidSchemeId(targetScheme)
                        ? await catalog.TryGetAsync(targetScheme, null, cancellationToken)
                        : null;
                }

                if (target is null)
                {
                    errors.Add(new FieldError(row.Ref.Field("target_scheme"), targetScheme, "unknown scheme: release it before relating concepts to it"));
                }
                else if (target.Find(targetCode) is null)
                {
                    errors.Add(new FieldError(row.Ref.Field("target_code"), targetCode,
                        $"unknown concept: {targetScheme} version {target.Version.Version} has no code {targetCode}"));
                }
                else
                {
                    relations.Add(new ConceptRelation(code, type.Value, targetScheme, targetCode));
                }
            }
        }

        // Attributes.
        var attributes = new Dictionary<string, List<ConceptAttribute>>(StringComparer.Ordinal);
        foreach (var row in draft.Attributes)
        {
            var code = row.Code.Trim();
            var name = row.Name.Trim().ToLowerInvariant();
            var value = row.Value.Trim();
            if (!rows.ContainsKey(code))
            {
                if (!submitted.Contains(code))
                {
                    errors.Add(new FieldError(row.Ref.Field("code"), code, "no concept with that code in this version"));
                }
            }
            else if (!AttributeName().IsMatch(name))
            {
                errors.Add(new FieldError(row.Ref.Field("attribute"), row.Name, "attribute names are lower-case letters, digits and '_'"));
            }
            else if (value.Length is 0 or > MaxAttributeLength)
            {
                errors.Add(new FieldError(row.Ref.Field("value"), value, $"1 to {MaxAttributeLength} characters"));
            }
            else if (PlainText.Problem(value, "an attribute value") is { } notText)
            {
                errors.Add(new FieldError(row.Ref.Field("value"), value, notText));
            }
            else
            {
                (attributes.TryGetValue(code, out var list) ? list : attributes[code] = []).Add(new ConceptAttribute(name, value));
            }
        }

        var concepts = rows.Select(r => new Concept(
            r.Key,
            parents[r.Key],
            levels.GetValueOrDefault(r.Key, 1),
            ParseStatus(r.Value.Status) ?? ConceptStatus.Active,
            TrimmedOrNull(r.Value.ReplacedBy),
            labels.TryGetValue(r.Key, out var l) ? l : [],
            attributes.TryGetValue(r.Key, out var a) ? a : [])).ToList();

        if (scheme == SchemeIds.Pathways)
        {
            errors.AddRange(await PathwayRules.CheckAsync(concepts, r => rows[r].Ref, catalog, cancellationToken));
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException($"Version of {scheme}", [.. errors.Select(Shown.Briefly)]);
        }

        return new SchemeVersionContent(scheme, concepts, relations);
    }

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

    private static ConceptStatus? ParseStatus(string? status) => TrimmedOrNull(status)?.ToLowerInvariant() switch
    {
        null or "active" => ConceptStatus.Active,
        "deprecated" => ConceptStatus.Deprecated,
        _ => null,
    };

    private static LabelKind? ParseKind(string? kind) => TrimmedOrNull(kind)?.ToLowerInvariant() switch
    {
        "preferred" => LabelKind.Preferred,
        "alternative" => LabelKind.Alternative,
        "definition" => LabelKind.Definition,
        _ => null,
    };

    /// <summary>Depth of a concept (1 at the top), or null when its parents form a cycle.</summary>
    private static int? LevelOf(string code, Dictionary<string, string?> parents, Dictionary<string, int> levels)
    {
        var chain = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? current = code;
        var baseLevel = 0;
        while (current is not null)
        {
            if (levels.TryGetValue(current, out var known))
            {
                baseLevel = known;
                break;
            }

            if (!parents.TryGetValue(current, out var parent))
            {
                // An unknown parent, reported on its own; count the levels from here.
                break;
            }

            if (!seen.Add(current))
            {
                return null;
            }

            chain.Add(current);
            current = parent;
        }

        for (var i = chain.Count - 1; i >= 0; i--)
        {
            levels[chain[i]] = ++baseLevel;
        }

        return levels[code];
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex AttributeName();
}
