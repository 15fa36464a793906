namespace Lmis.Statistics.RegionalViews;

/// <summary>
/// One occupation (its ISCO-08 code and title) in shortage in one member state and in surplus in another, with how
/// strongly (the shortage country's vacancies per jobseeker over the surplus country's) and the pathways that already
/// connect them.
/// </summary>
public sealed record ComplementaryPair(
    string Occupation, string OccupationTitle, OccupationBalance InShortage, OccupationBalance InSurplus, decimal Strength, IReadOnlyList<PathwayLink> Pathways);

/// <summary>
/// Complementarity between member states for one period: every occupation flagged in shortage in one member state
/// and in surplus in another (by <see cref="LabourShortages"/>), strongest first, each with the labour-mobility
/// pathways in force from the surplus country to the shortage country that cover the occupation (the taxonomy's
/// pathway registry). Occupation titles and pathway names in the language asked.
/// </summary>
public sealed class Complementarity(LabourShortages shortages, ConnectingPathways pathways)
{
    public async Task<IReadOnlyList<ComplementaryPair>> ForPeriodAsync(string period, string? language, CancellationToken cancellationToken)
    {
        var balances = await shortages.ForPeriodAsync(period, [], language, cancellationToken);
        var pairs = new List<ComplementaryPair>();
        foreach (var occupation in balances.GroupBy(b => b.Occupation))
        {
            foreach (var shortage in occupation.Where(b => b.Flag == LabourShortages.Shortage))
            {
                foreach (var surplus in occupation.Where(b => b.Flag == LabourShortages.Surplus && b.Country != shortage.Country))
                {
                    var strength = (shortage.VacanciesPerJobseeker ?? shortage.Vacancies ?? 0) / Math.Max(surplus.VacanciesPerJobseeker ?? 0, 0.01m);
                    pairs.Add(new ComplementaryPair(occupation.Key, shortage.OccupationTitle, shortage, surplus, Math.Round(strength, 2),
                        await pathways.FindAsync(surplus.Country, shortage.Country, occupation.Key, language, cancellationToken)));
                }
            }
        }

        return [.. pairs.OrderByDescending(p => p.Strength).ThenBy(p => p.Occupation, StringComparer.Ordinal)];
    }
}
