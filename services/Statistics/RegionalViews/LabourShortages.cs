using Lmis.BuildingBlocks.Errors;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Storage;

namespace Lmis.Statistics.RegionalViews;

/// <summary>
/// When an occupation counts as in shortage or in surplus in a member state (<c>Lmis:Statistics:Shortages</c>). The
/// same method for every country, so the flags compare: the ratio of open vacancies (DF_VAC_OCU) to registered
/// jobseekers (DF_JSK_OCU, both sexes) for the same occupation and period.
/// </summary>
/// <param name="ShortageRatio">At or above this many vacancies per jobseeker: shortage (default 1.0).</param>
/// <param name="SurplusRatio">At or below this many vacancies per jobseeker: surplus (default 0.2).</param>
/// <param name="MinimumCount">Fewer vacancies (for a shortage) or jobseekers (for a surplus) than this flag nothing:
/// a ratio of tiny numbers says little (default 10).</param>
public sealed record ShortageThresholds(decimal ShortageRatio, decimal SurplusRatio, decimal MinimumCount)
{
    public static ShortageThresholds From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Lmis:Statistics:Shortages");
        var thresholds = new ShortageThresholds(
            section.GetValue("ShortageRatio", 1.0m), section.GetValue("SurplusRatio", 0.2m), section.GetValue("MinimumCount", 10m));
        return thresholds.SurplusRatio < 0 || thresholds.ShortageRatio <= thresholds.SurplusRatio || thresholds.MinimumCount < 0
            ? throw new InvalidOperationException("Lmis:Statistics:Shortages: SurplusRatio must be at least 0 and below ShortageRatio; MinimumCount at least 0.")
            : thresholds;
    }
}

/// <summary>One occupation (its ISCO-08 code and title) in one member state, with the inputs behind its flag.</summary>
public sealed record OccupationBalance(
    string Country, string Occupation, string OccupationTitle, decimal? Vacancies, decimal? Jobseekers, decimal? VacanciesPerJobseeker, string Flag);

/// <summary>
/// Shortage and surplus occupations per member state for one period. An occupation is flagged only where both
/// figures exist; the figures are in persons and vacancies (UNIT_MULT applied), so offices reporting in thousands
/// compare with those reporting in units. Each occupation comes with its ISCO-08 title in the language asked.
/// </summary>
public sealed class LabourShortages(IObservationStore observations, ShortageThresholds thresholds, OccupationTitles titles)
{
    public const string Shortage = "shortage";
    public const string Surplus = "surplus";
    public const string Balanced = "balanced";
    public const string NotEnoughData = "not_enough_data";

    public async Task<IReadOnlyList<OccupationBalance>> ForPeriodAsync(
        string period, IReadOnlyCollection<string> countries, string? language, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (!TimePeriod.TryParse(period, out var when, out var problem))
        {
            errors.Add(new FieldError("period", period, problem!));
        }

        var (shownIn, unknownLanguage) = OccupationTitles.Language(language);
        if (unknownLanguage is not null)
        {
            errors.Add(unknownLanguage);
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException("Shortages query", errors);
        }

        var vacancies = await SumAsync(BuiltInDataflows.VacanciesByOccupation, when, countries, cancellationToken);
        var jobseekers = await SumAsync(BuiltInDataflows.JobseekersByOccupation, when, countries, cancellationToken);
        var titled = await titles.InAsync(shownIn, cancellationToken);
        return [.. vacancies.Keys.Union(jobseekers.Keys)
            .OrderBy(k => k.Country, StringComparer.Ordinal).ThenBy(k => k.Occupation, StringComparer.Ordinal)
            .Select(k => Balance(k.Country, k.Occupation, titled.GetValueOrDefault(k.Occupation, string.Empty), vacancies.GetValueOrDefault(k), jobseekers.GetValueOrDefault(k)))];
    }

    private OccupationBalance Balance(string country, string occupation, string title, decimal? vacancies, decimal? jobseekers)
    {
        if (vacancies is not { } v || jobseekers is not { } j)
        {
            return new OccupationBalance(country, occupation, title, vacancies, jobseekers, null, NotEnoughData);
        }

        decimal? ratio = j == 0 ? null : Math.Round(v / j, 4);
        var flag = (ratio ?? decimal.MaxValue) >= thresholds.ShortageRatio && v >= thresholds.MinimumCount ? Shortage
            : ratio is { } r && r <= thresholds.SurplusRatio && j >= thresholds.MinimumCount ? Surplus
            : Balanced;
        return new OccupationBalance(country, occupation, title, v, j, ratio, flag);
    }

    /// <summary>Observations of one dataflow and period, summed by country and occupation (the total over sexes where given).</summary>
    private async Task<Dictionary<(string Country, string Occupation), decimal?>> SumAsync(
        DataStructure structure, TimePeriod period, IReadOnlyCollection<string> countries, CancellationToken cancellationToken)
    {
        var sums = new Dictionary<(string Country, string Occupation), decimal?>();
        var query = new ObservationQuery(structure, countries, _ => true, new PeriodBounds(period, period), null);
        var sex = structure.DimensionIndex("SEX");
        var ocu = structure.DimensionIndex("OCU");
        var occupations = (ClassificationCodes)structure.Dimensions[ocu].Codes;
        await foreach (var observation in observations.ReadAsync(query, cancellationToken))
        {
            if (observation.Period != period || (sex >= 0 && observation.Key[sex] != "SEX_T")
                || occupations.CodeOf(observation.Key[ocu]) is not { } occupation || observation.Value is not { } value)
            {
                continue;
            }

            var key = (observation.Key[0], occupation);
            sums[key] = (sums.GetValueOrDefault(key) ?? 0) + observation.InUnits(value);
        }

        return sums;
    }
}
