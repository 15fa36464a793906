using Lmis.Contracts.Events;
using Lmis.Statistics.Storage;
using MassTransit;

namespace Lmis.Statistics.VacancyFigures;

/// <summary>
/// Keeps the vacancy figures in step with the vacancies service. Each event carries the vacancy's version and
/// only a newer version replaces what is kept, so a repeated, late or reordered event changes nothing. Events are
/// taken in batches (one write per batch), as a ministry's feed brings thousands at once.
/// </summary>
public sealed class VacancyEventsConsumer(IVacancyFigureStore figures)
    : IConsumer<Batch<VacancyPublished>>, IConsumer<Batch<VacancyUpdated>>, IConsumer<Batch<VacancyClosed>>
{
    public const int BatchSize = 500;

    public Task Consume(ConsumeContext<Batch<VacancyPublished>> context) =>
        figures.ApplyAsync([.. context.Message.Select(m => m.Message.Vacancy)], context.CancellationToken);

    public Task Consume(ConsumeContext<Batch<VacancyUpdated>> context) =>
        figures.ApplyAsync([.. context.Message.Select(m => m.Message.Vacancy)], context.CancellationToken);

    public Task Consume(ConsumeContext<Batch<VacancyClosed>> context) =>
        figures.ApplyAsync([.. context.Message.Select(m => m.Message.Vacancy)], context.CancellationToken);
}
