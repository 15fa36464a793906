using CsCheck;
using Lmis.Contracts.Classifications;
using Lmis.Taxonomy.Schemes;
using Lmis.Testing;

namespace Lmis.Taxonomy.Tests.Schemes;

public sealed class SchemeRulesProperties
{
    /// <summary>Each scheme with rules of its own, and the form its codes have (ASCII, nothing before or after).</summary>
    private static readonly Dictionary<string, Func<string, bool>> Forms = new(StringComparer.Ordinal)
    {
        ["isco08"] = c => Digits(c, 1, 4),
        ["sinco2019"] = c => Digits(c, 1, 4),
        ["noc2021"] = c => Digits(c, 1, 5),
        ["soc2010"] = c => c.Length == 7 && c[2] == '-' && Digits(c[..2], 2, 2) && Digits(c[3..], 4, 4),
        ["soc2018"] = c => c.Length == 7 && c[2] == '-' && Digits(c[..2], 2, 2) && Digits(c[3..], 4, 4),
        ["isic4"] = c => (c.Length == 1 && c[0] is >= 'A' and <= 'U') || Digits(c, 2, 4),
        ["isced2011"] = c => c.Length == 1 && c[0] is >= '0' and <= '8',
        ["myscheme"] = c => c.Length is >= 1 and <= 32 && c.All(x => char.IsAsciiLetterOrDigit(x) || x is '.' or '_' or '-'),
    };

    private static readonly Gen<string> CodeLike = Gen.Frequency(
        (4, Hostile.Of("0123456789", 1, 6)),
        (2, Hostile.Of("0123456789-ABUVZaz._", 1, 8)),
        (3, Gen.Select(Hostile.Of("0123456789-A", 1, 7), Hostile.Character, Gen.Int[0, 8], (code, c, at) => code.Insert(Math.Min(at, code.Length), c.ToString()))),
        (1, Hostile.Text(40)));

    private static bool Digits(string code, int min, int max) => code.Length >= min && code.Length <= max && code.All(char.IsAsciiDigit);

    [Fact]
    public Task Every_code_a_scheme_accepts_has_the_documented_ASCII_form() =>
        Properties.HoldAsync(Gen.Select(Gen.OneOf([.. Forms.Keys]), CodeLike), c =>
        {
            var (scheme, code) = c;
            Assert.Equal(Forms[scheme](code), SchemeRules.For(scheme).CodePattern.IsMatch(code));
        }, iter: 5_000);

    [Fact]
    public Task An_ISCO_08_code_requires_the_code_without_its_last_digit_as_parent() =>
        Properties.HoldAsync(Hostile.Of("0123456789", 1, 4), code =>
            Assert.Equal(code.Length == 1 ? null : code[..^1], SchemeRules.For(SchemeIds.Isco08).RequiredParent(code)));

    [Fact]
    public Task Scheme_identifiers_are_lower_case_ASCII_letters_then_digits() =>
        Properties.HoldAsync(Gen.Frequency((3, Hostile.Of("abcz0129", 1, 10)), (2, Gen.Select(Hostile.Of("abc2018", 2, 8), Hostile.Character, (s, c) => s + c)), (1, Hostile.Text())), scheme =>
            Assert.Equal(
                scheme.Length is >= 2 and <= 32 && char.IsAsciiLetterLower(scheme[0]) && scheme.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)),
                SchemeRules.IsValidSchemeId(scheme)),
            iter: 5_000);
}
