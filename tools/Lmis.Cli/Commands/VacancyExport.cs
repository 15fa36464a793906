using System.CommandLine;
using Lmis.Cli.Transport;

namespace Lmis.Cli.Commands;

/// <summary>
/// <c>lmis vacancies export</c>: the vacancies a search finds, as a CSV file in the feed format, from the vacancies
/// service's export (<c>GET /api/v1/vacancies:csv</c>, docs/vacancies.md) — to a file or to standard output.
/// </summary>
public static class VacancyExport
{
    public static Command Create()
    {
        // Each option is one of the export's filters, by the name it has there.
        var filters = new (Option<string?> Option, string Parameter)[]
        {
            (new("--country") { Description = "member states, comma-separated (MEX,GTM)" }, "country"),
            (new("--occupation") { Description = "an ISCO-08 code at any level: it and every code under it (22 finds 2221)" }, "occupation"),
            (new("--sector") { Description = "an ISIC Rev.4 code" }, "sector"),
            (new("--status") { Description = "open (default), filled, withdrawn, expired or all" }, "status"),
            (new("--employment-type") { Description = "permanent, temporary, seasonal, apprenticeship, internship or other" }, "employmentType"),
            (new("--origin-country") { Description = "open to workers from this country (alpha-3)" }, "originCountry"),
            (new("--pathway") { Description = "offered under this labour-mobility pathway" }, "pathwayId"),
            (new("--posted-since") { Description = "posted on or after this date (YYYY-MM-DD)" }, "postedSince"),
            (new("--text") { Description = "words that must all be in the title or description" }, "text"),
        };
        var feeFree = new Option<bool>("--fee-free-only") { Description = "only vacancies that charge the worker no recruitment fee" };
        var forPeople = new Option<bool>("--for-spreadsheet")
        {
            Description = "cells a spreadsheet would run as formulas get a leading apostrophe (for reading; such a file is not sent back as a feed)",
        };
        var file = new Option<string?>("--file") { Description = "write the CSV here (default: standard output)" };
        var command = new Command("export", "vacancies found by the filters, newest first, as a CSV file in the feed format (at most 100,000)")
        {
            feeFree, forPeople, file,
        };
        foreach (var (option, _) in filters)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var query = filters.Where(f => parse.GetValue(f.Option) is { Length: > 0 })
                .Select(f => (f.Parameter, parse.GetValue(f.Option)!))
                .Concat(parse.GetValue(feeFree) ? [("feeFreeOnly", "true")] : [])
                .Concat(parse.GetValue(forPeople) ? [("for", "spreadsheet")] : []);
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/vacancies:csv" + QueryString(query));
            using var response = await RestAnswers.SendAsync(connection, request, "export", "reads need no key", cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var path = parse.GetValue(file);
            var written = await Downloads.ToFileOrOutputAsync(body, path, cancellationToken);
            Console.Error.WriteLine($"lmis: {written.CsvRecords} vacancies exported{(path is null ? string.Empty : " to " + path)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string QueryString(IEnumerable<(string Name, string Value)> parameters)
    {
        var text = string.Join("&", parameters.Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));
        return text.Length > 0 ? "?" + text : string.Empty;
    }
}
