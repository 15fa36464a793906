using System.Globalization;
using System.Text;

namespace Lmis.BuildingBlocks.Text;

/// <summary>
/// How text is compared when people search it: case, accents and punctuation ignored, so "albanil" finds "Albañil"
/// and "electricians" finds "…workers, excluding electricians".
/// </summary>
public static class TextFolding
{
    /// <summary>Lower case, accents removed, every run of other characters one space, no space at the ends.</summary>
    public static string Fold(string text)
    {
        var decomposed = WithoutLoneSurrogates(text).Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        var space = true;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                folded.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else if (!space)
            {
                folded.Append(' ');
                space = true;
            }
        }

        return folded.ToString().TrimEnd().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// The text with each lone surrogate (half a character, which Normalize refuses) made a blank: it is no letter, so
    /// it separates words like any other punctuation.
    /// </summary>
    private static string WithoutLoneSurrogates(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }

    /// <summary>The distinct folded words of a text (at most 16, enough for any search).</summary>
    public static IEnumerable<string> Words(string text) =>
        Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Take(16);
}
