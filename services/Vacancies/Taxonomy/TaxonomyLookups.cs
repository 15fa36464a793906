using System.Collections.Concurrent;
using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Taxonomy.V1;

namespace Lmis.Vacancies.Taxonomy;

/// <summary>
/// Asks the taxonomy service over gRPC and remembers the answers until the taxonomy announces a new version. When
/// the taxonomy cannot be reached the vacancy is refused as UNAVAILABLE (to retry), never accepted unchecked.
/// </summary>
public sealed class TaxonomyLookups(TaxonomyService.TaxonomyServiceClient taxonomy) : ITaxonomyLookups
{
    private readonly ConcurrentDictionary<(string, string), Task<ConceptLookup>> _concepts = new();
    private readonly ConcurrentDictionary<(string, string, string), Task<IReadOnlyList<string>>> _translations = new();

    public async Task<ConceptLookup> FindAsync(string scheme, string code, CancellationToken cancellationToken)
    {
        var answer = _concepts.GetOrAdd((scheme, code), key => LookUpAsync(key.Item1, key.Item2));
        try
        {
            return await answer.WaitAsync(cancellationToken);
        }
        catch (DependencyUnavailableException)
        {
            _concepts.TryRemove((scheme, code), out _);
            throw;
        }
    }

    public async Task<IReadOnlyList<string>> TranslateAsync(string fromScheme, string code, string toScheme, CancellationToken cancellationToken)
    {
        var answer = _translations.GetOrAdd((fromScheme, code, toScheme), key => TranslateAsync(key.Item1, key.Item2, key.Item3));
        try
        {
            return await answer.WaitAsync(cancellationToken);
        }
        catch (DependencyUnavailableException)
        {
            _translations.TryRemove((fromScheme, code, toScheme), out _);
            throw;
        }
    }

    public void Forget()
    {
        _concepts.Clear();
        _translations.Clear();
    }

    private async Task<ConceptLookup> LookUpAsync(string scheme, string code)
    {
        try
        {
            var concept = await taxonomy.GetConceptAsync(new GetConceptRequest { Scheme = scheme, Code = code });
            return concept.Status == "deprecated"
                ? new ConceptLookup(true, true, $"deprecated in {scheme} version {concept.Version}"
                    + (concept.ReplacedBy.Length > 0 ? $"; use {concept.ReplacedBy} instead" : string.Empty), concept.Attributes)
                : new ConceptLookup(true, false, string.Empty, concept.Attributes);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return ConceptLookup.Unknown(e.Status.Detail);
        }
        catch (RpcException e)
        {
            throw Unavailable(scheme, code, e);
        }
    }

    private async Task<IReadOnlyList<string>> TranslateAsync(string fromScheme, string code, string toScheme)
    {
        try
        {
            var translation = await taxonomy.TranslateAsync(new TranslateRequest { FromScheme = fromScheme, Code = code, ToScheme = toScheme });
            return [.. translation.Targets.Select(t => t.Concept.Code)];
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return [];
        }
        catch (RpcException e)
        {
            throw Unavailable(fromScheme, code, e);
        }
    }

    private static DependencyUnavailableException Unavailable(string scheme, string code, RpcException e) => new(
        $"The taxonomy service could not check {scheme} code {code}: {e.Status.StatusCode} {e.Status.Detail}. Nothing was stored; send the vacancy again.",
        e);
}
