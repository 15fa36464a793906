using System.Globalization;

namespace Lmis.Taxonomy.Schemes;

/// <summary>
/// What the text of a label or an attribute may hold: printable text, on one line except in a definition. A NUL,
/// an escape sequence or a U+FFFD (what bytes that were not UTF-8 turn into) is a broken file, not a title.
/// </summary>
public static class PlainText
{
    /// <summary>Why <paramref name="text"/> is not plain text, naming the character; null when it is.</summary>
    public static string? Problem(string text, string what, bool severalLines = false)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"character {i + 1}");
            if (c is '\r' or '\n')
            {
                if (!severalLines)
                {
                    return $"{at}: a line break; only a definition may have several lines";
                }
            }
            else if (c == '\uFFFD')
            {
                return $"{at}: bytes that are not UTF-8 (U+FFFD); send the file in UTF-8, not Windows-1252 or Latin-1";
            }
            else if (c == '\uFEFF')
            {
                return $"{at}: a byte order mark inside the text; only the very start of a file may carry one";
            }
            else if (char.IsControl(c))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{at}: the control character U+{(int)c:X4}; {what} is text, without control characters");
            }
        }

        return null;
    }
}
