using Lmis.Statistics.Sdmx.Rest;

namespace Lmis.Statistics.Structures;

/// <summary>The kinds of structure message LMIS writes; SDMX-ML 2.1, the first, is the default as SDMX REST 2.1 has it.</summary>
public static class StructureMessageFormats
{
    public static SdmxMessageKind SdmxMl21 { get; } = new("SDMX-ML 2.1 Structure", SdmxMlStructureWriter.MediaType,
        ["application/vnd.sdmx.structure+xml", "application/xml", "text/xml"], "2.1", ["xml", "sdmx-ml", "sdmxml", "structure"]);

    public static SdmxMessageKind SdmxJson20 { get; } = new("SDMX-JSON 2.0.0 structure", SdmxJsonStructureWriter.MediaType,
        ["application/vnd.sdmx.structure+json", "application/json"], "2.0.0", ["json", "sdmx-json", "sdmx-json-2.0.0", "jsonstructure"]);

    public static IReadOnlyList<SdmxMessageKind> Offered { get; } = [SdmxMl21, SdmxJson20];

    public static Task WriteAsync(SdmxMessageKind kind, Stream body, StructureMessage message, CancellationToken cancellationToken) =>
        kind == SdmxJson20
            ? SdmxJsonStructureWriter.WriteAsync(body, message, cancellationToken)
            : SdmxMlStructureWriter.WriteAsync(body, message, cancellationToken);
}
