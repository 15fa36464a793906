using System.Text.RegularExpressions;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.Text;
using Lmis.Contracts.Classifications;
using Lmis.Taxonomy.Import;
using Lmis.Taxonomy.Pathways;
using Lmis.Taxonomy.Reading;
using static Lmis.BuildingBlocks.Text.OptionalText;

namespace Lmis.Taxonomy.Schemes;

/// <summary>
/// The checks of one scheme version as submitted, file by file: its concepts (codes, statuses, the hierarchy, nothing
/// of the previous version removed), labels, relations to other schemes and attributes. Every broken rule is
/// collected, so a refused version lists them all; rows naming a concept whose own row was refused are not reported
/// again.
/// </summary>
internal sealed partial class VersionDraftCheck(string scheme, SchemeVersionDraft draft, TaxonomyCatalog catalog)
{
    private readonly SchemeRules _rules = SchemeRules.For(scheme);
    private readonly List<FieldError> _errors = [];
    private readonly Dictionary<string, ConceptRow> _rows = new(StringComparer.Ordinal);
    private readonly HashSet<string> _submitted = draft.Concepts.Select(c => c.Code.Trim()).ToHashSet(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _levels = new(StringComparer.Ordinal);
    private Dictionary<string, string?> _parents = new(StringComparer.Ordinal);

    /// <summary>The version's content when every row is good; else every bad row, as a refusal.</summary>
    public async Task<SchemeVersionContent> RunAsync(SchemeIndex? previous, CancellationToken cancellationToken)
    {
        CheckConceptRows();
        CheckHierarchy();
        CheckNothingRemoved(previous);
        var labels = CheckLabels();
        var relations = await CheckRelationsAsync(cancellationToken);
        var attributes = CheckAttributes();

        var concepts = _rows.Select(r => new Concept(
            r.Key,
            _parents[r.Key],
            _levels.GetValueOrDefault(r.Key, 1),
            ParseStatus(r.Value.Status) ?? ConceptStatus.Active,
            TrimmedOrNull(r.Value.ReplacedBy),
            labels.TryGetValue(r.Key, out var l) ? l : [],
            attributes.TryGetValue(r.Key, out var a) ? a : [])).ToList();

        if (scheme == SchemeIds.Pathways)
        {
            _errors.AddRange(await PathwayRules.CheckAsync(concepts, r => _rows[r].Ref, catalog, cancellationToken));
        }

        if (_errors.Count > 0)
        {
            throw new ValidationFailedException($"Version of {scheme}", [.. _errors.Select(Shown.Briefly)]);
        }

        return new SchemeVersionContent(scheme, concepts, relations);
    }

    /// <summary>Codes (pattern, duplicates) and statuses.</summary>
    private void CheckConceptRows()
    {
        if (draft.Concepts.Count == 0)
        {
            _errors.Add(new FieldError("concepts", null, "a scheme version needs at least one concept"));
        }
        else if (draft.Concepts.Count > SchemeReleases.MaxConcepts)
        {
            _errors.Add(new FieldError("concepts", null, $"at most {SchemeReleases.MaxConcepts} concepts per version, got {draft.Concepts.Count}"));
        }

        foreach (var row in draft.Concepts.Take(SchemeReleases.MaxConcepts))
        {
            var code = row.Code.Trim();
            if (!_rules.CodePattern.IsMatch(code))
            {
                _errors.Add(new FieldError(row.Ref.Field("code"), code, $"not a valid {scheme} code: expected {_rules.CodeDescription}"));
            }
            else if (!_rows.TryAdd(code, row))
            {
                _errors.Add(new FieldError(row.Ref.Field("code"), code, $"duplicate code, already given at {_rows[code].Ref.Field("code")}"));
            }

            if (ParseStatus(row.Status) is null)
            {
                _errors.Add(new FieldError(row.Ref.Field("status"), row.Status, "status is active or deprecated"));
            }
        }

        _parents = _rows.ToDictionary(r => r.Key, r => TrimmedOrNull(r.Value.ParentCode), StringComparer.Ordinal);
    }

    /// <summary>Parents (the scheme's rule, known, no cycle) and replacements of deprecated concepts.</summary>
    private void CheckHierarchy()
    {
        foreach (var (code, row) in _rows)
        {
            var parent = _parents[code];
            var required = _rules.RequiredParent(code);
            if (_rules.ParentIsCodePrefix && parent != required)
            {
                _errors.Add(new FieldError(row.Ref.Field("parent_code"), parent ?? string.Empty,
                    required is null ? "a top-level code has no parent" : $"in {scheme} the parent of {code} is {required}"));
            }
            else if (parent is not null && !_rows.ContainsKey(parent))
            {
                _errors.Add(new FieldError(row.Ref.Field("parent_code"), parent, "unknown parent: no concept with that code in this version"));
            }
            else if (LevelOf(code, _parents, _levels) is null)
            {
                _errors.Add(new FieldError(row.Ref.Field("parent_code"), parent, "cycle: the chain of parents of this concept loops"));
            }

            var status = ParseStatus(row.Status);
            var replacedBy = TrimmedOrNull(row.ReplacedBy);
            if (replacedBy is not null && status != ConceptStatus.Deprecated)
            {
                _errors.Add(new FieldError(row.Ref.Field("replaced_by"), replacedBy, "only a deprecated concept is replaced"));
            }
            else if (replacedBy is not null && (!_rows.TryGetValue(replacedBy, out var replacement) || ParseStatus(replacement.Status) != ConceptStatus.Active))
            {
                _errors.Add(new FieldError(row.Ref.Field("replaced_by"), replacedBy, "the replacement must be an active concept of this version"));
            }
        }
    }

    /// <summary>Concepts are never deleted: each code of the previous version stays, deprecated if need be.</summary>
    private void CheckNothingRemoved(SchemeIndex? previous)
    {
        if (previous is not null)
        {
            var removed = previous.ByCode.Keys.Where(c => !_rows.ContainsKey(c)).Order(StringComparer.Ordinal).ToArray();
            if (removed.Length > 0)
            {
                var field = draft.Concepts.Count > 0 && !draft.Concepts[0].Ref.IsFile ? "concepts" : CsvDraftReader.ConceptsFile;
                _errors.Add(new FieldError(field, string.Join(",", removed.Take(20)) + (removed.Length > 20 ? ",…" : string.Empty),
                    $"{removed.Length} concept(s) of version {previous.Version.Version} are missing: concepts are never removed; keep them with status deprecated (and replaced_by), or send an amendment"));
            }
        }
    }

    private Dictionary<string, List<ConceptLabel>> CheckLabels()
    {
        var labels = new Dictionary<string, List<ConceptLabel>>(StringComparer.Ordinal);
        foreach (var row in draft.Labels)
        {
            var code = row.Code.Trim();
            var kind = ParseKind(row.Kind);
            var text = row.Text.Trim();
            var language = row.Language.Trim();
            if (!_rows.ContainsKey(code))
            {
                if (!_submitted.Contains(code))
                {
                    _errors.Add(new FieldError(row.Ref.Field("code"), code, "no concept with that code in this version"));
                }

                continue;
            }

            if (!LanguageTags.IsValid(language))
            {
                _errors.Add(new FieldError(row.Ref.Field("language"), language, "not a BCP 47 language tag such as en, es, fr or pt-BR"));
            }
            else if (kind is null)
            {
                _errors.Add(new FieldError(row.Ref.Field("kind"), row.Kind, "kind is preferred, alternative or definition"));
            }
            else if (text.Length == 0 || text.Length > (kind == LabelKind.Definition ? SchemeReleases.MaxDefinitionLength : SchemeReleases.MaxLabelLength))
            {
                _errors.Add(new FieldError(row.Ref.Field("text"), text, $"1 to {(kind == LabelKind.Definition ? SchemeReleases.MaxDefinitionLength : SchemeReleases.MaxLabelLength)} characters"));
            }
            else if (PlainText.Problem(text, "a label", severalLines: kind == LabelKind.Definition) is { } notText)
            {
                _errors.Add(new FieldError(row.Ref.Field("text"), text, notText));
            }
            else if (kind is LabelKind.Preferred or LabelKind.Definition
                && labels.TryGetValue(code, out var existing) && existing.Any(l => l.Language == language && l.Kind == kind))
            {
                _errors.Add(new FieldError(row.Ref.Field("kind"), row.Kind, $"a second {row.Kind} label in '{language}' for {code}"));
            }
            else
            {
                (labels.TryGetValue(code, out var list) ? list : labels[code] = []).Add(new ConceptLabel(language, kind.Value, text));
            }
        }

        foreach (var (code, row) in _rows.Where(r => !labels.TryGetValue(r.Key, out var l) || !l.Any(x => x.Kind == LabelKind.Preferred)))
        {
            _errors.Add(new FieldError(row.Ref.Field("code"), code, "needs a preferred label in at least one language"));
        }

        return labels;
    }

    /// <summary>Relations to other schemes: the target must exist in that scheme's latest version.</summary>
    private async Task<List<ConceptRelation>> CheckRelationsAsync(CancellationToken cancellationToken)
    {
        var relations = new List<ConceptRelation>();
        var targets = new Dictionary<string, SchemeIndex?>(StringComparer.Ordinal);
        foreach (var row in draft.Relations)
        {
            var code = row.Code.Trim();
            var type = RelationTypes.Parse(row.Relation);
            var targetScheme = row.TargetScheme.Trim();
            var targetCode = row.TargetCode.Trim();
            if (!_rows.ContainsKey(code))
            {
                if (!_submitted.Contains(code))
                {
                    _errors.Add(new FieldError(row.Ref.Field("code"), code, "no concept with that code in this version"));
                }
            }
            else if (type is null)
            {
                _errors.Add(new FieldError(row.Ref.Field("relation"), row.Relation, "relation is exact, broader, narrower, partial, essential_skill or optional_skill"));
            }
            else if (targetScheme == scheme)
            {
                _errors.Add(new FieldError(row.Ref.Field("target_scheme"), targetScheme, "relations link a concept to another scheme; the hierarchy within a scheme is parent_code"));
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
                    _errors.Add(new FieldError(row.Ref.Field("target_scheme"), targetScheme, "unknown scheme: release it before relating concepts to it"));
                }
                else if (target.Find(targetCode) is null)
                {
                    _errors.Add(new FieldError(row.Ref.Field("target_code"), targetCode,
                        $"unknown concept: {targetScheme} version {target.Version.Version} has no code {targetCode}"));
                }
                else
                {
                    relations.Add(new ConceptRelation(code, type.Value, targetScheme, targetCode));
                }
            }
        }

        return relations;
    }

    private Dictionary<string, List<ConceptAttribute>> CheckAttributes()
    {
        var attributes = new Dictionary<string, List<ConceptAttribute>>(StringComparer.Ordinal);
        foreach (var row in draft.Attributes)
        {
            var code = row.Code.Trim();
            var name = row.Name.Trim().ToLowerInvariant();
            var value = row.Value.Trim();
            if (!_rows.ContainsKey(code))
            {
                if (!_submitted.Contains(code))
                {
                    _errors.Add(new FieldError(row.Ref.Field("code"), code, "no concept with that code in this version"));
                }
            }
            else if (!AttributeName().IsMatch(name))
            {
                _errors.Add(new FieldError(row.Ref.Field("attribute"), row.Name, "attribute names are lower-case letters, digits and '_'"));
            }
            else if (value.Length is 0 or > SchemeReleases.MaxAttributeLength)
            {
                _errors.Add(new FieldError(row.Ref.Field("value"), value, $"1 to {SchemeReleases.MaxAttributeLength} characters"));
            }
            else if (PlainText.Problem(value, "an attribute value") is { } notText)
            {
                _errors.Add(new FieldError(row.Ref.Field("value"), value, notText));
            }
            else
            {
                (attributes.TryGetValue(code, out var list) ? list : attributes[code] = []).Add(new ConceptAttribute(name, value));
            }
        }

        return attributes;
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
