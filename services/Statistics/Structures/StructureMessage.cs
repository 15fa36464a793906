namespace Lmis.Statistics.Structures;

/// <summary>
/// What a structure message says besides its structures: who sends it and when, where a stub's structure can be
/// read in full (the SDMX REST path below <see cref="LinkBase"/>), and the language of single names (SDMX-JSON's <c>name</c>).
/// </summary>
public sealed record StructureMessage(IReadOnlyList<ShownArtefact> Artefacts, string Sender, DateTimeOffset Prepared, string LinkBase, string Language = "en")
{
    /// <summary>The SDMX REST 2.1 resource a type is queried by, e.g. <c>datastructure</c>.</summary>
    public static string Resource(StructureType type) => type.ToString().ToLowerInvariant();

    /// <summary>Where a structure is read in full: <c>{base}/sdmx/codelist/RCM/CL_SEX/1.0</c>.</summary>
    public string Location(ArtefactKey key) => $"{LinkBase}/sdmx/{Resource(key.Type)}/{key.Agency}/{key.Id}/{key.Version}";

    /// <summary>A message id as SDMX's IDType allows: letters, digits and underscores.</summary>
    public string Id { get; } = "IREF" + Guid.CreateVersion7().ToString("N");

    /// <summary>The name in the message's language, else English, else the first given, else the id.</summary>
    public string NameIn(IReadOnlyDictionary<string, string> names, string id) =>
        names.GetValueOrDefault(Language) ?? names.GetValueOrDefault("en") ?? names.Values.FirstOrDefault() ?? id;
}
