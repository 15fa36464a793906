using Lmis.BuildingBlocks.Classifications;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Classifications;
using Lmis.Vacancies.Taxonomy;
using static Lmis.BuildingBlocks.Text.OptionalText;

namespace Lmis.Vacancies.Publishing;

/// <summary>
/// A vacancy's occupation against the taxonomy: the ISCO-08 code given, translated from a national code through a
/// crosswalk, or suggested for the title (machine coding); known and not deprecated in the latest version.
/// </summary>
internal sealed class OccupationCheck(ITaxonomyLookups taxonomy, OccupationFromTitleSettings settings)
{
    private readonly OccupationFromTitle _fromTitle = new(taxonomy, settings);

    /// <summary>
    /// The ISCO-08 code and how it was obtained (null: as given): translated from the national code through the
    /// taxonomy's crosswalk, or, when neither is given and <paramref name="suggestFromTitle"/> is, the taxonomy's
    /// suggestion for the title.
    /// </summary>
    public async Task<(string? Code, string? Coding)> CheckAsync(VacancySubmission submission, string? suggestFromTitle, string? language,
        List<FieldError> errors, List<FieldError> warnings, CancellationToken cancellationToken)
    {
        string? coding = null;
        var isco = TrimmedOrNull(submission.OccupationCode);
        var nationalScheme = TrimmedOrNull(submission.NationalOccupationScheme)?.ToLowerInvariant();
        var nationalCode = TrimmedOrNull(submission.NationalOccupationCode);
        if ((nationalScheme is null) != (nationalCode is null))
        {
            errors.Add(new FieldError(nationalScheme is null ? "national_occupation_scheme" : "national_occupation_code", null,
                "a national occupation needs both its scheme (e.g. noc2021) and its code"));
            nationalScheme = nationalCode = null;
        }

        if (isco is null && nationalCode is null && suggestFromTitle is { Length: > 0 })
        {
            (isco, var note) = await _fromTitle.CodeByMachineAsync(suggestFromTitle, language, cancellationToken);
            (isco is null ? errors : warnings).Add(note);
            if (isco is null)
            {
                return (null, null);
            }

            coding = OccupationCodings.Machine;
        }

        if (isco is null && nationalCode is null)
        {
            errors.Add(new FieldError("occupation_code", null,
                "required: an ISCO-08 code, or a national occupation code the taxonomy can translate, or suggest_occupation_code with a title"));
            return (null, null);
        }

        if (nationalCode is not null)
        {
            var national = await taxonomy.FindAsync(nationalScheme!, nationalCode, cancellationToken);
            if (!national.Known)
            {
                errors.Add(new FieldError("national_occupation_code", nationalCode, $"not a code of {nationalScheme} known to the taxonomy ({national.Reason})"));
                return (null, null);
            }

            if (isco is null)
            {
                var targets = await taxonomy.TranslateAsync(nationalScheme!, nationalCode, SchemeIds.Isco08, cancellationToken);
                isco = CommonGroup(targets);
                coding = OccupationCodings.Crosswalk;
                if (isco is null)
                {
                    errors.Add(new FieldError("national_occupation_code", nationalCode, targets.Count == 0
                        ? $"no crosswalk from {nationalScheme} {nationalCode} to ISCO-08; give occupation_code"
                        : $"{nationalScheme} {nationalCode} maps to ISCO-08 groups with nothing in common ({string.Join(", ", targets)}); give occupation_code"));
                    return (null, null);
                }
            }
        }

        if (!Isco08.IsCode(isco))
        {
            errors.Add(new FieldError("occupation_code", isco, "not an ISCO-08 code: expected 1 to 4 digits"));
            return (null, null);
        }

        var lookup = await taxonomy.FindAsync(SchemeIds.Isco08, isco!, cancellationToken);
        if (!lookup.Known)
        {
            errors.Add(new FieldError("occupation_code", isco, $"not an ISCO-08 occupation known to the taxonomy ({lookup.Reason})"));
        }
        else if (lookup.Deprecated)
        {
            errors.Add(new FieldError("occupation_code", isco, $"ISCO-08 code {lookup.Reason}"));
        }

        return (isco, coding);
    }

    /// <summary>The most specific ISCO-08 group containing every target (2221 and 2222 → 222), or null when none does.</summary>
    private static string? CommonGroup(IReadOnlyList<string> targets)
    {
        if (targets.Count == 0)
        {
            return null;
        }

        var common = targets[0];
        foreach (var target in targets.Skip(1))
        {
            var length = 0;
            while (length < common.Length && length < target.Length && common[length] == target[length])
            {
                length++;
            }

            common = common[..length];
        }

        return common.Length == 0 ? null : common;
    }

    /// <summary>A warning when the title reads as another occupation than the code accepted, or null.</summary>
    public Task<FieldError?> TitleDisagreementAsync(string title, string? language, string occupation, CancellationToken cancellationToken) =>
        _fromTitle.CheckAsync(title, language, occupation, cancellationToken);
}
