using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Lmis.Statistics.Sdmx.Rest;

/// <summary>
/// One kind of message an SDMX REST resource can answer with: its media type as written in <c>Content-Type</c>, the
/// media types a client may ask for it by (e.g. <c>application/vnd.sdmx.data+json</c>, and <c>application/json</c>
/// for the plain-JSON family), and the <c>format=</c> aliases tools send (the .Stat Suite's <c>jsondata</c>,
/// <c>csvfile</c>...).
/// </summary>
/// <param name="Name">What the kind is called in errors and docs, e.g. "SDMX-JSON 2.0.0".</param>
/// <param name="MediaType">The Content-Type written, e.g. <c>application/vnd.sdmx.data+json; version=2.0.0</c>.</param>
/// <param name="Accepts">Media types (without parameters) a client may name it by, most specific first.</param>
/// <param name="Version">The <c>version</c> parameter an Accept entry may carry for it (e.g. 2.0.0, 2.0, 2); null for none.</param>
/// <param name="Aliases">Values of the <c>format</c> query parameter that ask for it.</param>
public sealed record SdmxMessageKind(string Name, string MediaType, IReadOnlyList<string> Accepts, string? Version, IReadOnlyList<string> Aliases)
{
    /// <summary>Whether an Accept entry's version (1.0, 2.0, 2.0.0...) is this kind's: prefixes match (2 and 2.0 are 2.0.0).</summary>
    public bool HasVersion(string? asked)
    {
        if (asked is null || Version is null)
        {
            return true;
        }

        var mine = Version.Split('.');
        var theirs = asked.Trim('"').Split('.');
        return theirs.Length <= mine.Length && theirs.Select((part, i) => part == mine[i]).All(same => same);
    }
}

/// <summary>What a negotiation chose: the kind of message, and the parameters of the Accept entry that chose it (e.g. <c>labels=both</c>).</summary>
public sealed record SdmxChoice(SdmxMessageKind Kind, IReadOnlyDictionary<string, string> Parameters);

/// <summary>
/// Picks the message an SDMX client asked for, as SDMX REST says: the <c>format</c> query parameter wins when given;
/// else the <c>Accept</c> header, by its q-values (a more specific entry before a wildcard at the same q; q=0 refuses);
/// else the first offered kind. Nothing offered is acceptable → null and the reason, for a 406 that lists what is.
/// </summary>
public static class SdmxNegotiation
{
    public static SdmxChoice? Choose(IReadOnlyList<SdmxMessageKind> offered, string? format, StringValues accept, out string? problem)
    {
        problem = null;
        if (!string.IsNullOrWhiteSpace(format))
        {
            var byAlias = offered.FirstOrDefault(k => k.Aliases.Contains(format.Trim(), StringComparer.OrdinalIgnoreCase));
            if (byAlias is not null)
            {
                return new SdmxChoice(byAlias, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
            }

            problem = $"format '{format}' is not one this resource answers in; format= takes {string.Join(", ", offered.SelectMany(k => k.Aliases))}";
            return null;
        }

        if (StringValues.IsNullOrEmpty(accept) || !MediaTypeHeaderValue.TryParseList(accept, out var entries) || entries.Count == 0)
        {
            return new SdmxChoice(offered[0], new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
        }

        // Highest q first; at equal q, the more specific entry (no wildcard, then type/*) first, then in the order given.
        var ranked = entries
            .Select((entry, order) => (entry, order, q: entry.Quality ?? 1.0))
            .Where(e => e.q > 0)
            .OrderByDescending(e => e.q)
            .ThenBy(e => e.entry.MatchesAllTypes ? 2 : e.entry.MatchesAllSubTypes ? 1 : 0)
            .ThenBy(e => e.order);
        foreach (var (entry, _, _) in ranked)
        {
            var kind = offered.FirstOrDefault(k => Matches(k, entry));
            if (kind is not null)
            {
                var parameters = entry.Parameters
                    .Where(p => p.Name.HasValue && !p.Name.Equals("q", StringComparison.OrdinalIgnoreCase))
                    .ToDictionary(p => p.Name.Value!, p => p.Value.Value?.Trim('"') ?? string.Empty, StringComparer.OrdinalIgnoreCase);
                return new SdmxChoice(kind, parameters);
            }
        }

        problem = $"none of '{accept}' is a media type this resource answers in; it answers in "
            + string.Join(", ", offered.Select(k => $"{k.Name} ({k.MediaType})"));
        return null;
    }

    private static bool Matches(SdmxMessageKind kind, MediaTypeHeaderValue entry)
    {
        if (entry.MatchesAllTypes)
        {
            return true;
        }

        var type = entry.MediaType.Value ?? string.Empty;
        if (entry.MatchesAllSubTypes)
        {
            var prefix = type[..type.IndexOf('/', StringComparison.Ordinal)];
            return kind.Accepts.Any(a => a.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase));
        }

        var version = entry.Parameters.FirstOrDefault(p => p.Name.Equals("version", StringComparison.OrdinalIgnoreCase))?.Value.Value;
        return kind.Accepts.Contains(type, StringComparer.OrdinalIgnoreCase) && kind.HasVersion(version);
    }
}
