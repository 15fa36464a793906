namespace Lmis.Vacancies.Publishing;

/// <summary>
/// A vacancy as it arrives from a ministry's feed (one gRPC message, one JSON body, one CSV row), every field still
/// as sent: numbers and flags typed when the protocol typed them, as text when they came as text (a CSV cell), so a
/// malformed one can be reported like any other field.
/// </summary>
public sealed record VacancySubmission
{
    public string? Country { get; init; }

    public string? SourceId { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    public string? Language { get; init; }

    public string? OccupationCode { get; init; }

    /// <summary>true: with no occupation code given, code the vacancy with the taxonomy's suggestion for its title.</summary>
    public SentFlag SuggestOccupationCode { get; init; }

    public string? NationalOccupationScheme { get; init; }

    public string? NationalOccupationCode { get; init; }

    public string? SectorCode { get; init; }

    public string? EmployerName { get; init; }

    public string? LocationSubdivision { get; init; }

    public string? LocationLocality { get; init; }

    public SentNumber Positions { get; init; }

    public string? EmploymentType { get; init; }

    public string? WorkingTime { get; init; }

    public SentNumber HoursPerWeek { get; init; }

    public SentNumber WageMin { get; init; }

    public SentNumber WageMax { get; init; }

    public string? WageCurrency { get; init; }

    public string? WagePeriod { get; init; }

    public string? EducationLevel { get; init; }

    public SentNumber ExperienceMonths { get; init; }

    public IReadOnlyList<string> RequiredLanguages { get; init; } = [];

    public IReadOnlyList<string> RequiredSkills { get; init; } = [];

    public string? DatePosted { get; init; }

    public string? ValidThrough { get; init; }

    public SentFlag ForeignWorkersEligible { get; init; }

    public IReadOnlyList<string> EligibleOriginCountries { get; init; } = [];

    public string? PathwayId { get; init; }

    public SentFlag WorkerPaysRecruitmentFees { get; init; }

    public string? RecruiterName { get; init; }

    public string? RecruiterCertification { get; init; }

    /// <summary>In a feed: open (the default), or filled / withdrawn to close the vacancy.</summary>
    public string? Status { get; init; }
}
