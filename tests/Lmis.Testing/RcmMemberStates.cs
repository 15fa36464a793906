namespace Lmis.Testing;

/// <summary>
/// The member states of the Regional Conference on Migration, ISO 3166-1 alpha-3 to alpha-2, written out here so
/// tests check the product's region against a list of their own.
/// </summary>
public static class RcmMemberStates
{
    public static IReadOnlyDictionary<string, string> Alpha3ToAlpha2 { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["BLZ"] = "BZ",
        ["CAN"] = "CA",
        ["CRI"] = "CR",
        ["DOM"] = "DO",
        ["SLV"] = "SV",
        ["GTM"] = "GT",
        ["HND"] = "HN",
        ["MEX"] = "MX",
        ["NIC"] = "NI",
        ["PAN"] = "PA",
        ["USA"] = "US",
    };
}
