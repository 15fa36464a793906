using System.Text.RegularExpressions;
using Lmis.Contracts.Classifications;

namespace Lmis.Taxonomy.Schemes;

/// <summary>
/// What a code must look like in a scheme. ISCO-08 codes are 1 to 4 digits, the number of digits being the level
/// (major, sub-major, minor, unit group), and a code's parent is the code without its last digit; ISIC Rev.4 has
/// letter sections over 2-, 3- and 4-digit divisions, groups and classes; ISCED 2011 has the levels 0 to 8. Schemes without rules of their own take
/// any short code and any declared parent. Codes are ASCII: other digits of Unicode (٣, １) are no digits here, and
/// nothing may follow a code (not even a line break).
/// </summary>
public sealed partial record SchemeRules(string Scheme, Regex CodePattern, string CodeDescription, bool ParentIsCodePrefix)
{
    private static readonly Dictionary<string, SchemeRules> Known = new(StringComparer.Ordinal)
    {
        [SchemeIds.Isco08] = new SchemeRules(SchemeIds.Isco08, BuildingBlocks.Classifications.Isco08.Pattern(), "1 to 4 digits (ISCO-08)", ParentIsCodePrefix: true),
        [SchemeIds.Isic4] = new SchemeRules(SchemeIds.Isic4, IsicCode(), "a section letter A-U or 2 to 4 digits (ISIC Rev.4)", ParentIsCodePrefix: false),
        [SchemeIds.Isced2011] = new SchemeRules(SchemeIds.Isced2011, IscedLevel(), "a level 0 to 8 (ISCED 2011)", ParentIsCodePrefix: false),
        [SchemeIds.Esco] = new SchemeRules(SchemeIds.Esco, EscoCode(), "the UUID ending an ESCO occupation URI, in lower case", ParentIsCodePrefix: false),
        // National occupation classifications (see docs/taxonomy-import.md): only the code's form is fixed here.
        ["soc2010"] = new SchemeRules("soc2010", SocCode(), "NN-NNNN (US SOC)", ParentIsCodePrefix: false),
        ["soc2018"] = new SchemeRules("soc2018", SocCode(), "NN-NNNN (US SOC)", ParentIsCodePrefix: false),
        ["noc2021"] = new SchemeRules("noc2021", Digits1To5(), "1 to 5 digits (NOC 2021)", ParentIsCodePrefix: false),
        ["sinco2019"] = new SchemeRules("sinco2019", Digits1To4(), "1 to 4 digits (SINCO 2019)", ParentIsCodePrefix: false),
    };

    public static SchemeRules For(string scheme) =>
        Known.GetValueOrDefault(scheme) ?? new SchemeRules(scheme, GenericCode(), "1 to 32 letters, digits, '.', '_' or '-'", false);

    /// <summary>Scheme identifiers: lower-case letters and digits, e.g. "isco08", "soc2018", "noc2021".</summary>
    public static bool IsValidSchemeId(string scheme) => SchemeId().IsMatch(scheme);

    /// <summary>The parent a code must have under this scheme's rules, when the rules fix it.</summary>
    public string? RequiredParent(string code) =>
        ParentIsCodePrefix ? (code.Length > 1 ? code[..^1] : null) : null;

    [GeneratedRegex(@"^([A-U]|[0-9]{2,4})\z")]
    private static partial Regex IsicCode();

    [GeneratedRegex(@"^[0-9]{2}-[0-9]{4}\z")]
    private static partial Regex SocCode();

    [GeneratedRegex(@"^[0-9]{1,5}\z")]
    private static partial Regex Digits1To5();

    [GeneratedRegex(@"^[0-9]{1,4}\z")]
    private static partial Regex Digits1To4();

    [GeneratedRegex(@"^[0-8]\z")]
    private static partial Regex IscedLevel();

    [GeneratedRegex(@"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\z")]
    private static partial Regex EscoCode();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,32}\z")]
    private static partial Regex GenericCode();

    [GeneratedRegex(@"^[a-z][a-z0-9]{1,31}\z")]
    private static partial Regex SchemeId();
}
