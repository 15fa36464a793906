using System.Globalization;

namespace Lmis.Statistics.Sdmx;

/// <summary>How often a series is observed: the SDMX CL_FREQ codes, each the letter of its time periods.</summary>
public enum Frequency
{
    Annual = 'A',
    Semester = 'S',
    Quarter = 'Q',
    Month = 'M',
    Week = 'W',
    Day = 'D',
}

/// <summary>
/// An SDMX time period: a year <c>2024</c>, semester <c>2024-S1</c>, quarter <c>2024-Q1</c>, month <c>2024-03</c>
/// (also read in the reporting form <c>2024-M03</c>), ISO 8601 week <c>2024-W05</c> or day <c>2024-03-15</c>.
/// <para>
/// A period is its frequency and its first day, so <c>2024-M03</c> and <c>2024-03</c> are one and the same
/// period. Its canonical text, written by every export, is the calendar form <c>2024-03</c>: it is what ILOSTAT and
/// most SDMX-CSV files carry and what a spreadsheet recognises; the reporting form is accepted on input only.
/// </para>
/// <para>
/// Periods order by first day, and a longer period before a shorter one starting the same day (2024, 2024-S1,
/// 2024-Q1, 2024-01, 2024-01-01), so a sorted series reads as people expect.
/// </para>
/// </summary>
public readonly record struct TimePeriod : IComparable<TimePeriod>
{
    /// <summary>What to write when asking for a period, as errors say it.</summary>
    public const string Expected = "a time period such as 2024, 2024-Q1, 2024-03, 2024-M03 or 2024-03-15";

    private TimePeriod(Frequency frequency, DateOnly start)
    {
        Frequency = frequency;
        Start = start;
    }

    public Frequency Frequency { get; }

    /// <summary>The first day of the period.</summary>
    public DateOnly Start { get; }

    /// <summary>The last day of the period (inclusive).</summary>
    public DateOnly End => Frequency switch
    {
        Frequency.Annual => LastDay(Start.Year, 12),
        Frequency.Semester => LastDay(Start.Year, Start.Month + 5),
        Frequency.Quarter => LastDay(Start.Year, Start.Month + 2),
        Frequency.Month => LastDay(Start.Year, Start.Month),
        Frequency.Week => Start.AddDays(6),
        _ => Start,
    };

    /// <summary>The CL_FREQ code of the period: A, S, Q, M, W or D.</summary>
    public char FrequencyCode => (char)Frequency;

    /// <summary>The year the period is named after (for an ISO week, the ISO week-numbering year).</summary>
    public int Year => Frequency == Frequency.Week ? ISOWeek.GetYear(Start.ToDateTime(TimeOnly.MinValue)) : Start.Year;

    public static TimePeriod Annual(int year) => new(Frequency.Annual, new DateOnly(year, 1, 1));

    public static TimePeriod Semester(int year, int semester) => new(Frequency.Semester, new DateOnly(year, (semester * 6) - 5, 1));

    public static TimePeriod Quarter(int year, int quarter) => new(Frequency.Quarter, new DateOnly(year, (quarter * 3) - 2, 1));

    public static TimePeriod Month(int year, int month) => new(Frequency.Month, new DateOnly(year, month, 1));

    public static TimePeriod Week(int year, int week) =>
        new(Frequency.Week, DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday)));

    public static TimePeriod Day(DateOnly day) => new(Frequency.Day, day);

    /// <summary>The period of the given frequency that contains <paramref name="day"/>.</summary>
    public static TimePeriod Containing(Frequency frequency, DateOnly day) => frequency switch
    {
        Frequency.Annual => Annual(day.Year),
        Frequency.Semester => Semester(day.Year, day.Month <= 6 ? 1 : 2),
        Frequency.Quarter => Quarter(day.Year, ((day.Month - 1) / 3) + 1),
        Frequency.Month => Month(day.Year, day.Month),
        Frequency.Week => new(Frequency.Week, day.AddDays(-(((int)day.DayOfWeek + 6) % 7))),
        Frequency.Day => Day(day),
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, "not a frequency"),
    };

    public static TimePeriod Parse(string text) =>
        TryParse(text, out var period, out var error) ? period : throw new FormatException(error);

    /// <summary>Reads a period; on failure <paramref name="error"/> says what is wrong, quoting the text.</summary>
    public static bool TryParse(string? text, out TimePeriod period, out string? error) =>
        TryParse(text.AsSpan(), out period, out error);

    public static bool TryParse(ReadOnlySpan<char> text, out TimePeriod period, out string? error)
    {
        if (TryRead(text, out period, out error))
        {
            return true;
        }

        error = $"'{(text.Length <= 40 ? text.ToString() : text[..40].ToString() + "…")}': {error}";
        return false;
    }

    /// <summary>Reads a period; on failure <paramref name="error"/> says what is wrong, without quoting the text.</summary>
    internal static bool TryRead(ReadOnlySpan<char> text, out TimePeriod period, out string? error)
    {
        period = default;
        error = null;
        if (text.Length < 4 || !Digits(text[..4], out var year))
        {
            error = Expected;
            return false;
        }

        if (year == 0)
        {
            error = "year must be 0001-9999";
            return false;
        }

        if (text.Length == 4)
        {
            period = Annual(year);
            return true;
        }

        if (text[4] != '-' || text.Length < 7)
        {
            error = Expected;
            return false;
        }

        var rest = text[5..];
        int n;
        switch (rest[0])
        {
            case 'S':
                if (!Numbered(rest[1..], 1, 2, "semester must be S1 or S2", out n, out error))
                {
                    return false;
                }

                period = Semester(year, n);
                return true;
            case 'Q':
                if (!Numbered(rest[1..], 1, 4, "quarter must be Q1-Q4", out n, out error))
                {
                    return false;
                }

                period = Quarter(year, n);
                return true;
            case 'M':
                if (!Numbered(rest[1..], 2, 12, "month must be M01-M12", out n, out error))
                {
                    return false;
                }

                period = Month(year, n);
                return true;
            case 'W':
                var weeks = ISOWeek.GetWeeksInYear(year);
                if (!Numbered(rest[1..], 2, weeks, $"week must be W01-W{weeks} in {year:D4}", out n, out error))
                {
                    return false;
                }

                period = Week(year, n);
                if (period.Start.DayNumber > DateOnly.MaxValue.DayNumber - 6)
                {
                    // The last ISO week of 9999 ends in the year 10000, past the last day a calendar here holds.
                    period = default;
                    error = "ends after 9999-12-31";
                    return false;
                }

                return true;
        }

        if (rest.Length == 2)
        {
            if (!Numbered(rest, 2, 12, "month must be 01-12", out n, out error))
            {
                return false;
            }

            period = Month(year, n);
            return true;
        }

        if (rest.Length != 5 || rest[2] != '-' || !Digits(rest[..2], out var month) || !Digits(rest[3..], out var day))
        {
            error = Expected;
            return false;
        }

        if (month is < 1 or > 12)
        {
            error = "month must be 01-12";
            return false;
        }

        if (day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            error = $"day must be 01-{DateTime.DaysInMonth(year, month):D2} in {year:D4}-{month:D2}";
            return false;
        }

        period = Day(new DateOnly(year, month, day));
        return true;
    }

    /// <summary>The canonical text: 2024, 2024-S1, 2024-Q1, 2024-03, 2024-W05 or 2024-03-15.</summary>
    public override string ToString() => Frequency switch
    {
        Frequency.Annual => Start.Year.ToString("D4", CultureInfo.InvariantCulture),
        Frequency.Semester => string.Create(CultureInfo.InvariantCulture, $"{Start.Year:D4}-S{((Start.Month - 1) / 6) + 1}"),
        Frequency.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Start.Year:D4}-Q{((Start.Month - 1) / 3) + 1}"),
        Frequency.Month => string.Create(CultureInfo.InvariantCulture, $"{Start.Year:D4}-{Start.Month:D2}"),
        Frequency.Week => string.Create(CultureInfo.InvariantCulture,
            $"{Year:D4}-W{ISOWeek.GetWeekOfYear(Start.ToDateTime(TimeOnly.MinValue)):D2}"),
        _ => Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    public int CompareTo(TimePeriod other)
    {
        var byStart = Start.CompareTo(other.Start);
        return byStart != 0 ? byStart : other.End.CompareTo(End);
    }

    public static bool operator <(TimePeriod left, TimePeriod right) => left.CompareTo(right) < 0;

    public static bool operator >(TimePeriod left, TimePeriod right) => left.CompareTo(right) > 0;

    public static bool operator <=(TimePeriod left, TimePeriod right) => left.CompareTo(right) <= 0;

    public static bool operator >=(TimePeriod left, TimePeriod right) => left.CompareTo(right) >= 0;

    /// <summary>The number of a semester, quarter, month or week: exactly <paramref name="width"/> digits, 1 to <paramref name="max"/>.</summary>
    private static bool Numbered(
        ReadOnlySpan<char> number, int width, int max, string rule, out int n, out string? error)
    {
        error = null;
        if (number.Length != width || !Digits(number, out n))
        {
            n = 0;
            error = Expected;
            return false;
        }

        if (n < 1 || n > max)
        {
            error = rule;
            return false;
        }

        return true;
    }

    private static DateOnly LastDay(int year, int month) => new(year, month, DateTime.DaysInMonth(year, month));

    /// <summary>ASCII digits only: other scripts' digits are not part of an SDMX period.</summary>
    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return text.Length > 0;
    }

}

/// <summary>
/// The <c>startPeriod</c> / <c>endPeriod</c> bounds of an SDMX data query, both inclusive and either absent. A bound
/// stands for every day it covers: <c>startPeriod=2024</c> keeps the periods starting on or after 1 January 2024,
/// <c>endPeriod=2024</c> those starting on or before 31 December 2024 (so 2024-Q4 and 2024-12 are in).
/// </summary>
public readonly record struct PeriodBounds(TimePeriod? StartPeriod, TimePeriod? EndPeriod)
{
    public bool Includes(TimePeriod period) =>
        (StartPeriod is not { } start || period.Start >= start.Start)
        && (EndPeriod is not { } end || period.Start <= end.End);
}
