using Lmis.Contracts.Events;
using Lmis.Vacancies.Grpc;
using Lmis.Vacancies.Publishing;

namespace Lmis.Vacancies.Tests.Api;

public sealed class VacancyMessagesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 15, 16, 0, 0, TimeSpan.Zero);

    private static readonly VacancyContent Content = new("Albañil", "Obra", "es", "7112", 2, new DateOnly(2026, 11, 1), null);

    [Fact]
    public void A_closed_vacancy_says_when_it_was_closed_and_an_open_one_says_nothing()
    {
        var (closed, _) = Vacancy.Apply(null, false, "MEX", "STPS-1", Content, VacancyStatus.Filled, Now)!.Value;
        var (open, _) = Vacancy.Apply(null, false, "MEX", "STPS-2", Content, null, Now)!.Value;

        Assert.Equal(("2026-11-15T16:00:00.0000000+00:00", string.Empty), (VacancyMessages.ToMessage(closed).ClosedAt, VacancyMessages.ToMessage(open).ClosedAt));
    }
}
