using System.Text.RegularExpressions;

namespace Lmis.BuildingBlocks.Classifications;

/// <summary>
/// ISCO-08 codes: 1 to 4 digits, the number of digits being the level (major, sub-major, minor, unit group). Digits
/// are ASCII 0-9 only, and nothing may follow them (not even a line break).
/// </summary>
public static partial class Isco08
{
    [GeneratedRegex(@"^[0-9]{1,4}\z")]
    public static partial Regex Pattern();

    public static bool IsCode(string? code) => code is not null && Pattern().IsMatch(code);
}
