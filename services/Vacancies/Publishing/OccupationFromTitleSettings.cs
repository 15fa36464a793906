using System.Globalization;

namespace Lmis.Vacancies.Publishing;

/// <summary>
/// How far the service trusts the taxonomy's reading of a job title. <c>Lmis:Vacancies:OccupationSuggestion:MinimumScore</c>
/// (default 0.5): the score the best suggestion needs to code a vacancy by machine. <c>Lmis:Vacancies:OccupationCheck:Enabled</c>
/// (default true) and <c>Lmis:Vacancies:OccupationCheck:MinimumScore</c> (default 0.5): whether a code given is checked
/// against the title, and the score from which a title that reads otherwise earns a warning.
/// </summary>
public sealed record OccupationFromTitleSettings(double MachineCodingMinimumScore = 0.5, bool CheckEnabled = true, double CheckMinimumScore = 0.5)
{
    public const string MachineCodingMinimumScoreKey = "Lmis:Vacancies:OccupationSuggestion:MinimumScore";
    public const string CheckEnabledKey = "Lmis:Vacancies:OccupationCheck:Enabled";
    public const string CheckMinimumScoreKey = "Lmis:Vacancies:OccupationCheck:MinimumScore";

    public static OccupationFromTitleSettings From(IConfiguration configuration) => new(
        Score(configuration, MachineCodingMinimumScoreKey),
        configuration.GetValue(CheckEnabledKey, true),
        Score(configuration, CheckMinimumScoreKey));

    private static double Score(IConfiguration configuration, string key)
    {
        var score = configuration.GetValue(key, 0.5);
        return score is >= 0 and <= 1
            ? score
            : throw new InvalidOperationException($"{key} is {score.ToString(CultureInfo.InvariantCulture)}: a suggestion's score is from 0 to 1.");
    }
}
