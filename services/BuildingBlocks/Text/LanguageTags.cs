using System.Text.RegularExpressions;

namespace Lmis.BuildingBlocks.Text;

/// <summary>BCP 47 language tags as LMIS accepts them: a 2- or 3-letter language, then optional subtags (es, pt-BR).</summary>
public static partial class LanguageTags
{
    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    public static partial Regex Pattern();

    public static bool IsValid(string tag) => Pattern().IsMatch(tag);
}
