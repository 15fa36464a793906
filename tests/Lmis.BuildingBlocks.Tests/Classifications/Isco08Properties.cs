using CsCheck;
using Lmis.BuildingBlocks.Classifications;
using Lmis.Testing;

namespace Lmis.BuildingBlocks.Tests.Classifications;

public sealed class Isco08Properties
{
    /// <summary>Near misses of a code: other digits of Unicode, blanks and line breaks around it, letters.</summary>
    private static readonly Gen<string> CodeLike = Gen.Frequency(
        (3, Hostile.Of("0123456789", 0, 6)),
        (3, Hostile.Of("0123456789\u0663\u06F5\u0967\uFF11\u00B2 \n\r\tx", 0, 6)),
        (1, Hostile.Text()));

    private static bool IsOneToFourAsciiDigits(string code) => code.Length is >= 1 and <= 4 && code.All(char.IsAsciiDigit);

    [Fact]
    public Task Only_one_to_four_ASCII_digits_are_taken_for_an_ISCO_08_code() =>
        Properties.HoldAsync(CodeLike, code => Assert.Equal(IsOneToFourAsciiDigits(code), Isco08.IsCode(code)), iter: 5_000);
}
