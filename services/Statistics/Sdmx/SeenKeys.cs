namespace Lmis.Statistics.Sdmx;

/// <summary>The (series, period) pairs read so far: series keys are kept once each, periods as numbers.</summary>
internal sealed class SeenKeys
{
    private readonly Dictionary<string, int> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Series, TimePeriod Period), int> _lines = [];

    /// <summary>The line that already gave this series and period, or null (and it is remembered).</summary>
    public int? FirstLine(string seriesKey, TimePeriod period, int line)
    {
        if (!_series.TryGetValue(seriesKey, out var series))
        {
            series = _series.Count;
            _series.Add(seriesKey, series);
        }

        return _lines.TryAdd((series, period), line) ? null : _lines[(series, period)];
    }
}
