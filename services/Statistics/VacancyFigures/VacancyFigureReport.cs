using System.Globalization;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Events;
using Lmis.Statistics.RegionalViews;
using Lmis.Statistics.Storage;

namespace Lmis.Statistics.VacancyFigures;

/// <summary>
/// The figures derived from the vacancies kept, by member state and ISCO-08 group (major, sub-major, minor or unit
/// group: every level costs one pass over the vacancies kept, only the number of groups differs), computed the same
/// way for every country:
/// <list type="bullet">
/// <item>open vacancies and positions: those with status open now;</item>
/// <item>open during a month: posted on or before the month's last day and not closed before its first day;</item>
/// <item>shares open to foreign workers and fee-free (no recruitment fee charged to the worker): of the open ones;</item>
/// <item>median advertised wage: of the open ones with a wage, per currency and pay period (never converted), the
/// middle of the range when both bounds are given, else the bound given;</item>
/// <item>mean days to fill: of the vacancies closed as filled, from posting to closing.</item>
/// </list>
/// </summary>
/// <param name="Language">The language of the groups' titles (en, es or fr).</param>
public sealed record VacancyFigureQuery(string? Country, int GroupDigits, IReadOnlyList<DateOnly> Months, string Language)
{
    public const int MaxMonths = 36;

    /// <summary>Checks the level, month range and language a caller asked for.</summary>
    public static VacancyFigureQuery From(string? country, string? level, string? fromMonth, string? toMonth, string? language)
    {
        var errors = new List<FieldError>();
        // ISCO-08's levels by the digits of their codes: a group's code is the first digits of every code under it.
        var digits = (level ?? string.Empty).Trim().ToLowerInvariant() switch
        {
            "" or "major" => 1,
            "sub_major" or "sub-major" => 2,
            "minor" => 3,
            "unit" => 4,
            _ => 0,
        };
        if (digits == 0)
        {
            errors.Add(new FieldError("level", level, "major, sub_major, minor or unit"));
        }

        var (shownIn, unknownLanguage) = OccupationTitles.Language(language);
        if (unknownLanguage is not null)
        {
            errors.Add(unknownLanguage);
        }

        var months = new List<DateOnly>();
        DateOnly? Month(string field, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (DateOnly.TryParseExact(value.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
            {
                return month;
            }

            errors.Add(new FieldError(field, value, "a month such as 2026-01"));
            return null;
        }

        var from = Month("from_month", fromMonth);
        var to = Month("to_month", toMonth) ?? from;
        if (from is { } first && to is { } last)
        {
            if (last < first || (last.Year - first.Year) * 12 + last.Month - first.Month >= MaxMonths)
            {
                errors.Add(new FieldError("to_month", toMonth, $"not before from_month, and at most {MaxMonths} months after it"));
            }
            else
            {
                for (var month = first; month <= last; month = month.AddMonths(1))
                {
                    months.Add(month);
                }
            }
        }
        else if (to is not null)
        {
            errors.Add(new FieldError("from_month", fromMonth, "required with to_month"));
        }

        return errors.Count > 0
            ? throw new ValidationFailedException("Vacancy figures query", errors)
            : new VacancyFigureQuery(country, digits, months, shownIn);
    }
}

public sealed record WageMedian(string Currency, string Period, decimal Median, int Vacancies);

public sealed record MonthCount(DateOnly Month, int OpenVacancies, int OpenPositions);

public sealed record VacancyGroupFigure(
    string Country, string OccupationGroup, int OpenVacancies, int OpenPositions, double ForeignWorkersEligibleShare,
    double FeeFreeShare, IReadOnlyList<WageMedian> Wages, int FilledVacancies, double MeanDaysToFill, IReadOnlyList<MonthCount> Months);

public static class VacancyFigureReport
{
    public static async Task<IReadOnlyList<VacancyGroupFigure>> ComputeAsync(
        IAsyncEnumerable<VacancyFact> facts, VacancyFigureQuery query, CancellationToken cancellationToken)
    {
        var groups = new SortedDictionary<(string Country, string Group), Accumulator>();
        await foreach (var fact in facts.WithCancellation(cancellationToken))
        {
            var group = fact.OccupationCode.Length >= query.GroupDigits ? fact.OccupationCode[..query.GroupDigits] : fact.OccupationCode;
            if (!groups.TryGetValue((fact.Country, group), out var accumulator))
            {
                groups[(fact.Country, group)] = accumulator = new Accumulator(query.Months);
            }

            accumulator.Add(fact);
        }

        return [.. groups.Select(g => g.Value.ToFigure(g.Key.Country, g.Key.Group))];
    }

    private sealed class Accumulator(IReadOnlyList<DateOnly> months)
    {
        private readonly int[] _monthVacancies = new int[months.Count];
        private readonly int[] _monthPositions = new int[months.Count];
        private readonly Dictionary<(string Currency, string Period), List<decimal>> _wages = [];
        private int _open;
        private int _positions;
        private int _foreign;
        private int _feeFree;
        private int _filled;
        private double _daysToFill;

        public void Add(VacancyFact fact)
        {
            if (fact.Status == VacancyStatus.Open)
            {
                _open++;
                _positions += fact.Positions;
                _foreign += fact.ForeignWorkersEligible ? 1 : 0;
                _feeFree += fact.FeeFree ? 1 : 0;
                if (fact.WageCurrency is { } currency && fact.WagePeriod is { } period && Wage(fact) is { } wage)
                {
                    if (!_wages.TryGetValue((currency, period), out var list))
                    {
                        _wages[(currency, period)] = list = [];
                    }

                    list.Add(wage);
                }
            }

            if (fact.Status == VacancyStatus.Filled && fact.Closed is { } closed)
            {
                _filled++;
                _daysToFill += Math.Max(0, closed.DayNumber - fact.Posted.DayNumber);
            }

            for (var i = 0; i < months.Count; i++)
            {
                var first = months[i];
                var last = first.AddMonths(1).AddDays(-1);
                if (fact.Posted <= last && (fact.Closed is not { } end || end >= first))
                {
                    _monthVacancies[i]++;
                    _monthPositions[i] += fact.Positions;
                }
            }
        }

        public VacancyGroupFigure ToFigure(string country, string group) => new(
            country, group, _open, _positions,
            _open == 0 ? 0 : (double)_foreign / _open,
            _open == 0 ? 0 : (double)_feeFree / _open,
            [.. _wages.OrderBy(w => w.Key.Currency, StringComparer.Ordinal).ThenBy(w => w.Key.Period, StringComparer.Ordinal)
                .Select(w => new WageMedian(w.Key.Currency, w.Key.Period, Median(w.Value), w.Value.Count))],
            _filled, _filled == 0 ? 0 : _daysToFill / _filled,
            [.. months.Select((m, i) => new MonthCount(m, _monthVacancies[i], _monthPositions[i]))]);

        private static decimal? Wage(VacancyFact fact) => (fact.WageMin, fact.WageMax) switch
        {
            ({ } min, { } max) => (min + max) / 2,
            ({ } min, null) => min,
            (null, { } max) => max,
            _ => null,
        };

        private static decimal Median(List<decimal> values)
        {
            values.Sort();
            var middle = values.Count / 2;
            return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
        }
    }
}
