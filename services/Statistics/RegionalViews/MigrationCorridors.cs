using Lmis.BuildingBlocks.Errors;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Storage;

namespace Lmis.Statistics.RegionalViews;

/// <summary>One corridor, origin → destination, in one period: the flow's total and the pathways in force along it.</summary>
public sealed record Corridor(string Origin, string Destination, decimal Total, string? Unit, IReadOnlyList<PathwayLink> Pathways);

/// <summary>
/// Migration corridors for the secretariat: a migration dataflow (work permits, migrant worker stock, remittances)
/// read as origin (<c>COUNTERPART_AREA</c>) → destination (<c>REF_AREA</c>) for one period, largest first. Only the
/// totals are summed (<c>SEX_T</c>, <c>OCU_ISCO08_TOTAL</c>, <c>PERMIT_TOTAL</c> where the dataflow has those
/// dimensions), with <c>UNIT_MULT</c> applied, so a breakdown is never counted twice. Pathway names in the language asked.
/// </summary>
public sealed class MigrationCorridors(IObservationStore observations, ConnectingPathways pathways)
{
    private static readonly Dictionary<string, string> Totals = new(StringComparer.Ordinal)
    {
        ["SEX"] = "SEX_T",
        ["OCU"] = "OCU_ISCO08_TOTAL",
        ["PERMIT_TYPE"] = "PERMIT_TOTAL",
    };

    public async Task<IReadOnlyList<Corridor>> ForPeriodAsync(string dataflow, string period, string? language, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var structure = BuiltInDataflows.All.FirstOrDefault(s => s.Id == dataflow && s.DimensionIndex("COUNTERPART_AREA") >= 0);
        if (structure is null)
        {
            errors.Add(new FieldError("dataflow", dataflow, "a migration dataflow: " + string.Join(", ",
                BuiltInDataflows.All.Where(s => s.DimensionIndex("COUNTERPART_AREA") >= 0).Select(s => s.Id))));
        }

        if (!TimePeriod.TryParse(period, out var when, out var problem))
        {
            errors.Add(new FieldError("period", period, problem!));
        }

        if (OccupationTitles.Language(language).Error is { } unknownLanguage)
        {
            errors.Add(unknownLanguage);
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException("Corridors query", errors);
        }

        var origin = structure!.DimensionIndex("COUNTERPART_AREA");
        var totals = Totals.Select(t => (Index: structure.DimensionIndex(t.Key), Code: t.Value)).Where(t => t.Index >= 0).ToArray();
        var flows = new Dictionary<(string Origin, string Destination), (decimal Total, string? Unit)>();
        await foreach (var observation in observations.ReadAsync(new ObservationQuery(structure, [], _ => true, new PeriodBounds(when, when), null), cancellationToken))
        {
            if (observation.Period != when || observation.Value is not { } value || totals.Any(t => observation.Key[t.Index] != t.Code))
            {
                continue;
            }

            var key = (observation.Key[origin], observation.Key[0]);
            var (total, _) = flows.GetValueOrDefault(key);
            flows[key] = (total + observation.InUnits(value), observation.Attribute("UNIT_MEASURE"));
        }

        var corridors = new List<Corridor>();
        foreach (var ((from, to), (total, unit)) in flows.OrderByDescending(f => f.Value.Total))
        {
            corridors.Add(new Corridor(from, to, total, unit, await pathways.FindAsync(from, to, null, language, cancellationToken)));
        }

        return corridors;
    }
}
