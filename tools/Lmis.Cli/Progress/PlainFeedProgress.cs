namespace Lmis.Cli.Progress;

/// <summary>
/// Progress as plain lines on standard error, for logs, pipes and cron (stdout not a terminal, or <c>--quiet</c>):
/// at most one line every few seconds, and the last one always.
/// </summary>
public sealed class PlainFeedProgress(TextWriter output, bool check, TimeSpan every) : IFeedProgress
{
    private TimeSpan? _lastWritten;
    private FeedSnapshot? _unwritten;

    public async Task<T> ShowAsync<T>(Func<IFeedProgress, Task<T>> feed)
    {
        try
        {
            return await feed(this);
        }
        finally
        {
            if (_unwritten is { } unwritten)
            {
                Write(unwritten);
            }
        }
    }

    public void Report(FeedSnapshot snapshot)
    {
        if (_lastWritten is not { } last || snapshot.Elapsed - last >= every)
        {
            Write(snapshot);
        }
        else
        {
            _unwritten = snapshot;
        }
    }

    public void Note(string message) => output.WriteLine($"lmis: {message}");

    private void Write(FeedSnapshot snapshot)
    {
        _lastWritten = snapshot.Elapsed;
        _unwritten = null;
        output.WriteLine($"lmis: {ProgressText.Counts(snapshot.Counts, check)} ({ProgressText.Pace(snapshot)})");
    }
}
