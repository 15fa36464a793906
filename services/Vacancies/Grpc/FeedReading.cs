using System.Runtime.CompilerServices;
using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Vacancies.Publishing;
using FieldError = Lmis.BuildingBlocks.Errors.FieldError;

namespace Lmis.Vacancies.Grpc;

/// <summary>
/// Reads a feed stream within its limits. A feed longer than the limit, or one that stalls, is not read further:
/// the items read so far still end as every item does (stored or refused), and only then does the call end with a
/// status that counts them — so what the status says was published is stored, and nothing is lost unsaid.
/// </summary>
internal sealed class FeedReading(IAsyncStreamReader<PublishVacancyRequest> requests, ServiceLimits limits)
{
    private enum Ending
    {
        Complete,
        TooLong,
        Stalled,
    }

    private Ending _ending = Ending.Complete;

    public async IAsyncEnumerable<(int, VacancySubmission?, IReadOnlyList<FieldError>)> ItemsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = 0;
        while (await NextAsync(cancellationToken))
        {
            if (index == limits.FeedMaxItems)
            {
                _ending = Ending.TooLong;
                yield break;
            }

            var vacancy = requests.Current.Vacancy;
            yield return vacancy is null
                ? (index, null, [new FieldError("vacancy", null, "required")])
                : (index, VacancyMessages.ToSubmission(vacancy), []);
            index++;
        }
    }

    /// <summary>The status that ends a feed cut short, counting what became of the items read; null for a whole feed.</summary>
    public Status? EndedEarly(IReadOnlyList<ItemOutcome> outcomes)
    {
        var read = outcomes.Count;
        var published = outcomes.Count(o => o.Outcome is not null);
        var counts = $"{published} published, {read - published} refused";
        return _ending switch
        {
            Ending.TooLong => new Status(StatusCode.ResourceExhausted,
                $"A feed holds at most {limits.FeedMaxItems} vacancies; split it: the first {read} items were read: {counts}; nothing after item {read} was read."),
            Ending.Stalled => new Status(StatusCode.DeadlineExceeded,
                $"No vacancy arrived for {limits.FeedIdle.TotalSeconds:0} s, so the feed was ended: the {read} items read before were {counts}; send the rest again."),
            _ => null,
        };
    }

    private async Task<bool> NextAsync(CancellationToken cancellationToken)
    {
        if (_ending != Ending.Complete)
        {
            return false;
        }

        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stalled.CancelAfter(limits.FeedIdle);
        try
        {
            return await requests.MoveNext(stalled.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _ending = Ending.Stalled;
            return false;
        }
    }
}
