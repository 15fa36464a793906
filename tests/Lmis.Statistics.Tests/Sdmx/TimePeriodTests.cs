using Lmis.Statistics.Sdmx;

namespace Lmis.Statistics.Tests.Sdmx;

public sealed class TimePeriodTests
{
    [Theory]
    [InlineData("2024", Frequency.Annual, "2024-01-01", "2024-12-31", "2024")]
    [InlineData("2024-S1", Frequency.Semester, "2024-01-01", "2024-06-30", "2024-S1")]
    [InlineData("2024-S2", Frequency.Semester, "2024-07-01", "2024-12-31", "2024-S2")]
    [InlineData("2024-Q1", Frequency.Quarter, "2024-01-01", "2024-03-31", "2024-Q1")]
    [InlineData("2024-Q4", Frequency.Quarter, "2024-10-01", "2024-12-31", "2024-Q4")]
    [InlineData("2024-M02", Frequency.Month, "2024-02-01", "2024-02-29", "2024-02")]
    [InlineData("2023-02", Frequency.Month, "2023-02-01", "2023-02-28", "2023-02")]
    [InlineData("2024-W01", Frequency.Week, "2024-01-01", "2024-01-07", "2024-W01")]
    [InlineData("2021-W01", Frequency.Week, "2021-01-04", "2021-01-10", "2021-W01")]
    [InlineData("2020-W53", Frequency.Week, "2020-12-28", "2021-01-03", "2020-W53")]
    [InlineData("2024-03-15", Frequency.Day, "2024-03-15", "2024-03-15", "2024-03-15")]
    [InlineData("2024-02-29", Frequency.Day, "2024-02-29", "2024-02-29", "2024-02-29")]
    public void Reads_every_sdmx_period_form(string text, Frequency frequency, string start, string end, string canonical)
    {
        var period = TimePeriod.Parse(text);

        Assert.Equal(frequency, period.Frequency);
        Assert.Equal(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), period.Start);
        Assert.Equal(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture), period.End);
        Assert.Equal(canonical, period.ToString());
    }

    [Fact]
    public void Reporting_and_calendar_months_are_one_period_written_the_calendar_way()
    {
        Assert.Equal(TimePeriod.Parse("2024-03"), TimePeriod.Parse("2024-M03"));
        Assert.Equal("2024-03", TimePeriod.Parse("2024-M03").ToString());
        Assert.Equal('M', TimePeriod.Parse("2024-M03").FrequencyCode);
    }

    [Theory]
    [InlineData("24", "'24': a time period such as 2024, 2024-Q1, 2024-03, 2024-M03 or 2024-03-15")]
    [InlineData("", "'': a time period such as 2024, 2024-Q1, 2024-03, 2024-M03 or 2024-03-15")]
    [InlineData("2024-13", "'2024-13': month must be 01-12")]
    [InlineData("2024-00", "'2024-00': month must be 01-12")]
    [InlineData("2024-M13", "'2024-M13': month must be M01-M12")]
    [InlineData("2024-M3", "'2024-M3': a time period such as 2024, 2024-Q1, 2024-03, 2024-M03 or 2024-03-15")]
    [InlineData("2024-Q5", "'2024-Q5': quarter must be Q1-Q4")]
    [InlineData("2024-S3", "'2024-S3': semester must be S1 or S2")]
    [InlineData("2024-W53", "'2024-W53': week must be W01-W52 in 2024")]
    [InlineData("2023-02-29", "'2023-02-29': day must be 01-28 in 2023-02")]
    [InlineData("2024-04-31", "'2024-04-31': day must be 01-30 in 2024-04")]
    [InlineData("0000", "'0000': year must be 0001-9999")]
    [InlineData("2024Q1", "'2024Q1': a time period such as 2024, 2024-Q1, 2024-03, 2024-M03 or 2024-03-15")]
    [InlineData("2024-q1", "'2024-q1': a time period such as 2024, 2024-Q1, 2024-03, 2024-M03 or 2024-03-15")]
    [InlineData(" 2024", "' 2024': a time period such as 2024, 2024-Q1, 2024-03, 2024-M03 or 2024-03-15")]
    [InlineData("٢٠٢٤", "'٢٠٢٤': a time period such as 2024, 2024-Q1, 2024-03, 2024-M03 or 2024-03-15")]
    [InlineData("9999-W52", "'9999-W52': ends after 9999-12-31")]
    public void Refuses_what_is_not_a_period_and_says_why(string text, string error)
    {
        Assert.False(TimePeriod.TryParse(text, out _, out var reason));
        Assert.Equal(error, reason);
    }

    [Fact]
    public void Longer_periods_come_first_among_those_starting_the_same_day()
    {
        string[] sorted = ["2023-12-31", "2024", "2024-S1", "2024-Q1", "2024-01", "2024-W01", "2024-01-01", "2024-01-02", "2024-02", "2024-Q2", "2024-S2"];
        var shuffled = sorted.Reverse().Select(TimePeriod.Parse).ToList();

        shuffled.Sort();

        Assert.Equal(sorted, shuffled.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("2024", null, "2024-Q4", true)]
    [InlineData("2024", null, "2023-Q4", false)]
    [InlineData(null, "2024", "2024-12", true)]
    [InlineData(null, "2024", "2025-01", false)]
    [InlineData("2024-Q2", "2024-Q3", "2024-06", true)]
    [InlineData("2024-Q2", "2024-Q3", "2024-10", false)]
    [InlineData("2024-03", "2024-03", "2024-03-31", true)]
    [InlineData("2024-03", "2024-03", "2024", false)]
    public void Query_bounds_cover_every_period_starting_within_them(string? start, string? end, string period, bool included)
    {
        var bounds = new PeriodBounds(start is null ? null : TimePeriod.Parse(start), end is null ? null : TimePeriod.Parse(end));

        Assert.Equal(included, bounds.Includes(TimePeriod.Parse(period)));
    }

    [Fact]
    public void The_period_containing_a_day()
    {
        var day = new DateOnly(2024, 8, 14);

        Assert.Equal(["2024", "2024-S2", "2024-Q3", "2024-08", "2024-W33", "2024-08-14"],
            new[] { Frequency.Annual, Frequency.Semester, Frequency.Quarter, Frequency.Month, Frequency.Week, Frequency.Day }.Select(f => TimePeriod.Containing(f, day).ToString()));
    }
}
