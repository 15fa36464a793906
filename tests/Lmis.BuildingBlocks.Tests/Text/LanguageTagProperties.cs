using CsCheck;
using Lmis.BuildingBlocks.Text;
using Lmis.Testing;

namespace Lmis.BuildingBlocks.Tests.Text;

public sealed class LanguageTagProperties
{
    private static readonly Gen<string> Subtag = Hostile.Of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 2, 8);

    /// <summary>Tags of the documented form: a 2- or 3-letter language, then subtags (es, pt-BR, es-419, zh-Hant-TW).</summary>
    private static readonly Gen<string> WellFormed =
        Gen.Select(Hostile.Of("abcdefghijklmnopqrstuvwxyz", 2, 3), Subtag.Array[0, 3], (language, subtags) =>
            string.Concat(subtags.Select(s => "-" + s).Prepend(language)));

    private static readonly Gen<string> TagLike = Gen.Frequency(
        (3, WellFormed),
        (3, Gen.Select(WellFormed, Hostile.Character, Gen.Int[0, 12], (tag, c, at) => tag.Insert(Math.Min(at, tag.Length), c.ToString()))),
        (1, Hostile.Text()));

    private static bool HasDocumentedForm(string tag)
    {
        var parts = tag.Split('-');
        return parts[0].Length is 2 or 3 && parts[0].All(char.IsAsciiLetterLower)
            && parts.Skip(1).All(p => p.Length is >= 2 and <= 8 && p.All(char.IsAsciiLetterOrDigit));
    }

    [Fact]
    public Task Well_formed_language_tags_are_accepted() =>
        Properties.HoldAsync(WellFormed, tag => Assert.True(LanguageTags.IsValid(tag), tag));

    [Fact]
    public Task Only_tags_of_the_documented_form_are_accepted() =>
        Properties.HoldAsync(TagLike, tag => Assert.Equal(HasDocumentedForm(tag), LanguageTags.IsValid(tag)), iter: 5_000);
}
