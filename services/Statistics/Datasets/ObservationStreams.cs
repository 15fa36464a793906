using System.Runtime.CompilerServices;
using Lmis.Statistics.Sdmx;

namespace Lmis.Statistics.Datasets;

/// <summary>What a data query does to the stream of observations the store reads, before a writer sees it.</summary>
public static class ObservationStreams
{
    /// <summary>
    /// At most <paramref name="first"/> observations of each series from its first, and <paramref name="last"/> back
    /// from its most recent (both: the first N and the last N). The stream comes ordered by series then period; with
    /// history (<paramref name="byVintage"/>), each vintage's run of a series is a series of its own.
    /// </summary>
    public static async IAsyncEnumerable<Observation> PerSeries(
        IAsyncEnumerable<Observation> observations, int? first, int? last, bool byVintage,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var run = new List<Observation>();
        await foreach (var observation in observations.WithCancellation(cancellationToken))
        {
            if (run.Count > 0 && (run[0].SeriesKey != observation.SeriesKey || (byVintage && run[0].Vintage != observation.Vintage)))
            {
                foreach (var kept in Keep(run, first, last))
                {
                    yield return kept;
                }

                run.Clear();
            }

            run.Add(observation);
        }

        foreach (var kept in Keep(run, first, last))
        {
            yield return kept;
        }
    }

    /// <summary>
    /// Reads the first observation before anything is written, so that a query with no results is answered 404 rather
    /// than a 200 with an empty message: null when there is none (the reader is then closed).
    /// </summary>
    public static async Task<PeekedObservations?> PeekAsync(IAsyncEnumerable<Observation> observations, CancellationToken cancellationToken)
    {
        var enumerator = observations.GetAsyncEnumerator(cancellationToken);
        if (await enumerator.MoveNextAsync())
        {
            return new PeekedObservations(enumerator);
        }

        await enumerator.DisposeAsync();
        return null;
    }

    private static IEnumerable<Observation> Keep(List<Observation> run, int? first, int? last)
    {
        if (first is null && last is null)
        {
            return run;
        }

        return run.Where((_, i) => (first is { } f && i < f) || (last is { } l && i >= run.Count - l));
    }
}

/// <summary>A stream whose first observation has been read: it yields that one, then the rest, once; disposing closes the reader.</summary>
public sealed class PeekedObservations(IAsyncEnumerator<Observation> enumerator) : IAsyncEnumerable<Observation>, IAsyncDisposable
{
    private bool _read;

    public async IAsyncEnumerator<Observation> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (_read)
        {
            throw new InvalidOperationException("The observations can be read once.");
        }

        _read = true;
        yield return enumerator.Current;
        while (await enumerator.MoveNextAsync())
        {
            yield return enumerator.Current;
        }
    }

    public ValueTask DisposeAsync() => enumerator.DisposeAsync();
}
