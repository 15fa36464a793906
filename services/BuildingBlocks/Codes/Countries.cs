using System.Collections.Frozen;

namespace Lmis.BuildingBlocks.Codes;

/// <summary>A country or territory with officially assigned ISO 3166-1 codes.</summary>
public sealed record Country(string Alpha3, string Alpha2, string Numeric, string Name);

/// <summary>
/// The officially assigned ISO 3166-1 codes (249 countries and territories), shipped as data in
/// <c>iso3166-1.csv</c> beside this file (taken from Debian's iso-codes 4.15.0; see SOURCES.md). A code of the
/// right shape is not enough: <c>ZZZ</c>, <c>XXX</c> and <c>QQQ</c> are user-assigned or unassigned and name no
/// country, so a vacancy's eligible origin or an SDMX counterpart area coded so is refused.
/// </summary>
public static class Countries
{
    private static readonly FrozenDictionary<string, Country> ByCode = Load();

    public static IReadOnlyCollection<Country> All { get; } = [.. ByCode.Values.Distinct().OrderBy(c => c.Alpha3, StringComparer.Ordinal)];

    /// <summary>
    /// The country an assigned alpha-3 or alpha-2 code names, in any case, surrounding blanks ignored; null for
    /// anything else (a code of the right shape that ISO 3166-1 has not assigned, digits, non-ASCII letters).
    /// </summary>
    public static Country? Find(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var trimmed = code.Trim();
        // Checked before upper-casing: 'ſ', the long s, upper-cases to the ASCII 'S'.
        if (trimmed.Length is not (2 or 3) || !trimmed.All(char.IsAsciiLetter))
        {
            return null;
        }

        return ByCode.GetValueOrDefault(trimmed.ToUpperInvariant());
    }

    private static FrozenDictionary<string, Country> Load()
    {
        var byCode = new Dictionary<string, Country>(StringComparer.Ordinal);
        foreach (var row in BuiltInCodeList.Rows("iso3166-1.csv", columns: 4))
        {
            var country = new Country(row[0], row[1], row[2], row[3]);
            byCode.Add(country.Alpha3, country);
            byCode.Add(country.Alpha2, country);
        }

        return byCode.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
