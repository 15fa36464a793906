namespace Lmis.Statistics.Sdmx;

/// <summary>
/// The dataflows the regional secretariat defines (agency <c>RCM</c>, version 1.0), shaped like ILOSTAT's so that a
/// statistics office can send what it already sends to the ILO. docs/statistics.md describes each one. Each names the
/// rule its values follow (<see cref="ValueRule"/>): counts of persons, vacancies and documents are never negative and
/// whole in plain units; rates are percentages from 0 to 100; remittances are amounts received, never negative.
/// </summary>
public static class BuiltInDataflows
{
    public const string Agency = "RCM";
    public const string Version = "1.0";

    private static readonly Dimension RefArea = new("REF_AREA", "Reference area",
        new ClassificationCodes(ClassificationKinds.MemberState));

    private static readonly Dimension Sex = new("SEX", "Sex", CodeLists.Sex);

    private static readonly Dimension Occupation = new("OCU", "Occupation (ISCO-08)",
        new ClassificationCodes(ClassificationKinds.Isco08, "OCU_ISCO08_", "TOTAL", "X"));

    private static readonly AttributeDefinition UnitMultiplier = new("UNIT_MULT", "Unit multiplier", CodeLists.UnitMultiplier);
    private static readonly AttributeDefinition ObservationStatus = new("OBS_STATUS", "Observation status", CodeLists.ObservationStatus);
    private static readonly AttributeDefinition Note = new("NOTE", "Note");

    /// <summary>Unemployment rate: unemployed persons as a percentage of the labour force (ILO definition), by sex and age.</summary>
    public static DataStructure UnemploymentRate { get; } = Flow("DF_UNE_RT", "Unemployment rate",
        "Unemployed persons as a percentage of the labour force (ILO definition, labour force survey), by sex and age. Unit: percent (PT).",
        [RefArea, Frequency("A", "Q", "M"), Sex, new("AGE", "Age", CodeLists.AgeYouthAdult)],
        Unit("PT"),
        ValueRule.Percentage); // a share of the labour force: 0 to 100

    /// <summary>Employed persons by occupation, from the labour force survey.</summary>
    public static DataStructure EmploymentByOccupation { get; } = Flow("DF_EMP_OCU", "Employment by occupation",
        "Employed persons by sex and occupation (ISCO-08), from the labour force survey. Unit: persons (PS), usually in thousands (UNIT_MULT 3).",
        [RefArea, Frequency("A", "Q"), Sex, Occupation],
        Unit("PS"),
        ValueRule.Count); // persons: 41.5 with UNIT_MULT 3 is 41,500

    /// <summary>Jobseekers registered with the public employment service, by the occupation they seek.</summary>
    public static DataStructure JobseekersByOccupation { get; } = Flow("DF_JSK_OCU", "Registered jobseekers by occupation",
        "Jobseekers registered with the public employment service at the end of the period, by sex and the occupation sought (ISCO-08). Unit: persons (PS).",
        [RefArea, Frequency("A", "Q", "M"), Sex, Occupation],
        Unit("PS"),
        ValueRule.Count); // persons

    /// <summary>Job vacancies by occupation; vacancies carry no sex.</summary>
    public static DataStructure VacanciesByOccupation { get; } = Flow("DF_VAC_OCU", "Job vacancies by occupation",
        "Job vacancies open at the end of the period (positions, not postings), by occupation (ISCO-08). Unit: number (NB).",
        [RefArea, Frequency("A", "Q", "M"), Occupation],
        Unit("NB"),
        ValueRule.Count); // positions: 2410.5 vacancies is no figure

    /// <summary>Work permits and visas issued: REF_AREA is the issuing (destination) country, COUNTERPART_AREA the worker's origin.</summary>
    public static DataStructure WorkPermits { get; } = Flow("DF_MIG_PERMITS", "Work permits and visas issued",
        "Work permits and work visas issued in the period by the destination country (REF_AREA) to workers from the country of origin (COUNTERPART_AREA), by permit type, sex and occupation (ISCO-08). Unit: number of documents (NB).",
        [
            new("REF_AREA", "Destination country", new ClassificationCodes(ClassificationKinds.MemberState)),
            new("COUNTERPART_AREA", "Country of origin", new ClassificationCodes(ClassificationKinds.Country)),
            Frequency("A", "Q", "M"),
            new("PERMIT_TYPE", "Permit type", CodeLists.PermitType),
            Sex,
            Occupation,
        ],
        Unit("NB"),
        ValueRule.Count); // documents issued

    /// <summary>Migrant workers living in a member state, by country of origin.</summary>
    public static DataStructure MigrantWorkerStock { get; } = Flow("DF_MIG_STOCK", "Stock of migrant workers",
        "Employed persons living in the reference area (REF_AREA) who were born in the country of origin (COUNTERPART_AREA), by sex. Unit: persons (PS).",
        [
            RefArea,
            new("COUNTERPART_AREA", "Country of origin", new ClassificationCodes(ClassificationKinds.Country)),
            Frequency("A"),
            Sex,
        ],
        Unit("PS"),
        ValueRule.Count); // persons

    /// <summary>Personal remittances received, in a currency given on every observation.</summary>
    public static DataStructure RemittanceInflows { get; } = Flow("DF_REM_IN", "Remittance inflows",
        "Personal remittances received by the reference area (REF_AREA) from the sending country (COUNTERPART_AREA). Unit: the currency named by UNIT_MEASURE (ISO 4217, required), scaled by UNIT_MULT (6 = millions).",
        [
            RefArea,
            new("COUNTERPART_AREA", "Sending country", new ClassificationCodes(ClassificationKinds.Country)),
            Frequency("A", "Q", "M"),
        ],
        new AttributeDefinition("UNIT_MEASURE", "Currency", new ClassificationCodes(ClassificationKinds.Currency), Mandatory: true),
        ValueRule.AmountReceived); // inflows received: never negative, cents allowed

    public static IReadOnlyList<DataStructure> All { get; } =
    [
        UnemploymentRate, EmploymentByOccupation, JobseekersByOccupation, VacanciesByOccupation, WorkPermits,
        MigrantWorkerStock, RemittanceInflows,
    ];

    /// <summary>The built-in structure a reference names (agency, id and version must all match), or null.</summary>
    public static DataStructure? Find(StructureReference reference) => All.FirstOrDefault(s => s.Reference == reference);

    private static Dimension Frequency(params string[] codes) => new("FREQ", "Frequency", CodeLists.Frequency.Only(codes));

    private static AttributeDefinition Unit(string code) => new("UNIT_MEASURE", "Unit of measure", CodeLists.UnitMeasure.Only(code));

    private static DataStructure Flow(string id, string name, string description, Dimension[] dimensions, AttributeDefinition unit, ValueRule values) =>
        new(Agency, id, Version, name, description, dimensions, [unit, UnitMultiplier, ObservationStatus, Note], values);
}
