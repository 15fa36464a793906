using System.Runtime.CompilerServices;
using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Vacancies.Publishing;
using FieldError = Lmis.BuildingBlocks.Errors.FieldError;

namespace Lmis.Vacancies.Grpc;

/// <summary>
/// Reads a feed stream within its limits. A feed longer than the limit, one that stalls, or one with a message that
/// is no PublishVacancyRequest (<see cref="MalformedGrpcRequestException"/>) is not read further:
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
        Malformed,
    }

    private Ending _ending = Ending.Complete;

    private MalformedGrpcRequestException? _malformed;

    /// <summary>Whether the first message was read and waits to be taken as the first item.</summary>
    private bool _firstWaiting;

    /// <summary>Whether the feed is a check (validate_only), as its first message says; known after <see cref="StartAsync"/>.</summary>
    public bool ValidateOnly { get; private set; }

    /// <summary>Reads the first message, which decides whether the whole feed is published or only checked.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _firstWaiting = await NextAsync(cancellationToken);
        ValidateOnly = _firstWaiting && requests.Current.ValidateOnly;
    }

    public async IAsyncEnumerable<(int, VacancySubmission?, IReadOnlyList<FieldError>)> ItemsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = 0;
        while (_firstWaiting || await NextAsync(cancellationToken))
        {
            _firstWaiting = false;
            if (index == limits.FeedMaxItems)
            {
                _ending = Ending.TooLong;
                yield break;
            }

            var request = requests.Current;
            yield return request switch
            {
                // A feed half checked and half published would store what its sender meant only to try.
                { ValidateOnly: var checkOnly } when checkOnly != ValidateOnly => (index, null, [new FieldError(
                    "validate_only", checkOnly ? "true" : "false",
                    $"the feed's first message made it {(ValidateOnly ? "a check (validate_only)" : "a publication")}; every message of a feed says the same")]),
                { Vacancy: null } => (index, null, [new FieldError("vacancy", null, "required")]),
                _ => (index, VacancyMessages.ToSubmission(request.Vacancy), []),
            };
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
            Ending.Malformed => new Status(_malformed!.StatusCode,
                $"The feed was ended at a message that could not be read: {_malformed.Reason.TrimEnd('.')}; the {read} items read before were {counts}; nothing after them was read."),
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
        catch (MalformedGrpcRequestException malformed)
        {
            // The items before it are whole and stay as every item does (stored or refused); the status says so.
            _ending = Ending.Malformed;
            _malformed = malformed;
            return false;
        }
    }
}
