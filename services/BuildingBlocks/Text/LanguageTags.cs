using System.Text.RegularExpressions;

namespace Lmis.BuildingBlocks.Text;

/// <summary>
/// BCP 47 language tags as LMIS accepts them: a 2- or 3-letter language, then optional subtags (es, pt-BR), in ASCII
/// and with nothing after the last subtag (not even a line break).
/// </summary>
public static partial class LanguageTags
{
    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\z")]
    public static partial Regex Pattern();

    public static bool IsValid(string tag) => Pattern().IsMatch(tag);
}
