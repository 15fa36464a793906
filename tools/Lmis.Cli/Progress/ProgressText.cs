using System.Globalization;
using Lmis.Cli.Publishing;

namespace Lmis.Cli.Progress;

/// <summary>The words and numbers both progress displays use, so a log line reads like the live table.</summary>
public static class ProgressText
{
    public static string Counts(FeedCounts c, bool check) => check
        ? $"{c.Rows} rows: {c.Sent} sent, {c.Valid} valid, {c.Refused} refused, {c.Warned} with warnings"
        : $"{c.Rows} rows: {c.Sent} sent, {c.Created} created, {c.Updated} updated, {c.Unchanged} unchanged, {c.Closed} closed, {c.Refused} refused, {c.Warned} with warnings";

    public static string Pace(FeedSnapshot s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.RowsPerSecond:0} rows/s, {s.Fraction * 100:0}% of the file, ETA {Duration(s.Remaining)}");

    public static string Duration(TimeSpan? time) => time is not { } t
        ? "--:--"
        : t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
}
