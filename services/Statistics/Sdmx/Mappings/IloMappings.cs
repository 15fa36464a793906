namespace Lmis.Statistics.Sdmx.Mappings;

/// <summary>
/// How files in ILOSTAT's shape (sdmx.ilo.org/rest, agency ILO, version 1.0) are read into the region's dataflows,
/// kept as the same mapping documents the secretariat writes for other sources. Only two of the region's dataflows
/// have an ILOSTAT counterpart; docs/statistics.md says why the others have none.
/// <para>
/// ILOSTAT's dataflows carry a MEASURE dimension (one value per dataflow), and attributes the region's dataflows do
/// not: UNIT_MEASURE_TYPE, DECIMALS and the confidence bounds are display or model details and are dropped; SOURCE and
/// the NOTE_* codes say where a figure comes from and are kept in NOTE. ILOSTAT writes observation status R (real
/// value) and S (not significant) where SDMX's CL_OBS_STATUS has A and U.
/// </para>
/// </summary>
public static class IloMappings
{
    /// <summary>The documents, as the secretariat would write them (docs/statistics.md explains each member).</summary>
    public const string Documents = """
        [
          {
            "id": "ilo-unemployment-rate",
            "description": "ILOSTAT's unemployment rate by sex and age (UNE_DEAP_SEX_AGE_RT); DF_UNE_TUNE_SEX_AGE_RT is the id some offices' templates use for it.",
            "from": ["ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0)", "ILO:DF_UNE_TUNE_SEX_AGE_RT(1.0)"],
            "to": "RCM:DF_UNE_RT(1.0)",
            "fixed": { "MEASURE": ["UNE_DEAP_RT", "UNE_TUNE_RT"] },
            "drop": ["UNIT_MEASURE_TYPE", "DECIMALS", "UPPER_BOUND", "LOWER_BOUND"],
            "toNote": ["SOURCE", "NOTE_SOURCE", "NOTE_INDICATOR", "NOTE_CLASSIF"],
            "codes": {
              "OBS_STATUS": { "R": "A", "S": "U" }
            }
          },
          {
            "id": "ilo-employment-by-occupation",
            "description": "ILOSTAT's employment by sex and occupation (EMP_TEMP_SEX_OCU_NB), ISCO-08 major groups, in thousands.",
            "from": ["ILO:DF_EMP_TEMP_SEX_OCU_NB(1.0)"],
            "to": "RCM:DF_EMP_OCU(1.0)",
            "fixed": { "MEASURE": ["EMP_TEMP_NB"] },
            "drop": ["UNIT_MEASURE_TYPE", "DECIMALS", "UPPER_BOUND", "LOWER_BOUND"],
            "toNote": ["SOURCE", "NOTE_SOURCE", "NOTE_INDICATOR", "NOTE_CLASSIF"],
            "codes": {
              "OBS_STATUS": { "R": "A", "S": "U" }
            }
          }
        ]
        """;

    public static IReadOnlyList<SourceMapping> All { get; } = Parse();

    private static SourceMapping[] Parse()
    {
        using var documents = System.Text.Json.JsonDocument.Parse(Documents);
        return [.. documents.RootElement.EnumerateArray().Select(d => SourceMapping.Parse(d.GetRawText(), "ILOSTAT mappings", BuiltInDataflows.All))];
    }
}
