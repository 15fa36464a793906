using System.Diagnostics.Metrics;

namespace Lmis.Statistics.Datasets;

/// <summary>
/// Observations received and refused per member state (<c>country</c>, the publisher's ISO alpha-3 code), counted
/// row by row of each SDMX-CSV upload. Meter <c>Lmis.Statistics</c>.
/// </summary>
public sealed class ObservationMetrics
{
    public const string MeterName = "Lmis.Statistics";

    private readonly Counter<long> _received;
    private readonly Counter<long> _refused;

    public ObservationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>(
            "lmis.observations.received", "{observation}", "Observation rows a member state uploaded, whether stored or refused.");
        _refused = meter.CreateCounter<long>(
            "lmis.observations.refused", "{observation}", "Observation rows refused (a rule of the dataflow, a code, another member state's area).");
    }

    public void Uploaded(string country, UploadResult result)
    {
        var tag = new KeyValuePair<string, object?>("country", country);
        if (result.Received > 0)
        {
            _received.Add(result.Received, tag);
        }

        if (result.Rejected > 0)
        {
            _refused.Add(result.Rejected, tag);
        }
    }
}
