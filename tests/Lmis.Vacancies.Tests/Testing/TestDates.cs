using System.Globalization;

namespace Lmis.Vacancies.Tests;

/// <summary>
/// Closing dates relative to the day the tests run: a vacancy whose closing date has passed is refused as open,
/// so a fixed date in a test would turn it red on the day after.
/// </summary>
internal static class TestDates
{
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>A closing date two years ahead: open for as long as any test runs.</summary>
    public static string Open => Text(Today.AddYears(2));

    /// <summary>Yesterday: a closing date that has passed.</summary>
    public static string Yesterday => Text(Today.AddDays(-1));

    public static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A clock stopped at one moment, for rules that depend on the day.</summary>
internal sealed class StoppedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
