using System.Globalization;
using System.Text;

namespace Lmis.Vacancies.Search;

/// <summary>Free text as searches compare it: lower case, accents removed, words only.</summary>
public static class TextFolding
{
    public static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            folded.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    public static IEnumerable<string> Words(string text) =>
        Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Take(16);
}
