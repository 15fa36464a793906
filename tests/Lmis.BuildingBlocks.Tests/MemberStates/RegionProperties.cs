using CsCheck;
using Lmis.BuildingBlocks.Codes;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Testing;

namespace Lmis.BuildingBlocks.Tests.MemberStates;

public sealed class RegionProperties
{
    private static readonly IReadOnlyDictionary<string, string> Rcm = RcmMemberStates.Alpha3ToAlpha2;

    private static readonly Region Region = Region.Shipped("RCM");

    private static readonly string[] MemberCodes = [.. Rcm.Keys, .. Rcm.Values];

    /// <summary>Member codes in any case, with blanks around, with one character swapped for an awkward one, and anything.</summary>
    private static readonly Gen<string> CodeLike = Gen.Frequency(
        (3, Gen.Select(Gen.OneOf(MemberCodes), Gen.Bool.Array[3], Hostile.Of(" \t\u00A0", 0, 2), (code, lower, blank) =>
            blank + new string([.. code.Select((c, i) => lower[i] ? char.ToLowerInvariant(c) : c)]) + blank)),
        (3, Gen.Select(Gen.OneOf(MemberCodes), Gen.Int[0, 2], Hostile.Character, (code, at, c) =>
        {
            var chars = code.ToCharArray();
            chars[Math.Min(at, chars.Length - 1)] = c;
            return new string(chars);
        })),
        (2, Hostile.Of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\u0131\u0130\u017F\u212A", 2, 3)),
        (1, Hostile.Text(8)));

    /// <summary>The member an input names: a member's code in ASCII letters of any case, blanks around ignored.</summary>
    private static string? Expected(string code)
    {
        var trimmed = code.Trim();
        if (!trimmed.All(char.IsAsciiLetter))
        {
            return null;
        }

        var upper = trimmed.ToUpperInvariant();
        return Rcm.ContainsKey(upper) ? upper : Rcm.FirstOrDefault(m => m.Value == upper).Key;
    }

    [Fact]
    public void The_region_has_the_eleven_RCM_member_states()
    {
        Assert.Equal(Rcm.Keys.Order(StringComparer.Ordinal), Region.MemberStates.Select(m => m.Alpha3));
        Assert.All(Region.MemberStates, m => Assert.Equal(Rcm[m.Alpha3], m.Alpha2));
    }

    [Fact]
    public Task A_code_resolves_only_to_the_member_state_it_names() =>
        Properties.HoldAsync(CodeLike, code =>
        {
            var expected = Expected(code);
            Assert.Equal(expected, Region.Find(code)?.Alpha3);
            if (string.IsNullOrWhiteSpace(code))
            {
                Assert.Null(Region.MemberFilter(code, "Query"));
            }
            else if (expected is null)
            {
                Assert.Throws<ValidationFailedException>(() => Region.MemberFilter(code, "Query"));
            }
            else
            {
                Assert.Equal(expected, Region.MemberFilter(code, "Query"));
            }
        }, iter: 5_000);

    [Fact]
    public Task Any_country_code_becomes_the_alpha3_of_the_country_it_names_or_is_refused() =>
        Properties.HoldAsync(CodeLike, code =>
        {
            var trimmed = code.Trim();
            var result = Region.CountryAlpha3(code);
            if (Expected(code) is { } member)
            {
                Assert.Equal(member, result);
            }
            else if (result is not null)
            {
                // Only an ASCII code of two or three letters can name a country, and then the country it names.
                Assert.True(trimmed.Length is 2 or 3 && trimmed.All(char.IsAsciiLetter), $"'{code}' gave {result}");
                var country = Countries.Find(result)!;
                Assert.Contains(trimmed.ToUpperInvariant(), new[] { country.Alpha3, country.Alpha2 });
            }
        }, iter: 5_000);

    [Theory]
    [InlineData("FRA", "FRA")]
    [InlineData("fr", "FRA")]
    [InlineData(" jm ", "JAM")]
    [InlineData("HTI", "HTI")]
    [InlineData("ZZZ", null)]
    [InlineData("XXX", null)]
    [InlineData("QQQ", null)]
    [InlineData("AAA", null)]
    [InlineData("ZZ", null)]
    [InlineData("\u017FAN", null)]
    public void Only_codes_ISO_3166_1_has_assigned_name_a_country(string code, string? alpha3) =>
        Assert.Equal(alpha3, Region.CountryAlpha3(System.Text.RegularExpressions.Regex.Unescape(code)));

    [Fact]
    public void The_built_in_ISO_3166_1_list_has_every_assigned_country_once()
    {
        Assert.Equal(249, Countries.All.Count);
        Assert.Equal(249, Countries.All.Select(c => c.Alpha2).Distinct().Count());
        Assert.All(Region.MemberStates, m => Assert.Equal(m.Alpha2, Countries.Find(m.Alpha3)!.Alpha2));
        Assert.Equal("Korea, Republic of", Countries.Find("KOR")!.Name);
    }

    [Fact]
    public void A_query_may_name_several_member_states_and_each_code_that_is_none_is_named_in_the_refusal()
    {
        Assert.Equal(["HND", "MEX"], Region.MemberFilters(" MEX, hn ,MX", "Query").Order(StringComparer.Ordinal));
        Assert.Empty(Region.MemberFilters(null, "Query"));
        Assert.Empty(Region.MemberFilters(" , ", "Query"));

        var refused = Assert.Throws<ValidationFailedException>(() => Region.MemberFilters("MEX,FRA,ZZZ", "Query"));
        Assert.Equal(["FRA", "ZZZ"], refused.Errors.Select(e => e.Value));
        Assert.All(refused.Errors, e => Assert.Equal(("country", "not a member state of RCM"), (e.Field, e.Reason)));
    }
}
