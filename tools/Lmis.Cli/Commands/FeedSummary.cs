using System.Globalization;
using System.Text.Json;
using Lmis.Cli.Publishing;
using Spectre.Console;

namespace Lmis.Cli.Commands;

/// <summary>The end of a feed, on standard output in the form asked for: a table for people, JSON or CSV for scripts.</summary>
public static class FeedSummary
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

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
        switch (format)
        {
            case "json":
                System.Console.Out.WriteLine(JsonSerializer.Serialize(fields.ToDictionary(f => f.Name, f => f.Value), Json));
                break;
            case "csv":
                System.Console.Out.WriteLine(string.Join(",", fields.Select(f => f.Name)));
                System.Console.Out.WriteLine(string.Join(",", fields.Select(f => Cell(f.Value))));
                break;
            default:
                var console = GlobalOptions.Console(System.Console.Out, System.Console.IsOutputRedirected);
                var table = new Table().Border(System.Console.IsOutputRedirected ? TableBorder.Ascii : TableBorder.Rounded).AddColumn("").AddColumn("");
                table.ShowHeaders = false;
                foreach (var (name, value) in fields.Where(f => f.Value is not null))
                {
                    table.AddRow(Markup.Escape(name), Markup.Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
                }

                console.Write(table);
                break;
        }
    }

    private static string Cell(object? value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
