using System.CommandLine;
using Lmis.Cli.Transport;
using Lmis.Contracts.Taxonomy.V1;

namespace Lmis.Cli.Commands;

/// <summary>
/// <c>lmis taxonomy diff|translate</c>: what changed between two versions of a scheme, and which concepts of another
/// scheme a code maps to through a crosswalk. Reads: no key needed.
/// </summary>
public static class TaxonomyVersions
{
    private static readonly string[] Columns = ["change", "code", "parent_code", "status", "replaced_by", "label"];

    public static Command Diff()
    {
        var scheme = new Argument<string>("SCHEME") { Description = "the scheme id (isco08, noc2021…)" };
        var from = new Option<int?>("--from") { Description = "the version compared against (default: the one before --to)" };
        var to = new Option<int?>("--to") { Description = "the version compared (default: the latest)" };
        var language = new Option<string>("--language") { Description = "the language of the labels shown", DefaultValueFactory = _ => "en" };
        var command = new Command("diff", "the concepts added, changed and deprecated from one version of a scheme to another") { scheme, from, to, language };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            var client = new TaxonomyService.TaxonomyServiceClient(connection.Invoker);
            var id = parse.GetValue(scheme)!;
            return await Refusals.ExplainAsync(async () =>
            {
                // The service answers one version against the one before it; a longer span is those steps in turn.
                var last = await client.GetVersionDiffAsync(new GetVersionDiffRequest { Scheme = id, Version = parse.GetValue(to) ?? 0 }, connection.Headers(), cancellationToken: cancellationToken);
                var first = parse.GetValue(from) ?? last.FromVersion;
                if (first < 0 || first >= last.ToVersion)
                {
                    throw new CommandFailedException(ExitCodes.Usage, $"--from {first}: give a version before {last.ToVersion} (0: before the first)");
                }

                var steps = new List<VersionDiff>();
                for (var version = first + 1; version < last.ToVersion; version++)
                {
                    steps.Add(await client.GetVersionDiffAsync(new GetVersionDiffRequest { Scheme = id, Version = version }, connection.Headers(), cancellationToken: cancellationToken));
                }

                var diff = Combine(id, first, [.. steps, last]);
                var lang = parse.GetValue(language)!;
                Console.Error.WriteLine($"lmis: {id} version {diff.ToVersion} against {diff.FromVersion}: {diff.Added.Count} added, {diff.Changed.Count} changed, {diff.Deprecated.Count} deprecated");
                Answers.Rows(parse.GetValue(GlobalOptions.Output)!, diff, Columns,
                    Rows("added", diff.Added, lang).Concat(Rows("changed", diff.Changed, lang)).Concat(Rows("deprecated", diff.Deprecated, lang)));
                return ExitCodes.Ok;
            }, id, connection, "reads need no key", cancellationToken);
        });
        return command;
    }

    public static Command Translate()
    {
        var scheme = new Argument<string>("SCHEME") { Description = "the scheme of the code (noc2021)" };
        var code = new Argument<string>("CODE") { Description = "the code (72100)" };
        var to = new Option<string>("--to") { Description = "the scheme to translate into (isco08)", Required = true };
        var language = new Option<string>("--language") { Description = "the language of the labels shown", DefaultValueFactory = _ => "en" };
        var command = new Command("translate", "the concepts of another scheme a code maps to through a crosswalk (either scheme's), with the mapping") { scheme, code, to, language };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            var client = new TaxonomyService.TaxonomyServiceClient(connection.Invoker);
            var subject = $"{parse.GetValue(scheme)} {parse.GetValue(code)}";
            return await Refusals.ExplainAsync(async () =>
            {
                var translated = await client.TranslateAsync(new TranslateRequest
                {
                    FromScheme = parse.GetValue(scheme)!,
                    Code = parse.GetValue(code)!,
                    ToScheme = parse.GetValue(to)!,
                }, connection.Headers(), cancellationToken: cancellationToken);
                Answers.Rows(parse.GetValue(GlobalOptions.Output)!, translated, ["relation", "scheme", "code", "label"],
                    translated.Targets.Select(t => new[] { t.Relation, t.Concept.Scheme, t.Concept.Code, Label(t.Concept, parse.GetValue(language)!) }));
                if (translated.Targets.Count == 0)
                {
                    // Scripts ask "what is this code in that scheme": no answer is not a success.
                    Console.Error.WriteLine($"{subject}: no crosswalk maps it to {parse.GetValue(to)}");
                    return ExitCodes.Refused;
                }

                return ExitCodes.Ok;
            }, subject, connection, "reads need no key", cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// Consecutive diffs as one: a concept is added when it was not in the first version, deprecated when it is so
    /// at the end, changed otherwise — each shown as it is in the last version.
    /// </summary>
    private static VersionDiff Combine(string scheme, int from, IReadOnlyList<VersionDiff> steps)
    {
        var seen = new Dictionary<string, (bool Added, Concept Concept)>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            foreach (var concept in step.Added.Concat(step.Changed).Concat(step.Deprecated))
            {
                var added = seen.TryGetValue(concept.Code, out var before) ? before.Added : step.Added.Contains(concept);
                seen[concept.Code] = (added, concept);
            }
        }

        var diff = new VersionDiff { Scheme = scheme, FromVersion = from, ToVersion = steps[^1].ToVersion };
        foreach (var (added, concept) in seen.Values.OrderBy(c => c.Concept.Code, StringComparer.Ordinal))
        {
            (added ? diff.Added : concept.Status == "deprecated" ? diff.Deprecated : diff.Changed).Add(concept);
        }

        return diff;
    }

    private static IEnumerable<string[]> Rows(string change, IEnumerable<Concept> concepts, string language) =>
        concepts.Select(c => new[] { change, c.Code, c.ParentCode, c.Status, c.ReplacedBy, Label(c, language) });

    private static string Label(Concept concept, string language) =>
        concept.Labels.TryGetValue(language, out var label) ? label : concept.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Value).FirstOrDefault() ?? string.Empty;
}
