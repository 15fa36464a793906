using Lmis.Cli.Publishing;

namespace Lmis.Cli.Commands;

/// <summary>The end of a feed, on standard output in the form asked for: a table for people, JSON or CSV for scripts.</summary>
public static class FeedSummary
{
    public static void Write(string format, string mode, string file, string server, FeedResult result)
    {
        var c = result.Counts;
        var fields = new List<(string Name, object? Value)>
        {
            ("mode", mode), ("file", file), ("server", server), ("rows", c.Rows), ("sent", c.Sent),
        };
        fields.AddRange(mode == "check"
            ? [("valid", c.Valid)]
            : [("created", c.Created), ("updated", c.Updated), ("unchanged", c.Unchanged), ("closed", c.Closed)]);
        fields.AddRange([
            ("refused", c.Refused), ("warned", c.Warned), ("errorsFile", result.ErrorsFile), ("errorRows", result.ErrorRows),
            ("resumedAfterRow", result.ResumedAfterRow), ("seconds", Math.Round(result.Elapsed.TotalSeconds, 1)),
        ]);
        Answers.Fields(format, fields);
    }
}
