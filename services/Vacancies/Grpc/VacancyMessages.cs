using System.Globalization;
using Lmis.Vacancies.Publishing;
using Messages = Lmis.Contracts.Vacancies.V1;

namespace Lmis.Vacancies.Grpc;

/// <summary>Between the public protocol's vacancy messages and the vacancy domain, both ways.</summary>
public static class VacancyMessages
{
    /// <summary>The message as sent, its numbers and flags as typed: the validation checks them as they are.</summary>
    public static VacancySubmission ToSubmission(Messages.Vacancy v) => new()
    {
        Country = v.Country,
        SourceId = v.SourceId,
        Title = v.Title,
        Description = v.Description,
        Language = v.Language,
        OccupationCode = v.OccupationCode,
        SuggestOccupationCode = SentFlag.Of(v.SuggestOccupationCode),
        NationalOccupationScheme = v.NationalOccupationScheme,
        NationalOccupationCode = v.NationalOccupationCode,
        SectorCode = v.SectorCode,
        EmployerName = v.EmployerName,
        LocationSubdivision = v.LocationSubdivision,
        LocationLocality = v.LocationLocality,
        Positions = v.HasPositions ? SentNumber.Of(v.Positions) : default,
        // Protocol buffers cannot tell 0 from absent: 0 hours or wage bound means "not given".
        EmploymentType = v.EmploymentType,
        WorkingTime = v.WorkingTime,
        HoursPerWeek = v.HoursPerWeek == 0 ? default : SentNumber.Of(v.HoursPerWeek),
        WageMin = v.Wage is null || v.Wage.Min == 0 ? default : SentNumber.Of(v.Wage.Min),
        WageMax = v.Wage is null || v.Wage.Max == 0 ? default : SentNumber.Of(v.Wage.Max),
        WageCurrency = v.Wage?.Currency,
        WagePeriod = v.Wage?.Period,
        EducationLevel = v.EducationLevel,
        ExperienceMonths = v.ExperienceMonths == 0 ? default : SentNumber.Of(v.ExperienceMonths),
        RequiredLanguages = [.. v.RequiredLanguages],
        RequiredSkills = [.. v.RequiredSkills],
        DatePosted = v.DatePosted,
        ValidThrough = v.ValidThrough,
        ForeignWorkersEligible = SentFlag.Of(v.ForeignWorkersEligible),
        EligibleOriginCountries = [.. v.EligibleOriginCountries],
        PathwayId = v.PathwayId,
        WorkerPaysRecruitmentFees = SentFlag.Of(v.WorkerPaysRecruitmentFees),
        RecruiterName = v.RecruiterName,
        RecruiterCertification = v.RecruiterCertification,
        Status = v.Status,
    };

    public static Messages.Vacancy ToMessage(Vacancy v)
    {
        var c = v.Content;
        var message = new Messages.Vacancy
        {
            Id = v.Id.ToString(),
            Country = v.Country,
            SourceId = v.SourceId,
            Title = c.Title,
            Description = c.Description,
            Language = c.Language ?? string.Empty,
            OccupationCode = c.OccupationCode,
            OccupationCoding = c.OccupationCoding ?? OccupationCodings.Publisher,
            NationalOccupationScheme = c.NationalOccupationScheme ?? string.Empty,
            NationalOccupationCode = c.NationalOccupationCode ?? string.Empty,
            SectorCode = c.SectorCode ?? string.Empty,
            EmployerName = c.EmployerName ?? string.Empty,
            LocationSubdivision = c.LocationSubdivision ?? string.Empty,
            LocationLocality = c.LocationLocality ?? string.Empty,
            Positions = c.Positions,
            EmploymentType = c.EmploymentType ?? string.Empty,
            WorkingTime = c.WorkingTime ?? string.Empty,
            HoursPerWeek = c.HoursPerWeek ?? 0,
            EducationLevel = c.EducationLevel ?? string.Empty,
            ExperienceMonths = c.ExperienceMonths ?? 0,
            RequiredLanguages = { c.RequiredLanguages },
            RequiredSkills = { c.RequiredSkills },
            DatePosted = Date(c.DatePosted),
            ValidThrough = Date(c.ValidThrough),
            ForeignWorkersEligible = c.ForeignWorkersEligible,
            EligibleOriginCountries = { c.EligibleOriginCountries },
            PathwayId = c.PathwayId ?? string.Empty,
            WorkerPaysRecruitmentFees = c.WorkerPaysRecruitmentFees,
            RecruiterName = c.RecruiterName ?? string.Empty,
            RecruiterCertification = c.RecruiterCertification ?? string.Empty,
            Version = v.Version,
            Status = v.Status,
            ClosedReason = v.ClosedReason ?? string.Empty,
            ClosedAt = v.ClosedAt?.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty,
            PublishedAt = v.PublishedAt.ToString("O", CultureInfo.InvariantCulture),
            UpdatedAt = v.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
        };
        if (c.Wage is { } wage)
        {
            message.Wage = new Messages.Wage
            {
                Min = (double)(wage.Min ?? 0),
                Max = (double)(wage.Max ?? 0),
                Currency = wage.Currency,
                Period = wage.Period,
            };
        }

        return message;
    }

    public static Messages.PublishOutcome ToMessage(PublishOutcome? outcome) => outcome switch
    {
        PublishOutcome.Created => Messages.PublishOutcome.Created,
        PublishOutcome.Updated => Messages.PublishOutcome.Updated,
        PublishOutcome.Unchanged => Messages.PublishOutcome.Unchanged,
        PublishOutcome.Closed => Messages.PublishOutcome.Closed,
        PublishOutcome.Valid => Messages.PublishOutcome.Valid,
        _ => Messages.PublishOutcome.Rejected,
    };

    public static Messages.PublishVacanciesResponse ToResponse(IReadOnlyList<ItemOutcome> outcomes)
    {
        var response = new Messages.PublishVacanciesResponse
        {
            Received = outcomes.Count,
            Created = outcomes.Count(o => o.Outcome == PublishOutcome.Created),
            Updated = outcomes.Count(o => o.Outcome == PublishOutcome.Updated),
            Closed = outcomes.Count(o => o.Outcome == PublishOutcome.Closed),
            Unchanged = outcomes.Count(o => o.Outcome == PublishOutcome.Unchanged),
            Rejected = outcomes.Count(o => o.Outcome is null),
            Valid = outcomes.Count(o => o.Outcome == PublishOutcome.Valid),
        };
        response.Results.AddRange(outcomes.Select(o =>
        {
            var result = new Messages.ItemResult
            {
                Index = o.Index,
                SourceId = o.SourceId ?? string.Empty,
                Outcome = ToMessage(o.Outcome),
                Id = o.Vacancy?.Id.ToString() ?? string.Empty,
                Version = o.Vacancy?.Version ?? 0,
            };
            result.Errors.AddRange(o.Errors.Select(ToMessage));
            result.Warnings.AddRange(o.Warnings.Select(ToMessage));
            return result;
        }));
        return response;
    }

    public static Messages.FieldError ToMessage(Lmis.BuildingBlocks.Errors.FieldError error) =>
        new() { Field = error.Field, Value = error.Value ?? string.Empty, Reason = error.Reason };

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
}
