namespace Lmis.Statistics.Sdmx.Messages;

/// <summary>
/// What a data message writer is told as the observations go by, in order: a data set starts, its series and their
/// observations, the data set ends. Every writer (SDMX-CSV, SDMX-JSON, SDMX-ML) gets the same walk, so the order the
/// observations must come in, what a detail level leaves out, and how history splits into data sets are decided once.
/// </summary>
internal interface IDataMessageParts
{
    /// <summary>A data set starts: the only one, or (with history) the one of a vintage.</summary>
    ValueTask StartDataSetAsync(ObservationVintage? vintage);

    /// <summary>
    /// A series starts. With detail full or dataonly it comes before the series' observations and
    /// <paramref name="seriesAttributes"/> is null; with serieskeysonly or nodata it comes once the series has been read,
    /// with (nodata) each attribute's value where every observation of the series has the same, else null.
    /// </summary>
    ValueTask StartSeriesAsync(Observation first, IReadOnlyList<string?>? seriesAttributes);

    /// <summary>One observation of the current series (detail full or dataonly only).</summary>
    ValueTask ObservationAsync(Observation observation);

    ValueTask EndSeriesAsync();

    ValueTask EndDataSetAsync();
}

/// <summary>
/// Walks observations sorted by series key then period (with history: by vintage first) and tells a writer the parts
/// of its message. A series that comes back after others, or a period out of order, is the caller's mistake and throws:
/// a streamed message cannot go back to add to a series it has closed. A flat message of observations (SDMX-CSV) does
/// not need the order: <c>ordered: false</c> takes them as they come, a series starting wherever the key changes.
/// </summary>
internal static class DataMessageWalk
{
    public static async Task RunAsync(
        DataStructure structure, IAsyncEnumerable<Observation> observations, DataMessageOptions options, IDataMessageParts parts,
        CancellationToken cancellationToken, bool ordered = true)
    {
        var withObservations = options.Detail is DataDetail.Full or DataDetail.DataOnly;
        ordered |= !withObservations; // series keys and their attributes are only known whole when a series comes at once
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var seriesAttributes = new SeriesAttributes(structure.Attributes.Count);
        var inDataSet = false;
        ObservationVintage? vintage = null;
        Observation? first = null;
        TimePeriod last = default;

        async ValueTask EndSeriesAsync()
        {
            if (first is null)
            {
                return;
            }

            if (!withObservations)
            {
                await parts.StartSeriesAsync(first, options.Detail == DataDetail.NoData ? seriesAttributes.Common : null);
            }

            await parts.EndSeriesAsync();
            first = null;
        }

        await foreach (var observation in observations.WithCancellation(cancellationToken))
        {
            structure.RequireOwn(observation);
            var itsVintage = options.IncludeHistory ? observation.Vintage : null;
            if (!inDataSet || itsVintage != vintage)
            {
                if (inDataSet)
                {
                    await EndSeriesAsync();
                    await parts.EndDataSetAsync();
                }

                vintage = itsVintage;
                finished.Clear();
                await parts.StartDataSetAsync(vintage);
                inDataSet = true;
            }

            if (first is null || observation.SeriesKey != first.SeriesKey)
            {
                await EndSeriesAsync();
                if (ordered && !finished.Add(observation.SeriesKey))
                {
                    throw new InvalidOperationException(
                        $"series {observation.SeriesKey} comes again after others: observations must be sorted by series key");
                }

                first = observation;
                seriesAttributes.Start(observation);
                if (withObservations)
                {
                    await parts.StartSeriesAsync(observation, null);
                }
            }
            else if (ordered && observation.Period <= last)
            {
                throw new InvalidOperationException($"series {first.SeriesKey}: {observation.Period} after {last}: periods must be in order, each once");
            }

            last = observation.Period;
            if (withObservations)
            {
                await parts.ObservationAsync(observation);
            }
            else
            {
                seriesAttributes.Add(observation);
            }
        }

        if (!inDataSet)
        {
            // An answer with no observations is still a message, with one empty data set.
            await parts.StartDataSetAsync(null);
        }

        await EndSeriesAsync();
        await parts.EndDataSetAsync();
    }

    /// <summary>Each attribute's value while every observation of a series so far has the same one.</summary>
    private sealed class SeriesAttributes(int count)
    {
        private readonly string?[] _common = new string?[count];

        public IReadOnlyList<string?> Common => _common;

        public void Start(Observation observation)
        {
            for (var a = 0; a < _common.Length; a++)
            {
                _common[a] = observation.Attributes[a];
            }
        }

        public void Add(Observation observation)
        {
            for (var a = 0; a < _common.Length; a++)
            {
                if (_common[a] is { } value && value != observation.Attributes[a])
                {
                    _common[a] = null;
                }
            }
        }
    }
}
