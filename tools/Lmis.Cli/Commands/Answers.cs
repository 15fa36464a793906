using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Spectre.Console;

namespace Lmis.Cli.Commands;

/// <summary>
/// An answer on standard output in the form <c>--output</c> asks for: a table for people, the protocol's JSON or CSV
/// for scripts. Every command writes through here, so the three forms read the same whatever the verb.
/// </summary>
public static class Answers
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Rows of an answer: the protocol's JSON of the whole answer, CSV rows, or a table.</summary>
    public static void Rows(string format, IMessage answer, string[] columns, IEnumerable<string[]> rows)
    {
        switch (format)
        {
            case "json":
                Console.WriteLine(JsonFormatter.Default.Format(answer));
                break;
            case "csv":
                Console.WriteLine(string.Join(",", columns));
                foreach (var row in rows)
                {
                    Console.WriteLine(string.Join(",", row.Select(Cell)));
                }

                break;
            default:
                var table = new Table().Border(Console.IsOutputRedirected ? TableBorder.Ascii : TableBorder.Rounded);
                foreach (var column in columns)
                {
                    table.AddColumn(Markup.Escape(column));
                }

                foreach (var row in rows)
                {
                    table.AddRow(row.Select(Markup.Escape).ToArray());
                }

                GlobalOptions.Console(Console.Out, Console.IsOutputRedirected).Write(table);
                break;
        }
    }

    /// <summary>A summary of named figures: one JSON object, a CSV header and row, or a two-column table.</summary>
    public static void Fields(string format, IReadOnlyList<(string Name, object? Value)> fields)
    {
        switch (format)
        {
            case "json":
                Console.Out.WriteLine(JsonSerializer.Serialize(fields.ToDictionary(f => f.Name, f => f.Value), Json));
                break;
            case "csv":
                Console.Out.WriteLine(string.Join(",", fields.Select(f => f.Name)));
                Console.Out.WriteLine(string.Join(",", fields.Select(f => Cell(f.Value))));
                break;
            default:
                var console = GlobalOptions.Console(Console.Out, Console.IsOutputRedirected);
                var table = new Table().Border(Console.IsOutputRedirected ? TableBorder.Ascii : TableBorder.Rounded).AddColumn("").AddColumn("");
                table.ShowHeaders = false;
                foreach (var (name, value) in fields.Where(f => f.Value is not null))
                {
                    table.AddRow(Markup.Escape(name), Markup.Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
                }

                console.Write(table);
                break;
        }
    }

    public static string Cell(object? value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
