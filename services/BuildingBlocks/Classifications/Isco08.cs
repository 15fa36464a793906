using System.Text.RegularExpressions;

namespace Lmis.BuildingBlocks.Classifications;

/// <summary>ISCO-08 codes: 1 to 4 digits, the number of digits being the level (major, sub-major, minor, unit group).</summary>
public static partial class Isco08
{
    public const string Scheme = "isco08";

    [GeneratedRegex(@"^\d{1,4}$")]
    public static partial Regex Pattern();

    public static bool IsCode(string? code) => code is not null && Pattern().IsMatch(code);
}
