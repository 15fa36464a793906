namespace Lmis.Vacancies.Taxonomy;

/// <summary>
/// An ISCO-08 unit group the taxonomy reads a job title as: its code and title, how certain it is (0 to 1, higher is
/// more certain), and the built-in job title that matched.
/// </summary>
public sealed record SuggestedOccupation(string IscoCode, string IscoTitle, double Score, string MatchedTitle)
{
    /// <summary>Suggestions asked per title: the best decides machine coding, the first three the title check.</summary>
    public const int PerTitle = 3;
}
