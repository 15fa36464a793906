using Lmis.Cli.Publishing;

namespace Lmis.Cli.Progress;

/// <summary>Where a feed is: its counts, how far into the file, and how fast this run goes.</summary>
public sealed record FeedSnapshot(FeedCounts Counts, long Position, long Length, long StartPosition, int StartRows, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? (Counts.Rows - StartRows) / Elapsed.TotalSeconds : 0;

    public double Fraction => Length > 0 ? Math.Clamp((double)Position / Length, 0, 1) : 1;

    /// <summary>Time left, from this run's pace through the file's bytes; null until there is a pace to go by.</summary>
    public TimeSpan? Remaining
    {
        get
        {
            var done = Position - StartPosition;
            return done <= 0 || Elapsed <= TimeSpan.Zero
                ? null
                : TimeSpan.FromSeconds(Math.Max(0, Length - Position) * Elapsed.TotalSeconds / done);
        }
    }
}

/// <summary>Shows a feed's progress to the user: a live table at a terminal, plain lines for logs and cron.</summary>
public interface IFeedProgress
{
    /// <summary>Runs the feed while showing its progress.</summary>
    Task<T> ShowAsync<T>(Func<IFeedProgress, Task<T>> feed);

    void Report(FeedSnapshot snapshot);

    /// <summary>Something the user should know now (resuming, a retry after a network failure).</summary>
    void Note(string message);
}
