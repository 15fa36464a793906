using Lmis.Contracts.Taxonomy.V1;

namespace Lmis.Testing;

/// <summary>A small, real slice of ISCO-08 (codes and English titles as the ILO publishes them, Spanish CIUO-08 titles).</summary>
public static class IscoSample
{
    public const string Scheme = "isco08";

    /// <summary>
    /// (code, parent, English, Spanish): minor and unit groups under sub-major groups every install has built in
    /// (22, 61, 71), so the sample is imported as an amendment of the built-in version.
    /// </summary>
    public static IReadOnlyList<(string Code, string Parent, string En, string Es)> Concepts { get; } =
    [
        ("222", "22", "Nursing and midwifery professionals", "Profesionales de enfermería y partería"),
        ("2221", "222", "Nursing professionals", "Profesionales de enfermería"),
        ("611", "61", "Market gardeners and crop growers", "Agricultores y trabajadores calificados de cultivos"),
        ("6111", "611", "Field crop and vegetable growers", "Agricultores y trabajadores calificados de cultivos extensivos"),
        ("711", "71", "Building frame and related trades workers", "Oficiales y operarios de la construcción (obra gruesa) y afines"),
        ("7112", "711", "Bricklayers and related workers", "Albañiles"),
    ];

    public static ImportSchemeVersionRequest ImportRequest(IEnumerable<(string Code, string Parent, string En, string Es)>? concepts = null)
    {
        var request = new ImportSchemeVersionRequest { Scheme = Scheme, Amend = true };
        foreach (var (code, parent, en, es) in concepts ?? Concepts)
        {
            request.Concepts.Add(new ConceptInput
            {
                Code = code,
                ParentCode = parent,
                Labels = { ["en"] = en, ["es"] = es },
            });
        }

        return request;
    }
}
