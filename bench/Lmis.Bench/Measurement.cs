using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Lmis.Bench;

public sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(IEnumerable<string> args)
    {
        var list = args.ToArray();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < list.Length; i += 2)
        {
            values[list[i].TrimStart('-')] = list[i + 1];
        }

        return new Options(values);
    }

    public int Number(string name, int fallback) =>
        values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public string? Text(string name) => values.GetValueOrDefault(name);
}

/// <summary>Latencies of many calls, made by a number of concurrent callers, and what they add up to.</summary>
public static class Measurement
{
    public static async Task<Measured> RunAsync(string name, int calls, int concurrency, Func<int, Task> call)
    {
        var latencies = new double[calls];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < calls)
            {
                var started = Stopwatch.GetTimestamp();
                await call(i);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        clock.Stop();
        Array.Sort(latencies);
        double Percentile(double p) => latencies[Math.Min(calls - 1, (int)Math.Ceiling(p * calls) - 1)];
        return new Measured(name, calls, concurrency, calls / clock.Elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99), latencies[^1]);
    }

    public static string Machine() =>
        $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, "
        + $"{(Debugger.IsAttached ? "debugger attached, " : string.Empty)}{(IsRelease() ? "Release" : "Debug (figures not representative)")} build";

    private static bool IsRelease() =>
        typeof(Measurement).Assembly.GetCustomAttributes(false).OfType<DebuggableAttribute>().All(d => !d.IsJITOptimizerDisabled);
}

/// <summary>What <see cref="Measurement.RunAsync"/> found; printed as one line, kept for comparisons.</summary>
public sealed record Measured(string Name, int Calls, int Concurrency, double CallsPerSecond, double P50, double P99, double Max)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-34} {Calls,8} calls  concurrency {Concurrency,3}  {CallsPerSecond,10:N0} calls/s  p50 {P50,7:N3} ms  p99 {P99,7:N3} ms  max {Max,8:N3} ms");
}
