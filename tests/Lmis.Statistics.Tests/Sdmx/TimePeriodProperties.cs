using CsCheck;
using Lmis.Statistics.Sdmx;
using Lmis.Testing;

namespace Lmis.Statistics.Tests.Sdmx;

public sealed class TimePeriodProperties
{
    /// <summary>Any period of any frequency, from year 1 to 9999 (the last ISO week of 9999 excepted: it ends in 10000).</summary>
    public static readonly Gen<TimePeriod> Period = Gen.OneOf(
        Gen.Int[1, 9999].Select(TimePeriod.Annual),
        Gen.Select(Gen.Int[1, 9999], Gen.Int[1, 2], TimePeriod.Semester),
        Gen.Select(Gen.Int[1, 9999], Gen.Int[1, 4], TimePeriod.Quarter),
        Gen.Select(Gen.Int[1, 9999], Gen.Int[1, 12], TimePeriod.Month),
        Gen.Int[1, 9998].SelectMany(y => Gen.Int[1, System.Globalization.ISOWeek.GetWeeksInYear(y)].Select(w => TimePeriod.Week(y, w))),
        Gen.Int[DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber].Select(d => TimePeriod.Day(DateOnly.FromDayNumber(d))));

    [Fact]
    public Task A_period_reads_back_from_its_text() =>
        Properties.HoldAsync(Period, period =>
        {
            Assert.True(TimePeriod.TryParse(period.ToString(), out var read, out var error), error);
            Assert.Equal(period, read);
            Assert.True(period.Start <= period.End);
        }, iter: 5_000);

    [Fact]
    public Task Periods_order_by_their_first_day() =>
        Properties.HoldAsync(Gen.Select(Period, Period), pair =>
        {
            var (a, b) = pair;
            if (a.Start != b.Start)
            {
                Assert.Equal(a.Start < b.Start, a < b);
            }

            Assert.Equal(-Math.Sign(b.CompareTo(a)), Math.Sign(a.CompareTo(b)));
            Assert.Equal(a == b, a.CompareTo(b) == 0);
        }, iter: 5_000);

    [Fact]
    public Task A_day_lies_within_the_period_of_each_frequency_containing_it() =>
        Properties.HoldAsync(Gen.Int[DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber - 7], dayNumber =>
        {
            var day = DateOnly.FromDayNumber(dayNumber);
            foreach (var frequency in Enum.GetValues<Frequency>())
            {
                var period = TimePeriod.Containing(frequency, day);
                Assert.Equal(frequency, period.Frequency);
                Assert.InRange(day, period.Start, period.End);
            }
        }, iter: 2_000);

    /// <summary>Text near the forms of a period, and anything at all.</summary>
    private static readonly Gen<string> PeriodLike = Gen.Frequency(
        (3, Hostile.Text(12)),
        (3, Gen.Select(Hostile.Of("0123456789", 0, 5), Gen.OneOf("", "-", "-S", "-Q", "-M", "-W", "Q", "--"), Hostile.Of("0123456789-", 0, 6),
            (y, s, r) => y + s + r)),
        (1, Gen.Select(Gen.Int[0, 10_000], Gen.Int[-1, 60], (y, n) => $"{y:D4}-W{n:D2}")));

    [Fact]
    public Task Any_text_is_read_or_refused_with_a_reason_never_an_exception() =>
        Properties.HoldAsync(PeriodLike, text =>
        {
            if (TimePeriod.TryParse(text, out var period, out var error))
            {
                Assert.Null(error);
                Assert.Equal(period, TimePeriod.Parse(period.ToString()));
                _ = period.End;
            }
            else
            {
                Assert.Equal('\'', error![0]);
            }
        }, iter: 20_000);
}
