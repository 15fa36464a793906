using System.Collections.Frozen;

namespace Lmis.BuildingBlocks.Codes;

/// <summary>A currency or fund with an ISO 4217 code.</summary>
public sealed record Currency(string Alpha3, string Numeric, string Name)
{
    /// <summary>
    /// False for the two codes ISO 4217 assigns to no money at all: <c>XXX</c> (no currency involved) and <c>XTS</c>
    /// (reserved for testing). An amount of money is never in either.
    /// </summary>
    public bool IsMoney => Alpha3 is not ("XXX" or "XTS");
}

/// <summary>
/// The ISO 4217 currency codes (181, including funds and precious metals), shipped as data in <c>iso4217.csv</c>
/// beside this file (taken from Debian's iso-codes 4.15.0; see SOURCES.md). A code of the right shape is not
/// enough: <c>ZZZ</c> or <c>QQQ</c> name no currency, so a remittance figure in them is refused.
/// </summary>
public static class Currencies
{
    private static readonly FrozenDictionary<string, Currency> ByCode = Load();

    public static IReadOnlyCollection<Currency> All { get; } = [.. ByCode.Values.OrderBy(c => c.Alpha3, StringComparer.Ordinal)];

    /// <summary>The currency an ISO 4217 alphabetic code names, exactly as ISO writes it (upper case); null for anything else.</summary>
    public static Currency? Find(string? code) =>
        code is { Length: 3 } && code.All(char.IsAsciiLetterUpper) ? ByCode.GetValueOrDefault(code) : null;

    private static FrozenDictionary<string, Currency> Load() =>
        BuiltInCodeList.Rows("iso4217.csv", columns: 3)
            .Select(row => new Currency(row[0], row[1], row[2]))
            .ToFrozenDictionary(c => c.Alpha3, StringComparer.Ordinal);
}
