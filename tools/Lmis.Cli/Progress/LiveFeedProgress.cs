using Spectre.Console;

namespace Lmis.Cli.Progress;

/// <summary>A live table at a terminal: the counts, the pace and the time left, redrawn as batches are answered.</summary>
public sealed class LiveFeedProgress(IAnsiConsole console, string verb, string file, bool check) : IFeedProgress
{
    private LiveDisplayContext? _live;
    private FeedSnapshot? _last;
    private readonly List<string> _notes = [];

    public async Task<T> ShowAsync<T>(Func<IFeedProgress, Task<T>> feed)
    {
        var result = default(T)!;
        await console.Live(Render()).AutoClear(false).StartAsync(async context =>
        {
            _live = context;
            result = await feed(this);
        });
        return result;
    }

    public void Report(FeedSnapshot snapshot)
    {
        _last = snapshot;
        Refresh();
    }

    public void Note(string message)
    {
        _notes.Add(message);
        if (_notes.Count > 3)
        {
            _notes.RemoveAt(0);
        }

        Refresh();
    }

    private void Refresh()
    {
        if (_live is { } live)
        {
            live.UpdateTarget(Render());
            live.Refresh();
        }
    }

    private Table Render()
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(Markup.Escape(verb)).AddColumn(new TableColumn(Markup.Escape(file)).RightAligned());
        var c = _last?.Counts ?? new Publishing.FeedCounts();
        void Row(string name, object value) => table.AddRow(Markup.Escape(name), Markup.Escape(value.ToString() ?? string.Empty));
        Row("rows", c.Rows);
        Row("sent", c.Sent);
        if (check)
        {
            Row("valid", c.Valid);
        }
        else
        {
            Row("created", c.Created);
            Row("updated", c.Updated);
            Row("unchanged", c.Unchanged);
            Row("closed", c.Closed);
        }

        table.AddRow(new Markup("refused"), new Markup(c.Refused > 0 ? $"[red]{c.Refused}[/]" : "0"));
        Row("with warnings", c.Warned);
        if (_last is { } s)
        {
            Row("rows/s", Math.Round(s.RowsPerSecond));
            Row("done", $"{s.Fraction * 100:0}%");
            Row("ETA", ProgressText.Duration(s.Remaining));
        }

        foreach (var note in _notes)
        {
            table.AddRow(new Markup("[yellow]note[/]"), new Markup(Markup.Escape(note)));
        }

        return table;
    }
}
