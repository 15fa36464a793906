using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Lmis.Contracts.Vacancies.V1;

namespace Lmis.Bench;

/// <summary>
/// One credential floods the entry point with many concurrent callers while another credential keeps calling at a
/// steady pace: the flood is held to its share (refused with RESOURCE_EXHAUSTED) and the other caller still gets
/// its answers, quickly. Loopback only, bounded in time.
/// </summary>
public static class FloodBenchmark
{
    public static async Task RunAsync(Options options)
    {
        var seconds = options.Number("seconds", 10);
        var flooders = options.Number("flooders", 32);
        var perSecond = options.Number("limit", 200);
        await using var host = await StandaloneHost.StartAsync(new Dictionary<string, string>
        {
            ["Lmis__Limits__RequestsPerSecond"] = perSecond.ToString(CultureInfo.InvariantCulture),
            ["Lmis__Limits__Burst"] = (perSecond * 2).ToString(CultureInfo.InvariantCulture),
        });
        if (host is null)
        {
            return;
        }

        var flood = new VacanciesService.VacanciesServiceClient(host.Channel(await host.PublisherKeyAsync("CAN")));
        var steady = new VacanciesService.VacanciesServiceClient(host.Channel(await host.PublisherKeyAsync("USA")));
        var query = new SearchVacanciesRequest { Country = "CAN", PageSize = 10 };
        Console.WriteLine($"Flood benchmark on {Measurement.Machine()}; host: standalone LMIS, limit {perSecond} calls/s per credential");

        // The steady caller alone first, for comparison.
        var alone = await SteadyAsync(steady, query, TimeSpan.FromSeconds(3), CancellationToken.None);
        Console.WriteLine(alone.Report("other credential, alone"));

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        long accepted = 0, refused = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        var floodTasks = Enumerable.Range(0, flooders).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await flood.SearchVacanciesAsync(query, cancellationToken: stop.Token);
                    Interlocked.Increment(ref accepted);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    Interlocked.Increment(ref refused);
                }
                catch (RpcException) when (stop.IsCancellationRequested)
                {
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }).ToArray();
        var during = await SteadyAsync(steady, query, TimeSpan.FromSeconds(seconds - 1), CancellationToken.None);
        await Task.WhenAll(floodTasks);
        clock.Stop();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"flooding credential ({flooders} callers, {clock.Elapsed.TotalSeconds:N1} s): {accepted:N0} answered ({accepted / clock.Elapsed.TotalSeconds:N0}/s), {refused:N0} refused with RESOURCE_EXHAUSTED, {failed:N0} other errors"));
        Console.WriteLine(during.Report("other credential, during the flood"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host peak memory (VmHWM): {host.PeakMemoryMb():N0} MB"));
    }

    private sealed record Steady(int Calls, int Answered, double[] Latencies)
    {
        public string Report(string name)
        {
            double Percentile(double p) => Latencies.Length == 0 ? double.NaN : Latencies[Math.Min(Latencies.Length - 1, (int)Math.Ceiling(p * Latencies.Length) - 1)];
            return string.Create(CultureInfo.InvariantCulture,
                $"{name,-36} {Answered:N0} of {Calls:N0} calls answered, p50 {Percentile(0.5):N2} ms, p99 {Percentile(0.99):N2} ms");
        }
    }

    /// <summary>20 calls a second, one at a time, for the given time.</summary>
    private static async Task<Steady> SteadyAsync(VacanciesService.VacanciesServiceClient client, SearchVacanciesRequest query, TimeSpan duration, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        var calls = 0;
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            calls++;
            var started = Stopwatch.GetTimestamp();
            try
            {
                await client.SearchVacanciesAsync(query, cancellationToken: cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (RpcException)
            {
                // Counted as not answered.
            }

            var pause = TimeSpan.FromMilliseconds(50) - Stopwatch.GetElapsedTime(started);
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, cancellationToken);
            }
        }

        latencies.Sort();
        return new Steady(calls, latencies.Count, [.. latencies]);
    }
}
