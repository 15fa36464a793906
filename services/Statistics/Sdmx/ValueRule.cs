using System.Globalization;

namespace Lmis.Statistics.Sdmx;

/// <summary>
/// What a dataflow's OBS_VALUE may be, beyond being a number: the bounds and wholeness of the figure in plain units
/// (OBS_VALUE × 10^UNIT_MULT), so that 41.5 thousand persons is a whole count and 2410.5 vacancies is not. Each
/// built-in dataflow names its rule beside its definition (<see cref="BuiltInDataflows"/>); docs/statistics.md lists them.
/// </summary>
/// <param name="Name">What the values are, in the plural, as the error says it: "counts", "percentages".</param>
/// <param name="Minimum">The least value in plain units, if any.</param>
/// <param name="Maximum">The greatest value in plain units, if any.</param>
/// <param name="Whole">Whether the value in plain units is a whole number.</param>
public sealed record ValueRule(string Name, decimal? Minimum = null, decimal? Maximum = null, bool Whole = false)
{
    /// <summary>Persons, vacancies, documents: never negative, and whole once UNIT_MULT is applied.</summary>
    public static ValueRule Count { get; } = new("counts", Minimum: 0, Whole: true);

    /// <summary>Rates in percent: 0 to 100.</summary>
    public static ValueRule Percentage { get; } = new("percentages", Minimum: 0, Maximum: 100);

    /// <summary>Money received: never negative, in any fraction of the currency.</summary>
    public static ValueRule AmountReceived { get; } = new("amounts received", Minimum: 0);

    /// <summary>Any number a decimal holds.</summary>
    public static ValueRule Any { get; } = new("numbers");

    /// <summary>The rule in words, e.g. "counts: whole numbers, never negative".</summary>
    public string Description =>
        Name + ": " + string.Join(", ", new[]
        {
            Whole ? "whole numbers in plain units (OBS_VALUE × 10^UNIT_MULT)" : null,
            Minimum == 0 && Maximum is null ? "never negative" : null,
            Minimum is { } min && Maximum is { } max ? $"from {Text(min)} to {Text(max)}" : null,
            Minimum is { } least && least != 0 && Maximum is null ? $"at least {Text(least)}" : null,
            Minimum is null && Maximum is { } most ? $"at most {Text(most)}" : null,
        }.Where(p => p is not null).DefaultIfEmpty("any value"));

    /// <summary>Why a value breaks the rule, or null: "DF_VAC_OCU values are counts: never negative".</summary>
    public string? Check(DataStructure structure, decimal value, int unitMultiplier)
    {
        if (Observation.InUnits(value, unitMultiplier) is not { } plain)
        {
            return $"too large: OBS_VALUE × 10^UNIT_MULT ({unitMultiplier}) must stay within ±{Text(decimal.MaxValue)}";
        }

        var broken = plain < Minimum
            ? Minimum == 0 ? "never negative" : $"at least {Text(Minimum.Value)}"
            : plain > Maximum
                ? $"at most {Text(Maximum.Value)}"
                : Whole && plain != decimal.Truncate(plain)
                    ? unitMultiplier == 0 ? "whole numbers (UNIT_MULT is 0)" : $"whole numbers in plain units ({Text(value)} × 10^{unitMultiplier} = {Text(plain)})"
                    : null;
        return broken is null ? null : $"{structure.Id} values are {Name}: {broken}";
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
