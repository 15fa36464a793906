using System.Collections.Concurrent;
using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Taxonomy.V1;

namespace Lmis.Statistics.Structures;

/// <summary>
/// The codes of a classification as the taxonomy has released them (ISCO-08, ISIC Rev.4), with their labels, read page
/// by page and kept for a few minutes: a Data Explorer asks for the same codelists over and over while a user browses,
/// the statistics views show every ISCO-08 code with its title, and a new release of the taxonomy is seen within
/// <see cref="KeptFor"/>.
/// </summary>
public sealed class TaxonomyCodes(TaxonomyService.TaxonomyServiceClient taxonomy, TimeProvider clock)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(5);

    private const int PageSize = 1000;

    private readonly ConcurrentDictionary<string, (DateTimeOffset Read, Task<IReadOnlyList<Concept>> Concepts)> _kept = new(StringComparer.Ordinal);

    /// <summary>Every concept of the latest version of a scheme, in code order.</summary>
    public Task<IReadOnlyList<Concept>> ConceptsAsync(string scheme, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var kept = _kept.AddOrUpdate(
            scheme,
            s => (now, ReadAsync(s)),
            (s, old) => now - old.Read < KeptFor && !old.Concepts.IsFaulted ? old : (now, ReadAsync(s)));
        return kept.Concepts.WaitAsync(cancellationToken);
    }

    // Shared by every request that asks meanwhile, so one leaving early does not cancel it for the others.
    private async Task<IReadOnlyList<Concept>> ReadAsync(string scheme)
    {
        var concepts = new List<Concept>();
        var request = new ListConceptsRequest { Scheme = scheme, PageSize = PageSize };
        try
        {
            do
            {
                var page = await taxonomy.ListConceptsAsync(request);
                concepts.AddRange(page.Concepts);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return [];
        }
        catch (RpcException e)
        {
            throw new DependencyUnavailableException($"The taxonomy service could not list the {scheme} codes ({e.Status.Detail}).", e);
        }

        return concepts;
    }
}
