using Lmis.BuildingBlocks.Text;

namespace Lmis.Taxonomy.Occupations;

/// <summary>
/// The words of a job title that carry meaning, each reduced to a stem shared by its plural and its feminine and
/// masculine forms ("albañiles" → "albanil", "enfermera"/"enfermero" → "enfermer", "directrice" → "directeur",
/// "aide-soignante" → "aid soignant"), so that a title matches the built-in titles however it was inflected.
/// Deliberately light: suffix rules per language, no dictionary; what they miss, character similarity catches.
/// </summary>
public static class TitleWords
{
    /// <summary>The languages the built-in occupation titles are in.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "es", "fr"];

    private static readonly Dictionary<string, HashSet<string>> StopWords = new(StringComparer.Ordinal)
    {
        ["en"] = ["a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "other", "the", "to", "with", "without"],
        ["es"] = ["a", "al", "con", "de", "del", "e", "el", "en", "la", "las", "lo", "los", "o", "otro", "otros", "para", "por", "sin", "su", "u", "un", "una", "y"],
        ["fr"] = ["a", "au", "aux", "avec", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou", "par", "pour", "sans", "sur", "un", "une"],
    };

    /// <summary>The distinct stems of a text's words in a language, stop words left out, in order of appearance.</summary>
    public static IReadOnlyList<string> Stems(string text, string language, int max)
    {
        var stems = new List<string>();
        foreach (var word in TextFolding.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length < 2 || StopWords[language].Contains(word))
            {
                continue;
            }

            var stem = Stem(word, language);
            if (!stems.Contains(stem, StringComparer.Ordinal))
            {
                stems.Add(stem);
                if (stems.Count == max)
                {
                    break;
                }
            }
        }

        return stems;
    }

    /// <summary>A folded word's stem: its plural removed, then its gender ending.</summary>
    public static string Stem(string word, string language) => language switch
    {
        "es" => Spanish(word),
        "fr" => French(word),
        _ => English(word),
    };

    private static string English(string word)
    {
        if (word.Length <= 3 || !char.IsLetter(word[^1]))
        {
            return word;
        }

        // "firemen", "saleswomen" are the plurals of "-man"/"-woman".
        if (word.EndsWith("men", StringComparison.Ordinal))
        {
            return word[..^3] + "man";
        }

        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            return word[..^3] + "y";
        }

        if (word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("ches", StringComparison.Ordinal)
            || word.EndsWith("shes", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal))
        {
            return word[..^2];
        }

        return word[^1] == 's' && word[^2] is not ('s' or 'u' or 'i') ? word[..^1] : word;
    }

    private static string Spanish(string word)
    {
        if (word.Length <= 3 || !char.IsLetter(word[^1]))
        {
            return word;
        }

        // Plural: "albañiles" → "albañil", "conductores" → "conductor", "técnicos" → "técnico".
        if (word.EndsWith("es", StringComparison.Ordinal) && word.Length > 4 && !IsVowel(word[^3]))
        {
            word = word[^3] == 'c' ? word[..^3] + "z" : word[..^2];
        }
        else if (word[^1] == 's')
        {
            word = word[..^1];
        }

        // Gender: "enfermera"/"enfermero", "directora"/"director", "jefa"/"jefe".
        return word.Length > 3 && word[^1] is 'a' or 'o' or 'e' ? word[..^1] : word;
    }

    private static string French(string word)
    {
        if (word.Length <= 3 || !char.IsLetter(word[^1]))
        {
            return word;
        }

        // Plural: "maçons", "travaux" (kept apart from "-eux" adjectives that are singular too).
        if (word[^1] is 's' or 'x' && word[^2] != 's')
        {
            word = word[..^1];
        }

        // Feminine forms that are not just an added "e": "directrice", "vendeuse", "technicienne", "infirmière", "sportive".
        word = word switch
        {
            _ when word.EndsWith("rice", StringComparison.Ordinal) && word.Length > 6 => word[..^4] + "eur",
            _ when word.EndsWith("euse", StringComparison.Ordinal) => word[..^4] + "eur",
            _ when word.EndsWith("enne", StringComparison.Ordinal) => word[..^2],
            _ when word.EndsWith("ere", StringComparison.Ordinal) => word[..^3] + "er",
            _ when word.EndsWith("ive", StringComparison.Ordinal) => word[..^3] + "if",
            _ => word,
        };
        return word.Length > 3 && word[^1] == 'e' ? word[..^1] : word;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
