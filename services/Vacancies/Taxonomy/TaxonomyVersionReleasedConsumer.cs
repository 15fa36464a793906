using Lmis.Contracts.Events;
using MassTransit;

namespace Lmis.Vacancies.Taxonomy;

/// <summary>A new taxonomy version may add, deprecate or re-map codes: look them up afresh.</summary>
public sealed class TaxonomyVersionReleasedConsumer(ITaxonomyLookups taxonomy) : IConsumer<TaxonomyVersionReleased>
{
    public Task Consume(ConsumeContext<TaxonomyVersionReleased> context)
    {
        taxonomy.Forget();
        return Task.CompletedTask;
    }
}
