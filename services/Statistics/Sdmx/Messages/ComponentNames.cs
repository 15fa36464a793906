namespace Lmis.Statistics.Sdmx.Messages;

/// <summary>
/// The names data messages give what they hold. LMIS's structures are named in English, so every message names in
/// English whatever language was asked for; classification codes (member states, ISCO-08, currencies) are named by the
/// taxonomy, not here, so a message has no name for them.
/// </summary>
internal static class ComponentNames
{
    public const string Language = "en";
    public const string TimePeriod = "Time period";
    public const string ObservationValue = "Observation value";

    /// <summary>The name of a coded value, or null when its code list does not name it.</summary>
    public static string? OfCode(Representation? codes, string value) =>
        codes is CodeList list && list.Contains(value) ? list.Label(value) : null;

    /// <summary>The id SDMX-ML gives a structure in a message header: <c>RCM_DF_UNE_RT_1_0</c>.</summary>
    public static string StructureId(DataStructure structure) =>
        $"{structure.Agency}_{structure.Id}_{structure.Version}".Replace('.', '_');

    /// <summary>A message id: the dataflow and when it was prepared (letters, digits, _ and - only).</summary>
    public static string MessageId(DataStructure structure, DateTimeOffset prepared) => $"{structure.Id}-{prepared.UtcTicks}";

    /// <summary>The URN of the data structure that shapes a dataflow (LMIS gives both the same id).</summary>
    public static string DataStructureUrn(DataStructure structure) =>
        $"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={structure.Reference}";
}
