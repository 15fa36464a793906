using System.Reflection;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Classifications;
using Lmis.Taxonomy.Import;
using Lmis.Taxonomy.Reading;
using Lmis.Taxonomy.Schemes;
using Lmis.Taxonomy.Storage;

namespace Lmis.Taxonomy.BuiltIn;

/// <summary>
/// The classifications a fresh install starts with, so it is usable at once: ISCO-08 complete (619 groups), the ESCO
/// occupations under its unit groups, the ISIC Rev.4 sections and the ISCED 2011 levels, titled in en, es and fr (see
/// BuiltIn/SOURCES.md). Each is released through the same checks as any import, as the next version of its scheme,
/// when the scheme has no version yet or when its latest version holds nothing the built-in one lacks (an earlier
/// built-in edition, e.g. ISCO-08 down to its sub-major groups only). A version an installation released itself,
/// with a title, concept or status of its own, is never replaced. <c>Lmis:Taxonomy:BuiltIn=false</c> turns this off.
/// </summary>
public sealed partial class BuiltInSchemes(SchemeReleases releases, TaxonomyCatalog catalog, IConfiguration configuration, ILogger<BuiltInSchemes> logger)
    : IHostedService
{
    /// <summary>In release order: ESCO relates its occupations to ISCO-08, which must be released first.</summary>
    public static readonly IReadOnlyList<string> Schemes = [SchemeIds.Isco08, SchemeIds.Isic4, SchemeIds.Isced2011, SchemeIds.Esco];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Lmis:Taxonomy:BuiltIn", true))
        {
            return;
        }

        foreach (var scheme in Schemes)
        {
            var draft = Draft(scheme);
            var latest = await catalog.TryGetAsync(scheme, null, cancellationToken);
            if (latest is not null && !Extends(draft, latest))
            {
                continue;
            }

            try
            {
                var released = await releases.ReleaseAsync(draft, cancellationToken);
                LogReleased(scheme, released.Version, released.ConceptCount);
            }
            catch (ConcurrentReleaseException)
            {
                // Another replica released it first: the scheme has its built-in version either way.
            }
            catch (ValidationFailedException refused)
            {
                // E.g. ESCO under an installation's own ISCO-08 that lacks unit groups: its versions stay as they are.
                LogRefused(scheme, refused.Errors.Count, string.Join("; ", refused.Errors.Take(3).Select(e => $"{e.Field}: {e.Reason}")));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The built-in version of a scheme, read from the CSV files shipped inside this assembly.</summary>
    public static SchemeVersionDraft Draft(string scheme) => CsvDraftReader.Read(
        scheme,
        Resource(scheme, CsvDraftReader.ConceptsFile),
        Resource(scheme, CsvDraftReader.LabelsFile),
        Resource(scheme, CsvDraftReader.RelationsFile),
        Resource(scheme, CsvDraftReader.AttributesFile));

    /// <summary>
    /// Whether the built-in version holds everything <paramref name="latest"/> holds — each concept with the same
    /// parent and status and every one of its labels, attributes and relations — and more: then releasing it loses
    /// nothing an installation made, and an equal one would only repeat the latest version.
    /// </summary>
    public static bool Extends(SchemeVersionDraft builtIn, SchemeIndex latest)
    {
        var concepts = builtIn.Concepts.ToDictionary(c => c.Code, StringComparer.Ordinal);
        var labels = builtIn.Labels.Select(l => (l.Code, l.Language, l.Kind, l.Text)).ToHashSet();
        var attributes = builtIn.Attributes.Select(a => (a.Code, a.Name, a.Value)).ToHashSet();
        var relations = builtIn.Relations.Select(r => (r.Code, r.Relation, r.TargetScheme, r.TargetCode)).ToHashSet();
        foreach (var concept in latest.ByCode.Values)
        {
            if (!concepts.TryGetValue(concept.Code, out var row)
                || (row.ParentCode ?? string.Empty) != (concept.ParentCode ?? string.Empty)
                || concept.Status != ConceptStatus.Active
                || !(row.Status is null || row.Status.Equals("active", StringComparison.OrdinalIgnoreCase))
                || !concept.Labels.All(l => labels.Contains((concept.Code, l.Language, l.Kind.ToString().ToLowerInvariant(), l.Text)))
                || !concept.Attributes.All(a => attributes.Contains((concept.Code, a.Name, a.Value))))
            {
                return false;
            }
        }

        if (!latest.Relations.All(r => relations.Contains((r.Code, RelationTypes.Name(r.Type), r.TargetScheme, r.TargetCode))))
        {
            return false;
        }

        var latestLabels = latest.ByCode.Values.Sum(c => c.Labels.Count);
        var latestAttributes = latest.ByCode.Values.Sum(c => c.Attributes.Count);
        return concepts.Count > latest.ByCode.Count || labels.Count > latestLabels
            || attributes.Count > latestAttributes || relations.Count > latest.Relations.Count;
    }

    private static string? Resource(string scheme, string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Lmis.Taxonomy.BuiltIn.{scheme}.{file}");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released the built-in {Scheme} as version {Version} ({Concepts} concepts)")]
    private partial void LogReleased(string scheme, int version, int concepts);

    [LoggerMessage(Level = LogLevel.Error, Message = "The built-in {Scheme} was not released: {Count} rows refused against this installation's schemes, e.g. {Examples}")]
    private partial void LogRefused(string scheme, int count, string examples);
}
