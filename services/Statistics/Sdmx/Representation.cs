using System.Collections.Frozen;
using Lmis.BuildingBlocks.Codes;
using Lmis.Contracts.Classifications;

namespace Lmis.Statistics.Sdmx;

/// <summary>
/// Which values a dimension or attribute takes: the codes of a fixed <see cref="CodeList"/>, or codes of a
/// classification kept elsewhere (<see cref="ClassificationCodes"/>). Checking a value here only checks what can be
/// known without the taxonomy; a classification code's existence is checked by the caller afterwards.
/// </summary>
public abstract class Representation
{
    /// <summary>Null when the value may be used; otherwise why not (the value is not repeated).</summary>
    public abstract string? Check(string value);
}

/// <summary>
/// One code of a code list, e.g. <c>SEX_F</c> "Female": <see cref="Name"/> in English, and <see cref="Names"/> by
/// language (en, es, fr) for the structure messages that SDMX tools show in the user's language.
/// </summary>
public sealed record Code(string Id, string Name)
{
    public Code(string id, string english, string spanish, string french)
        : this(id, english) => Names = LocalizedNames.Of(english, spanish, french);

    /// <summary>The name by language; only English when the code was given one name.</summary>
    public IReadOnlyDictionary<string, string> Names { get; init; } = LocalizedNames.Of(Name);
}

/// <summary>Names by language, English first: the languages LMIS publishes in.</summary>
public static class LocalizedNames
{
    public static IReadOnlyList<string> Languages { get; } = ["en", "es", "fr"];

    public static IReadOnlyDictionary<string, string> Of(string english) =>
        new Dictionary<string, string>(StringComparer.Ordinal) { ["en"] = english };

    public static IReadOnlyDictionary<string, string> Of(string english, string spanish, string french) =>
        new Dictionary<string, string>(StringComparer.Ordinal) { ["en"] = english, ["es"] = spanish, ["fr"] = french };
}

/// <summary>A fixed list of codes with their labels (SDMX codelist), e.g. CL_SEX or CL_OBS_STATUS.</summary>
public sealed class CodeList : Representation
{
    private readonly FrozenDictionary<string, Code> _byId;

    public CodeList(string id, string name, IEnumerable<Code> codes)
    {
        Id = id;
        Name = name;
        Codes = codes.ToArray();
        _byId = Codes.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
    }

    public string Id { get; }

    public string Name { get; }

    /// <summary>The list's name by language; only English unless given.</summary>
    public IReadOnlyDictionary<string, string> Names { get => field ??= LocalizedNames.Of(Name); init; }

    public IReadOnlyList<Code> Codes { get; }

    public bool Contains(string code) => _byId.ContainsKey(code);

    /// <summary>The label of a code, or the code itself when the list does not have it.</summary>
    public string Label(string code) => _byId.TryGetValue(code, out var found) ? found.Name : code;

    /// <summary>
    /// The same list restricted to some of its codes, for a dataflow that uses only those (e.g. CL_FREQ with A and Q).
    /// It keeps the list's id: an SDMX "partial codelist".
    /// </summary>
    public CodeList Only(params string[] ids)
    {
        var missing = ids.Where(i => !_byId.ContainsKey(i)).ToArray();
        return missing.Length > 0
            ? throw new ArgumentException($"{Id} has no code {string.Join(", ", missing)}", nameof(ids))
            : new CodeList(Id, Name, Codes.Where(c => ids.Contains(c.Id))) { Names = Names };
    }

    public override string? Check(string value) =>
        _byId.ContainsKey(value)
            ? null
            : Codes.Count <= 15
                ? $"not a code of {Id} ({string.Join(", ", Codes.Select(c => c.Id))})"
                : $"not a code of {Id}";
}

/// <summary>
/// Codes of a classification LMIS keeps outside the data structure (member states, ISCO-08, ISIC Rev.4...), written
/// the way ILOSTAT writes them: an optional <see cref="Prefix"/> such as <c>OCU_ISCO08_</c> before the
/// classification's own code, and totals such as <c>OCU_ISCO08_TOTAL</c> that stand for no code of it.
/// </summary>
public sealed class ClassificationCodes(string kind, string prefix = "", params string[] totals) : Representation
{
    /// <summary>One of <see cref="ClassificationKinds"/>: which classification, and so which form a code has.</summary>
    public string Kind { get; } = ClassificationKinds.Require(kind);

    public string Prefix { get; } = prefix;

    /// <summary>What may follow the prefix besides a code, e.g. <c>TOTAL</c>.</summary>
    public IReadOnlyList<string> Totals { get; } = totals;

    /// <summary>
    /// The classification's own code a value carries (<c>OCU_ISCO08_2411</c> → <c>2411</c>), or null for a total or
    /// a value not of this form.
    /// </summary>
    public string? CodeOf(string value)
    {
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var code = value[Prefix.Length..];
        return Totals.Contains(code) || !ClassificationKinds.HasForm(Kind, code) || ClassificationKinds.Unassigned(Kind, code) is not null ? null : code;
    }

    public override string? Check(string value)
    {
        if (value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var code = value.AsSpan(Prefix.Length);
            foreach (var total in Totals)
            {
                if (code.SequenceEqual(total))
                {
                    return null;
                }
            }

            if (ClassificationKinds.HasForm(Kind, code))
            {
                return ClassificationKinds.Unassigned(Kind, code);
            }
        }

        var example = Prefix + ClassificationKinds.Example(Kind);
        return $"{ClassificationKinds.Describe(Kind)} written as {(Prefix.Length > 0 ? Prefix + " followed by the code" : "the code")}, e.g. {example}"
            + (Totals.Count > 0 ? $", or {string.Join(" or ", Totals.Select(t => Prefix + t))}" : string.Empty);
    }
}

/// <summary>
/// The classifications a data structure can refer to, and the form of their codes. Whether a code of the right form
/// exists (an ISCO-08 unit group, a member state of the region) is the taxonomy's and the region's to say.
/// </summary>
public static class ClassificationKinds
{
    /// <summary>A member state of the region, ISO 3166-1 alpha-3 (<c>MEX</c>).</summary>
    public const string MemberState = "member-state";

    /// <summary>Any country, ISO 3166-1 alpha-3 (<c>GTM</c>): origins of migrants and remittances.</summary>
    public const string Country = "country";

    /// <summary>ISCO-08, 1 to 4 digits (<c>2411</c>).</summary>
    public const string Isco08 = SchemeIds.Isco08;

    /// <summary>ISIC Rev.4: a section letter A-U, or a division, group or class of 2 to 4 digits.</summary>
    public const string Isic4 = SchemeIds.Isic4;

    /// <summary>A currency, ISO 4217 (<c>USD</c>).</summary>
    public const string Currency = "currency";

    public static IReadOnlyList<string> All { get; } = [MemberState, Country, Isco08, Isic4, Currency];

    public static string Require(string kind) =>
        All.Contains(kind) ? kind : throw new ArgumentException($"'{kind}' is not one of {string.Join(", ", All)}", nameof(kind));

    public static bool HasForm(string kind, ReadOnlySpan<char> code) => kind switch
    {
        MemberState or Country or Currency => code.Length == 3 && IsUpper(code[0]) && IsUpper(code[1]) && IsUpper(code[2]),
        Isco08 => code.Length is >= 1 and <= 4 && AllDigits(code),
        Isic4 => (code.Length == 1 && code[0] is >= 'A' and <= 'U') || (code.Length is >= 2 and <= 4 && AllDigits(code)),
        _ => false,
    };

    /// <summary>
    /// For the kinds whose whole list is built in (ISO 3166-1 countries, ISO 4217 currencies), why a code of the right
    /// form names nothing (<c>XXX</c>, <c>ZZZ</c>); null when it is assigned, and for the kinds the taxonomy or the
    /// region answer for.
    /// </summary>
    public static string? Unassigned(string kind, ReadOnlySpan<char> code) => kind switch
    {
        Country when Countries.Find(code.ToString()) is null => "not a country: ISO 3166-1 has not assigned this alpha-3 code",
        Currency when Currencies.Find(code.ToString()) is not { IsMoney: true } => "not a currency: ISO 4217 has assigned no currency this code",
        _ => null,
    };

    public static string Describe(string kind) => kind switch
    {
        MemberState => "a member state as ISO 3166-1 alpha-3",
        Country => "a country as ISO 3166-1 alpha-3",
        Isco08 => "an ISCO-08 code of 1-4 digits",
        Isic4 => "an ISIC Rev.4 section A-U or code of 2-4 digits",
        _ => "a currency as ISO 4217",
    };

    public static string Example(string kind) => kind switch
    {
        MemberState => "MEX",
        Country => "GTM",
        Isco08 => "2411",
        Isic4 => "A",
        _ => "USD",
    };

    private static bool IsUpper(char c) => c is >= 'A' and <= 'Z';

    private static bool AllDigits(ReadOnlySpan<char> code)
    {
        foreach (var c in code)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
