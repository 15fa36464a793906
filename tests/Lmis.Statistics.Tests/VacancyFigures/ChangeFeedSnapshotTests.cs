using Lmis.Contracts.Events;
using Lmis.Statistics.VacancyFigures;
using Message = Lmis.Contracts.Vacancies.V1.Vacancy;

namespace Lmis.Statistics.Tests.VacancyFigures;

public sealed class ChangeFeedSnapshotTests
{
    private static Message Filled(string closedAt) => new()
    {
        Id = Guid.NewGuid().ToString(),
        Country = "MEX",
        SourceId = "STPS-1",
        Version = 3,
        OccupationCode = "7112",
        Positions = 2,
        Status = VacancyStatus.Filled,
        DatePosted = "2026-11-01",
        PublishedAt = "2026-11-01T08:00:00.0000000+00:00",
        UpdatedAt = "2026-11-20T09:30:00.0000000+00:00",
        ClosedAt = closedAt,
    };

    [Fact]
    public void A_vacancy_read_from_the_change_feed_is_closed_when_the_vacancies_service_closed_it()
    {
        var snapshot = VacancyFiguresCatchUp.ToSnapshot(Filled("2026-11-15T16:00:00.0000000+00:00"));

        Assert.Equal(new DateTimeOffset(2026, 11, 15, 16, 0, 0, TimeSpan.Zero), snapshot.ClosedAt);
    }

    [Fact]
    public void A_closed_vacancy_from_a_vacancies_service_that_sends_no_closing_time_is_closed_at_its_last_change()
    {
        var snapshot = VacancyFiguresCatchUp.ToSnapshot(Filled(string.Empty));

        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero), snapshot.ClosedAt);
    }

    [Fact]
    public void An_open_vacancy_has_no_closing_time()
    {
        var open = Filled(string.Empty);
        open.Status = VacancyStatus.Open;

        Assert.Null(VacancyFiguresCatchUp.ToSnapshot(open).ClosedAt);
    }
}
