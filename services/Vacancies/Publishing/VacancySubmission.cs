namespace Lmis.Vacancies.Publishing;

/// <summary>
/// A vacancy as it arrives from a ministry's feed (one gRPC message, one JSON body, one CSV row), every field still
/// as sent — numbers and flags included, so a malformed one can be reported like any other field.
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
    public string? SuggestOccupationCode { get; init; }

    public string? NationalOccupationScheme { get; init; }

    public string? NationalOccupationCode { get; init; }

    public string? SectorCode { get; init; }

    public string? EmployerName { get; init; }

    public string? LocationSubdivision { get; init; }

    public string? LocationLocality { get; init; }

    public string? Positions { get; init; }

    public string? EmploymentType { get; init; }

    public string? WorkingTime { get; init; }

    public string? HoursPerWeek { get; init; }

    public string? WageMin { get; init; }

    public string? WageMax { get; init; }

    public string? WageCurrency { get; init; }

    public string? WagePeriod { get; init; }

    public string? EducationLevel { get; init; }

    public string? ExperienceMonths { get; init; }

    public IReadOnlyList<string> RequiredLanguages { get; init; } = [];

    public IReadOnlyList<string> RequiredSkills { get; init; } = [];

    public string? DatePosted { get; init; }

    public string? ValidThrough { get; init; }

    public string? ForeignWorkersEligible { get; init; }

    public IReadOnlyList<string> EligibleOriginCountries { get; init; } = [];

    public string? PathwayId { get; init; }

    public string? WorkerPaysRecruitmentFees { get; init; }

    public string? RecruiterName { get; init; }

    public string? RecruiterCertification { get; init; }

    /// <summary>In a feed: open (the default), or filled / withdrawn to close the vacancy.</summary>
    public string? Status { get; init; }
}
