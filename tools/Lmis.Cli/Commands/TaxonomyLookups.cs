using System.CommandLine;
using Lmis.Cli.Transport;
using Lmis.Contracts.Taxonomy.V1;

namespace Lmis.Cli.Commands;

/// <summary>
/// <c>lmis taxonomy lookup|search</c>: what a code means and which code a label has, while a feed is being coded.
/// Reads are open to anyone: no key needed.
/// </summary>
public static class TaxonomyLookups
{
    public static Command Lookup()
    {
        var scheme = new Argument<string>("SCHEME") { Description = "the scheme id (isco08, isic4, noc2021…)" };
        var code = new Argument<string>("CODE") { Description = "the concept's code (7112)" };
        var version = new Option<int>("--version") { Description = "a released version (default: the latest)" };
        var command = new Command("lookup", "one concept of a scheme: its labels in every language, parent, level and status") { scheme, code, version };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            var client = new TaxonomyService.TaxonomyServiceClient(connection.Invoker);
            return await Refusals.ExplainAsync(async () =>
            {
                var concept = await client.GetConceptAsync(
                    new GetConceptRequest { Scheme = parse.GetValue(scheme)!, Code = parse.GetValue(code)!, Version = parse.GetValue(version) },
                    connection.Headers(), cancellationToken: cancellationToken);
                var rows = concept.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)
                    .Select(l => new[] { concept.Scheme, concept.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), concept.Code, concept.ParentCode, concept.Status, concept.ReplacedBy, l.Key, l.Value });
                if (parse.GetValue(GlobalOptions.Output) == "table")
                {
                    Console.WriteLine($"{concept.Scheme} {concept.Code}: version {concept.Version}, level {concept.Level}, parent {(concept.ParentCode.Length > 0 ? concept.ParentCode : "none")}, {concept.Status}"
                        + (concept.ReplacedBy.Length > 0 ? $", replaced by {concept.ReplacedBy}" : string.Empty));
                    rows = concept.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new[] { l.Key, l.Value });
                    Answers.Rows(parse.GetValue(GlobalOptions.Output)!, concept, ["language", "label"], rows);
                }
                else
                {
                    Answers.Rows(parse.GetValue(GlobalOptions.Output)!, concept, ["scheme", "version", "code", "parent_code", "status", "replaced_by", "language", "label"], rows);
                }
                return ExitCodes.Ok;
            }, $"{parse.GetValue(scheme)} {parse.GetValue(code)}", connection, "reads need no key", cancellationToken);
        });
        return command;
    }

    public static Command Search()
    {
        var text = new Argument<string>("TEXT") { Description = "words of a label, any case and accents (albanil finds Albañil)" };
        var scheme = new Option<string?>("--scheme") { Description = "only this scheme (default: every scheme)" };
        var level = new Option<int>("--level") { Description = "only this level (isco08: 4 for unit groups)" };
        var language = new Option<string?>("--language") { Description = "only labels in this language (es, en, fr…)" };
        var limit = new Option<int>("--limit") { Description = "at most this many (up to 100)", DefaultValueFactory = _ => 20 };
        var command = new Command("search", "concepts by label, best first") { text, scheme, level, language, limit };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            var client = new TaxonomyService.TaxonomyServiceClient(connection.Invoker);
            return await Refusals.ExplainAsync(async () =>
            {
                var found = await client.SearchConceptsAsync(new SearchConceptsRequest
                {
                    Q = parse.GetValue(text)!,
                    Scheme = parse.GetValue(scheme) ?? string.Empty,
                    Level = parse.GetValue(level),
                    Language = parse.GetValue(language) ?? string.Empty,
                    Limit = parse.GetValue(limit),
                }, connection.Headers(), cancellationToken: cancellationToken);
                var rows = found.Hits.Select(h => new[]
                {
                    h.Concept.Scheme, h.Concept.Code, h.MatchedLanguage, h.MatchedLabel, h.Score.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
                Answers.Rows(parse.GetValue(GlobalOptions.Output)!, found, ["scheme", "code", "language", "label", "score"], rows);
                return ExitCodes.Ok;
            }, parse.GetValue(text)!, connection, "reads need no key", cancellationToken);
        });
        return command;
    }
}
