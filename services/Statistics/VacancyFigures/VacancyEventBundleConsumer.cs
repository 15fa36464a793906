using Lmis.Contracts.Events;
using Lmis.Statistics.Storage;
using MassTransit;

namespace Lmis.Statistics.VacancyFigures;

/// <summary>
/// Keeps the vacancy figures in step from the bundles the vacancies service sends while a feed arrives: every
/// vacancy of a bundle in one write. Only a newer version replaces what is kept, so a repeated bundle, or an event
/// that also came on its own (<see cref="VacancyEventsConsumer"/>), changes nothing.
/// </summary>
public sealed class VacancyEventBundleConsumer(IVacancyFigureStore figures) : IConsumer<VacancyEventBundle>
{
    public Task Consume(ConsumeContext<VacancyEventBundle> context) =>
        figures.ApplyAsync([.. context.Message.Vacancies()], context.CancellationToken);
}
