namespace Lmis.Statistics.Sdmx;

/// <summary>
/// The fixed code lists of the built-in dataflows. Codes follow ILOSTAT where it has them (SEX_*, AGE_YTHADULT_*),
/// and SDMX's cross-domain lists for frequency, observation status and unit multiplier; permit types are the
/// region's own (ILOSTAT has no such list).
/// </summary>
public static class CodeLists
{
    public static CodeList Frequency { get; } = new("CL_FREQ", "Frequency",
    [
        new("A", "Annual"),
        new("S", "Half-yearly"),
        new("Q", "Quarterly"),
        new("M", "Monthly"),
        new("W", "Weekly"),
        new("D", "Daily"),
    ]);

    public static CodeList Sex { get; } = new("CL_SEX", "Sex",
    [
        new("SEX_T", "Total"),
        new("SEX_M", "Male"),
        new("SEX_F", "Female"),
        new("SEX_O", "Other"),
    ]);

    /// <summary>ILOSTAT's youth/adult age bands, the ones unemployment is usually published in.</summary>
    public static CodeList AgeYouthAdult { get; } = new("CL_AGE", "Age",
    [
        new("AGE_YTHADULT_YGE15", "15+"),
        new("AGE_YTHADULT_Y15-24", "15-24"),
        new("AGE_YTHADULT_YGE25", "25+"),
        new("AGE_YTHADULT_Y15-64", "15-64"),
    ]);

    /// <summary>SDMX CL_OBS_STATUS.</summary>
    public static CodeList ObservationStatus { get; } = new("CL_OBS_STATUS", "Observation status",
    [
        new("A", "Normal value"),
        new("B", "Time series break"),
        new("E", "Estimated value"),
        new("F", "Forecast value"),
        new("I", "Imputed value"),
        new("M", "Missing value"),
        new("P", "Provisional value"),
        new("U", "Low reliability"),
    ]);

    /// <summary>The observation status that stands for a missing value: only it may come without a number.</summary>
    public const string Missing = "M";

    /// <summary>SDMX CL_UNIT_MULT: the power of ten the value is multiplied by (3 = thousands).</summary>
    public static CodeList UnitMultiplier { get; } = new("CL_UNIT_MULT", "Unit multiplier",
    [
        new("0", "Units"),
        new("1", "Tens"),
        new("2", "Hundreds"),
        new("3", "Thousands"),
        new("4", "Tens of thousands"),
        new("5", "Hundreds of thousands"),
        new("6", "Millions"),
        new("7", "Tens of millions"),
        new("8", "Hundreds of millions"),
        new("9", "Billions"),
    ]);

    /// <summary>Units of the counted and rated figures (ILOSTAT's PT and PS; NB for documents).</summary>
    public static CodeList UnitMeasure { get; } = new("CL_UNIT_MEASURE", "Unit of measure",
    [
        new("PT", "Percentage"),
        new("PS", "Persons"),
        new("NB", "Number"),
    ]);

    /// <summary>What a migrant worker was admitted with: the region's pathways (docs/statistics.md).</summary>
    public static CodeList PermitType { get; } = new("CL_PERMIT_TYPE", "Permit type",
    [
        new("PERMIT_TOTAL", "All permits and visas"),
        new("PERMIT_TEMPORARY", "Temporary work permit or visa"),
        new("PERMIT_SEASONAL", "Seasonal work permit or visa (e.g. agriculture)"),
        new("PERMIT_BORDER", "Border worker card"),
        new("PERMIT_PERMANENT", "Permanent residence for work"),
    ]);
}
