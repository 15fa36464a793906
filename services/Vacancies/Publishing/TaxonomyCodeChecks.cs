using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Classifications;
using Lmis.Vacancies.Taxonomy;
using static Lmis.BuildingBlocks.Text.OptionalText;

namespace Lmis.Vacancies.Publishing;

/// <summary>A vacancy's other codes against the taxonomy: a classification code (sector, education level) and a labour-mobility pathway.</summary>
internal sealed class TaxonomyCodeChecks(ITaxonomyLookups taxonomy)
{
    public async Task<string?> CodeAsync(
        string field, string scheme, string name, string? value, List<FieldError> errors, CancellationToken cancellationToken)
    {
        var code = TrimmedOrNull(value);
        if (code is null)
        {
            return null;
        }

        var lookup = await taxonomy.FindAsync(scheme, code, cancellationToken);
        if (!lookup.Known)
        {
            errors.Add(new FieldError(field, code, $"not a {name} code known to the taxonomy ({lookup.Reason})"));
        }
        else if (lookup.Deprecated)
        {
            errors.Add(new FieldError(field, code, $"{name} code {lookup.Reason}"));
        }

        return code;
    }

    /// <summary>A pathway the vacancy is offered under: in force, to this country, from the origins it names.</summary>
    public async Task<string?> PathwayAsync(
        string? value, MemberState? country, bool foreignEligible, List<string> origins, List<FieldError> errors, CancellationToken cancellationToken)
    {
        var id = TrimmedOrNull(value);
        if (id is null)
        {
            return null;
        }

        var pathway = await taxonomy.FindAsync(SchemeIds.Pathways, id, cancellationToken);
        if (!pathway.Known)
        {
            errors.Add(new FieldError("pathway_id", id, $"not a labour-mobility pathway in the taxonomy's registry ({pathway.Reason})"));
            return id;
        }

        if (!foreignEligible)
        {
            errors.Add(new FieldError("pathway_id", id, "a vacancy offered under a labour-mobility pathway is open to foreign workers: set foreign_workers_eligible"));
        }

        if (pathway.Values("status").FirstOrDefault() != "in_force")
        {
            errors.Add(new FieldError("pathway_id", id, $"the pathway is not in force (status {pathway.Values("status").FirstOrDefault()})"));
        }

        if (country is not null && !pathway.Values("destination").Contains(country.Alpha3))
        {
            errors.Add(new FieldError("pathway_id", id, $"the pathway leads to {string.Join(",", pathway.Values("destination"))}, not {country.Alpha3}"));
        }

        var outside = origins.Except(pathway.Values("origin")).ToArray();
        if (outside.Length > 0)
        {
            errors.Add(new FieldError("eligible_origin_countries", string.Join(",", outside), $"not origins of pathway {id} ({string.Join(",", pathway.Values("origin"))})"));
        }

        return id;
    }
}
