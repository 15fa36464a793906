using Lmis.Contracts.Events;
using MassTransit.Testing;

namespace Lmis.Vacancies.Tests.Testing;

/// <summary>
/// The vacancy events the test harness saw published, whether on their own or inside the bundles the outbox
/// dispatcher sends (<see cref="VacancyEventBundle"/>).
/// </summary>
public static class PublishedVacancyEvents
{
    public static IEnumerable<T> Of<T>(ITestHarness harness, CancellationToken cancellationToken)
        where T : class, IIntegrationEvent =>
        harness.Published.Select<T>(cancellationToken).Select(m => m.Context.Message)
            .Concat(harness.Published.Select<VacancyEventBundle>(cancellationToken).SelectMany(m => m.Context.Message.Events().OfType<T>()));

    /// <summary>Waits (up to the harness's timeout) until an event of <typeparamref name="T"/> matching <paramref name="filter"/> was published.</summary>
    public static Task<bool> AnyAsync<T>(ITestHarness harness, Func<T, bool> filter, CancellationToken cancellationToken)
        where T : class, IIntegrationEvent =>
        harness.Published.Any(
            m => (m.MessageObject is T single && filter(single))
                || (m.MessageObject is VacancyEventBundle bundle && bundle.Events().OfType<T>().Any(filter)),
            cancellationToken);
}
