using System.Text;
using CsCheck;
using Lmis.BuildingBlocks.Text;
using Lmis.Testing;

namespace Lmis.BuildingBlocks.Tests.Text;

public sealed class TextFoldingProperties
{
    /// <summary>The accented letters of Spanish, English and French, each with the ASCII letter it folds to.</summary>
    private static readonly (char Letter, char Plain)[] Accented =
    [
        .. "áàâä".Select(c => (c, 'a')), .. "éèêë".Select(c => (c, 'e')), .. "íìîï".Select(c => (c, 'i')),
        .. "óòôö".Select(c => (c, 'o')), .. "úùûü".Select(c => (c, 'u')), ('ñ', 'n'), ('ç', 'c'), ('ÿ', 'y'),
    ];

    /// <summary>A phrase of Latin letters, accented or not, in any case, with punctuation and blanks between words.</summary>
    private static readonly Gen<(string Plain, string Written)> Phrase =
        Gen.Select(
            Gen.Frequency((3, Gen.Char['a', 'z'].Select(c => (c, c))), (2, Gen.OneOf(Accented).Select(a => (a.Letter, a.Plain)))).Array[1, 10].Array[1, 5],
            Gen.Bool.Array[50],
            Hostile.Of(" ,.;:-'()/¡!¿?«»\t", 1, 3).Array[5],
            (words, upper, separators) =>
            {
                var plain = new StringBuilder();
                var written = new StringBuilder();
                for (var w = 0; w < words.Length; w++)
                {
                    if (w > 0)
                    {
                        plain.Append(' ');
                        written.Append(separators[w]);
                    }

                    for (var i = 0; i < words[w].Length; i++)
                    {
                        var (letter, ascii) = words[w][i];
                        plain.Append(ascii);
                        written.Append(upper[(w * 10 + i) % upper.Length] ? char.ToUpperInvariant(letter) : letter);
                    }
                }

                return (plain.ToString(), written.ToString());
            });

    [Fact]
    public Task Folding_any_text_returns_and_folding_again_changes_nothing() =>
        Properties.HoldAsync(Hostile.Text(200), text =>
        {
            var folded = TextFolding.Fold(text);
            Assert.Equal(folded, TextFolding.Fold(folded));
            Assert.DoesNotContain("  ", folded, StringComparison.Ordinal);
            Assert.Equal(folded.Trim(), folded);
            Assert.True(TextFolding.Words(text).Count() <= 16);
        }, iter: 3_000);

    [Fact]
    public Task Folding_ignores_case_accents_and_punctuation_of_Spanish_English_and_French_words() =>
        Properties.HoldAsync(Phrase, phrase =>
        {
            Assert.Equal(phrase.Plain, TextFolding.Fold(phrase.Written));
            Assert.Equal(phrase.Plain, TextFolding.Fold(phrase.Written.ToUpperInvariant()));
            Assert.Equal(phrase.Plain, TextFolding.Fold(phrase.Written.Normalize(NormalizationForm.FormD)));
        }, iter: 2_000);
}
