using System.Text.RegularExpressions;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Events;
using Lmis.Taxonomy.Storage;

namespace Lmis.Taxonomy.Schemes;

/// <summary>A concept as a publisher submits it in a new scheme version, before validation.</summary>
public sealed record ConceptSubmission(string Code, string? ParentCode, IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// Releasing a scheme version: the whole list of concepts is checked, every bad row reported, and the version
/// stored with its <see cref="TaxonomyVersionReleased"/> event only when every row is good.
/// </summary>
public sealed partial class SchemeReleases(IConceptStore store, TimeProvider time)
{
    public const int MaxConcepts = 50_000;
    private const int MaxLabelLength = 500;

    public async Task<SchemeVersion> ReleaseAsync(
        string scheme, IReadOnlyList<ConceptSubmission> submissions, CancellationToken cancellationToken)
    {
        scheme = scheme.Trim();
        if (!SchemeRules.IsValidSchemeId(scheme))
        {
            throw new ValidationFailedException(
                "Scheme version",
                [new FieldError("scheme", scheme, "a scheme id is 2 to 32 lower-case letters and digits, starting with a letter, e.g. isco08")]);
        }

        var concepts = Validate(SchemeRules.For(scheme), submissions);
        return await store.ReleaseVersionAsync(
            scheme,
            concepts,
            released => new TaxonomyVersionReleased(Guid.NewGuid(), released.ReleasedAt, released.Scheme, released.Version, released.ConceptCount),
            time.GetUtcNow(),
            cancellationToken);
    }

    private static List<Concept> Validate(SchemeRules rules, IReadOnlyList<ConceptSubmission> submissions)
    {
        var errors = new List<FieldError>();
        if (submissions.Count == 0)
        {
            errors.Add(new FieldError("concepts", null, "a scheme version needs at least one concept"));
        }
        else if (submissions.Count > MaxConcepts)
        {
            errors.Add(new FieldError("concepts", submissions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), $"at most {MaxConcepts} concepts per version"));
        }

        var rowByCode = new Dictionary<string, int>(StringComparer.Ordinal);
        var parents = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var row = 0; row < Math.Min(submissions.Count, MaxConcepts); row++)
        {
            var submission = submissions[row];
            var field = $"concepts[{row}]";
            var code = submission.Code.Trim();
            var parent = string.IsNullOrWhiteSpace(submission.ParentCode) ? null : submission.ParentCode.Trim();
            if (!rules.CodePattern.IsMatch(code))
            {
                errors.Add(new FieldError($"{field}.code", code, $"not a {rules.Scheme} code: expected {rules.CodeDescription}"));
            }
            else if (!rowByCode.TryAdd(code, row))
            {
                errors.Add(new FieldError($"{field}.code", code, $"duplicate code, already given in concepts[{rowByCode[code]}]"));
            }
            else
            {
                parents[code] = parent;
                var required = rules.RequiredParent(code);
                if (rules.ParentIsCodePrefix && parent != required)
                {
                    errors.Add(new FieldError($"{field}.parent_code", parent ?? string.Empty,
                        required is null ? "a top-level code has no parent" : $"in {rules.Scheme} the parent of {code} is {required}"));
                }
            }

            if (submission.Labels.Count == 0)
            {
                errors.Add(new FieldError($"{field}.labels", null, "at least one label is needed"));
            }

            foreach (var (language, label) in submission.Labels)
            {
                if (!LanguageTag().IsMatch(language))
                {
                    errors.Add(new FieldError($"{field}.labels", language, "not a BCP 47 language tag such as en, es, fr or pt-BR"));
                }
                else if (string.IsNullOrWhiteSpace(label) || label.Length > MaxLabelLength)
                {
                    errors.Add(new FieldError($"{field}.labels[{language}]", label, $"a label is 1 to {MaxLabelLength} characters"));
                }
            }
        }

        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (code, row) in rowByCode)
        {
            var parent = parents[code];
            if (parent is not null && !rowByCode.ContainsKey(parent))
            {
                errors.Add(new FieldError($"concepts[{row}].parent_code", parent, "unknown parent: no concept with that code in this version"));
            }
            else if (LevelOf(code, parents, levels) is null)
            {
                errors.Add(new FieldError($"concepts[{row}].parent_code", parent, "cycle: the chain of parents of this concept loops"));
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException("Scheme version", errors.OrderBy(e => e.Field, StringComparer.Ordinal).ToArray());
        }

        return submissions.Select(s =>
        {
            var code = s.Code.Trim();
            return new Concept(code, parents[code], levels[code], s.Labels.ToDictionary(l => l.Key, l => l.Value.Trim()));
        }).ToList();
    }

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

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguageTag();
}
