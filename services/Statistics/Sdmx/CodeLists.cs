namespace Lmis.Statistics.Sdmx;

/// <summary>
/// The fixed code lists of the built-in dataflows, named in English, Spanish and French. Codes follow ILOSTAT where
/// it has them (SEX_*, AGE_YTHADULT_*), and SDMX's cross-domain lists for frequency, observation status and unit
/// multiplier; permit types are the region's own (ILOSTAT has no such list).
/// </summary>
public static class CodeLists
{
    public static CodeList Frequency { get; } = new("CL_FREQ", "Frequency",
    [
        new("A", "Annual", "Anual", "Annuelle"),
        new("S", "Half-yearly", "Semestral", "Semestrielle"),
        new("Q", "Quarterly", "Trimestral", "Trimestrielle"),
        new("M", "Monthly", "Mensual", "Mensuelle"),
        new("W", "Weekly", "Semanal", "Hebdomadaire"),
        new("D", "Daily", "Diaria", "Quotidienne"),
    ])
    { Names = LocalizedNames.Of("Frequency", "Frecuencia", "Fréquence") };

    public static CodeList Sex { get; } = new("CL_SEX", "Sex",
    [
        new("SEX_T", "Total", "Total", "Total"),
        new("SEX_M", "Male", "Hombres", "Hommes"),
        new("SEX_F", "Female", "Mujeres", "Femmes"),
        new("SEX_O", "Other", "Otro", "Autre"),
    ])
    { Names = LocalizedNames.Of("Sex", "Sexo", "Sexe") };

    /// <summary>ILOSTAT's youth/adult age bands, the ones unemployment is usually published in.</summary>
    public static CodeList AgeYouthAdult { get; } = new("CL_AGE", "Age",
    [
        new("AGE_YTHADULT_YGE15", "15+", "15+", "15+"),
        new("AGE_YTHADULT_Y15-24", "15-24", "15-24", "15-24"),
        new("AGE_YTHADULT_YGE25", "25+", "25+", "25+"),
        new("AGE_YTHADULT_Y15-64", "15-64", "15-64", "15-64"),
    ])
    { Names = LocalizedNames.Of("Age", "Edad", "Âge") };

    /// <summary>SDMX CL_OBS_STATUS.</summary>
    public static CodeList ObservationStatus { get; } = new("CL_OBS_STATUS", "Observation status",
    [
        new("A", "Normal value", "Valor normal", "Valeur normale"),
        new("B", "Time series break", "Ruptura de serie", "Rupture de série"),
        new("E", "Estimated value", "Valor estimado", "Valeur estimée"),
        new("F", "Forecast value", "Valor previsto", "Valeur prévue"),
        new("I", "Imputed value", "Valor imputado", "Valeur imputée"),
        new("M", "Missing value", "Valor faltante", "Valeur manquante"),
        new("P", "Provisional value", "Valor provisional", "Valeur provisoire"),
        new("U", "Low reliability", "Baja fiabilidad", "Faible fiabilité"),
    ])
    { Names = LocalizedNames.Of("Observation status", "Estado de la observación", "Statut de l'observation") };

    /// <summary>The observation status that stands for a missing value: only it may come without a number.</summary>
    public const string Missing = "M";

    /// <summary>SDMX CL_UNIT_MULT: the power of ten the value is multiplied by (3 = thousands).</summary>
    public static CodeList UnitMultiplier { get; } = new("CL_UNIT_MULT", "Unit multiplier",
    [
        new("0", "Units", "Unidades", "Unités"),
        new("1", "Tens", "Decenas", "Dizaines"),
        new("2", "Hundreds", "Centenas", "Centaines"),
        new("3", "Thousands", "Miles", "Milliers"),
        new("4", "Tens of thousands", "Decenas de miles", "Dizaines de milliers"),
        new("5", "Hundreds of thousands", "Centenas de miles", "Centaines de milliers"),
        new("6", "Millions", "Millones", "Millions"),
        new("7", "Tens of millions", "Decenas de millones", "Dizaines de millions"),
        new("8", "Hundreds of millions", "Centenas de millones", "Centaines de millions"),
        new("9", "Billions", "Miles de millones", "Milliards"),
    ])
    { Names = LocalizedNames.Of("Unit multiplier", "Multiplicador de unidad", "Multiplicateur d'unité") };

    /// <summary>Units of the counted and rated figures (ILOSTAT's PT and PS; NB for documents).</summary>
    public static CodeList UnitMeasure { get; } = new("CL_UNIT_MEASURE", "Unit of measure",
    [
        new("PT", "Percentage", "Porcentaje", "Pourcentage"),
        new("PS", "Persons", "Personas", "Personnes"),
        new("NB", "Number", "Número", "Nombre"),
    ])
    { Names = LocalizedNames.Of("Unit of measure", "Unidad de medida", "Unité de mesure") };

    /// <summary>What a migrant worker was admitted with: the region's pathways (docs/statistics.md).</summary>
    public static CodeList PermitType { get; } = new("CL_PERMIT_TYPE", "Permit type",
    [
        new("PERMIT_TOTAL", "All permits and visas", "Todos los permisos y visas", "Tous les permis et visas"),
        new("PERMIT_TEMPORARY", "Temporary work permit or visa", "Permiso o visa de trabajo temporal", "Permis ou visa de travail temporaire"),
        new("PERMIT_SEASONAL", "Seasonal work permit or visa (e.g. agriculture)", "Permiso o visa de trabajo estacional (p. ej. agricultura)", "Permis ou visa de travail saisonnier (p. ex. agriculture)"),
        new("PERMIT_BORDER", "Border worker card", "Tarjeta de trabajador fronterizo", "Carte de travailleur frontalier"),
        new("PERMIT_PERMANENT", "Permanent residence for work", "Residencia permanente por trabajo", "Résidence permanente pour le travail"),
    ])
    { Names = LocalizedNames.Of("Permit type", "Tipo de permiso", "Type de permis") };

    /// <summary>Every fixed list, whole (a dataflow may use only some of a list's codes).</summary>
    public static IReadOnlyList<CodeList> All { get; } = [Frequency, Sex, AgeYouthAdult, ObservationStatus, UnitMultiplier, UnitMeasure, PermitType];
}
