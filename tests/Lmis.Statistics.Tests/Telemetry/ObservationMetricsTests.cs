using System.Diagnostics.Metrics;
using System.Net;
using Lmis.Statistics.Datasets;
using Lmis.Statistics.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Lmis.Statistics.Tests.Telemetry;

/// <summary>Observation rows received and refused, counted per member state after a real upload.</summary>
public sealed class ObservationMetricsTests : IAsyncLifetime
{
    private readonly StatisticsInProcess _service = new();

    public ValueTask InitializeAsync() => _service.InitializeAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    public async Task An_upload_of_three_rows_with_one_of_another_member_state_counts_three_received_and_one_refused()
    {
        var meters = _service.Statistics.Services.GetRequiredService<IMeterFactory>();
        using var received = new MetricCollector<long>(meters, ObservationMetrics.MeterName, "lmis.observations.received");
        using var refused = new MetricCollector<long>(meters, ObservationMetrics.MeterName, "lmis.observations.refused");
        const string csv = """
            STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,SEX,AGE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE
            dataflow,RCM:DF_UNE_RT(1.0),I,GTM,Q,SEX_T,AGE_YTHADULT_YGE15,2026-Q1,3.1,PT,0,A,
            dataflow,RCM:DF_UNE_RT(1.0),I,GTM,Q,SEX_T,AGE_YTHADULT_YGE15,2026-Q2,3.2,PT,0,A,
            dataflow,RCM:DF_UNE_RT(1.0),I,MEX,Q,SEX_T,AGE_YTHADULT_YGE15,2026-Q2,2.9,PT,0,A,

            """;

        var (status, _) = await _service.UploadAsync("GTM", csv);

        Assert.Equal(HttpStatusCode.OK, status);
        var receivedRows = Assert.Single(received.GetMeasurementSnapshot());
        var refusedRows = Assert.Single(refused.GetMeasurementSnapshot());
        Assert.Equal((3L, "GTM"), (receivedRows.Value, receivedRows.Tags["country"]));
        Assert.Equal((1L, "GTM"), (refusedRows.Value, refusedRows.Tags["country"]));
    }
}
