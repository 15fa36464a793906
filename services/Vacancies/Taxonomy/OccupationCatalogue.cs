using System.Collections.Concurrent;
using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Events;
using Lmis.Contracts.Taxonomy.V1;
using MassTransit;

namespace Lmis.Vacancies.Taxonomy;

/// <summary>Whether an ISCO-08 code is one the taxonomy knows, and if not, why.</summary>
public sealed record OccupationLookup(bool Known, string Reason)
{
    public static OccupationLookup Found { get; } = new(true, string.Empty);
}

/// <summary>The occupations vacancies may be coded with: the taxonomy service's latest ISCO-08 version.</summary>
public interface IOccupationCatalogue
{
    Task<OccupationLookup> FindAsync(string isco08Code, CancellationToken cancellationToken);

    /// <summary>Forgets what it has looked up, because the taxonomy released a new version.</summary>
    void Forget();
}

/// <summary>
/// Asks the taxonomy service over gRPC and remembers the answers until the taxonomy announces a new ISCO-08
/// version. When the taxonomy cannot be reached the vacancy is refused as UNAVAILABLE (to retry), never
/// accepted unchecked.
/// </summary>
public sealed class TaxonomyOccupationCatalogue(TaxonomyService.TaxonomyServiceClient taxonomy) : IOccupationCatalogue
{
    public const string Scheme = "isco08";
    private readonly ConcurrentDictionary<string, OccupationLookup> _answers = new(StringComparer.Ordinal);

    public async Task<OccupationLookup> FindAsync(string isco08Code, CancellationToken cancellationToken)
    {
        if (_answers.TryGetValue(isco08Code, out var known))
        {
            return known;
        }

        OccupationLookup answer;
        try
        {
            await taxonomy.GetConceptAsync(new GetConceptRequest { Scheme = Scheme, Code = isco08Code }, cancellationToken: cancellationToken);
            answer = OccupationLookup.Found;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            answer = new OccupationLookup(false, $"not an ISCO-08 occupation known to the taxonomy ({e.Status.Detail})");
        }
        catch (RpcException e)
        {
            throw new DependencyUnavailableException(
                $"The taxonomy service could not check occupation code {isco08Code}: {e.Status.StatusCode} {e.Status.Detail}. Nothing was stored; send the vacancy again.",
                e);
        }

        _answers[isco08Code] = answer;
        return answer;
    }

    public void Forget() => _answers.Clear();
}

/// <summary>A new ISCO-08 version may add or remove codes: look them up afresh.</summary>
public sealed class TaxonomyVersionReleasedConsumer(IOccupationCatalogue occupations) : IConsumer<TaxonomyVersionReleased>
{
    public Task Consume(ConsumeContext<TaxonomyVersionReleased> context)
    {
        if (context.Message.Scheme == TaxonomyOccupationCatalogue.Scheme)
        {
            occupations.Forget();
        }

        return Task.CompletedTask;
    }
}
