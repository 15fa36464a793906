using Lmis.BuildingBlocks.Text;

namespace Lmis.BuildingBlocks.Tests.Text;

public sealed class OptionalTextTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(" \t\n", null)]
    [InlineData("  7112 ", "7112")]
    public void A_blank_value_is_not_given_and_a_given_one_loses_its_surrounding_space(string? value, string? expected) =>
        Assert.Equal(expected, OptionalText.TrimmedOrNull(value));

    [Theory]
    [InlineData(null, null)]
    [InlineData(" \t\n", null)]
    [InlineData("  Albañil ", "  Albañil ")]
    public void A_blank_value_is_not_given_and_a_given_one_is_kept_as_it_is(string? value, string? expected) =>
        Assert.Equal(expected, OptionalText.NullIfBlank(value));
}
