using System.Reflection;
using Lmis.Contracts.Classifications;
using Lmis.Taxonomy.Import;
using Lmis.Taxonomy.Schemes;
using Lmis.Taxonomy.Storage;

namespace Lmis.Taxonomy.BuiltIn;

/// <summary>
/// The classifications a fresh install starts with, so it is usable at once: ISCO-08 down to the sub-major groups
/// the ISIC Rev.4 sections and the ISCED 2011 levels, with their official titles (see BuiltIn/SOURCES.md). They are released as version 1
/// of their scheme, through the same checks as any import, when the scheme has no version yet; full lists (e.g. the
/// 436 ISCO-08 unit groups) come by import as version 2 and later. <c>Lmis:Taxonomy:BuiltIn=false</c> turns this off.
/// </summary>
public sealed partial class BuiltInSchemes(SchemeReleases releases, IConceptStore store, IConfiguration configuration, ILogger<BuiltInSchemes> logger)
    : IHostedService
{
    public static readonly IReadOnlyList<string> Schemes = [SchemeIds.Isco08, SchemeIds.Isic4, SchemeIds.Isced2011];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Lmis:Taxonomy:BuiltIn", true))
        {
            return;
        }

        foreach (var scheme in Schemes)
        {
            if (await store.FindVersionAsync(scheme, null, cancellationToken) is not null)
            {
                continue;
            }

            try
            {
                var released = await releases.ReleaseAsync(Draft(scheme), cancellationToken);
                LogReleased(scheme, released.Version, released.ConceptCount);
            }
            catch (ConcurrentReleaseException)
            {
                // Another replica released it first: the scheme has its built-in version either way.
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
}
