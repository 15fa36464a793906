using Lmis.Contracts.Events;
using Lmis.Statistics.Storage;
using MassTransit;

namespace Lmis.Statistics.VacancyFigures;

/// <summary>
/// Keeps the vacancy figures in step with the vacancies service. Each event carries the vacancy's version and
/// only a newer version replaces what is kept, so a repeated, late or reordered event changes nothing.
/// </summary>
public sealed class VacancyEventsConsumer(IVacancyFigureStore figures)
    : IConsumer<VacancyPublished>, IConsumer<VacancyUpdated>, IConsumer<VacancyClosed>
{
    public Task Consume(ConsumeContext<VacancyPublished> context) =>
        figures.ApplyAsync(context.Message.Vacancy, context.CancellationToken);

    public Task Consume(ConsumeContext<VacancyUpdated> context) =>
        figures.ApplyAsync(context.Message.Vacancy, context.CancellationToken);

    public Task Consume(ConsumeContext<VacancyClosed> context) =>
        figures.ApplyAsync(context.Message.Vacancy, context.CancellationToken);
}
