using Lmis.Contracts.Taxonomy.V1;

namespace Lmis.Testing;

/// <summary>A small, real slice of ISCO-08 (codes and English titles as the ILO publishes them, Spanish CIUO-08 titles).</summary>
public static class IscoSample
{
    public const string Scheme = "isco08";

    /// <summary>(code, parent, English, Spanish)</summary>
    public static IReadOnlyList<(string Code, string Parent, string En, string Es)> Concepts { get; } =
    [
        ("2", "", "Professionals", "Profesionales científicos e intelectuales"),
        ("22", "2", "Health professionals", "Profesionales de la salud"),
        ("222", "22", "Nursing and midwifery professionals", "Profesionales de enfermería y partería"),
        ("2221", "222", "Nursing professionals", "Profesionales de enfermería"),
        ("6", "", "Skilled agricultural, forestry and fishery workers", "Agricultores y trabajadores calificados agropecuarios, forestales y pesqueros"),
        ("61", "6", "Market-oriented skilled agricultural workers", "Agricultores y trabajadores calificados de explotaciones agropecuarias con destino al mercado"),
        ("611", "61", "Market gardeners and crop growers", "Agricultores y trabajadores calificados de cultivos"),
        ("6111", "611", "Field crop and vegetable growers", "Agricultores y trabajadores calificados de cultivos extensivos"),
        ("7", "", "Craft and related trades workers", "Oficiales, operarios y artesanos de artes mecánicas y de otros oficios"),
        ("71", "7", "Building and related trades workers (excluding electricians)", "Oficiales y operarios de la construcción excluyendo electricistas"),
        ("711", "71", "Building frame and related trades workers", "Oficiales y operarios de la construcción (obra gruesa) y afines"),
        ("7112", "711", "Bricklayers and related workers", "Albañiles"),
    ];

    public static ImportSchemeVersionRequest ImportRequest(IEnumerable<(string Code, string Parent, string En, string Es)>? concepts = null)
    {
        var request = new ImportSchemeVersionRequest { Scheme = Scheme };
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
