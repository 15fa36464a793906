using System.Globalization;
using System.Text;

namespace Lmis.Taxonomy.Reading;

/// <summary>
/// How labels and queries are compared: case, accents and punctuation ignored, so "albanil" finds "Albañil" and
/// "electricians" finds "…workers, excluding electricians".
/// </summary>
public static class LabelFolding
{
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        var space = true;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
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
}
