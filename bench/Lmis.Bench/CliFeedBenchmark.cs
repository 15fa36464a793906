using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Lmis.Contracts.Vacancies.V1;

namespace Lmis.Bench;

/// <summary>
/// What the command-line tool costs a ministry's feed: one CSV file of generated vacancies published by
/// <c>lmis vacancies publish</c> (a separate process, as an operator runs it), against the same vacancies sent by a
/// plain gRPC client written for speed — no file, no parsing, no checkpoint, no report — in the same batches
/// (one client-streaming call per 1,000 rows, one after another, as the tool sends them). Each runs against a fresh
/// standalone host, so both start from an empty store.
/// </summary>
public static class CliFeedBenchmark
{
    private const string Country = "MEX";
    private const int Seed = 2026;

    private static readonly string[] Columns =
        ["country", "source_id", "title", "description", "language", "occupation_code", "positions", "date_posted", "valid_through", "employment_type", "foreign_workers_eligible"];

    public static async Task RunAsync(Options options)
    {
        var rows = options.Number("rows", 1_000_000);
        var batch = options.Number("batch", 1_000);
        var tool = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tools", "Lmis.Cli", "bin", "Release", "net10.0", "lmis.dll"));
        if (!File.Exists(tool))
        {
            Console.Error.WriteLine($"Build the tool in Release first: dotnet build -c Release tools/Lmis.Cli ({tool} not found)");
            return;
        }

        var folder = Directory.CreateTempSubdirectory("lmis-bench-feed-");
        try
        {
            var feed = Path.Combine(folder.FullName, "vacantes.csv");
            WriteFeed(feed, rows);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Feed benchmark on {Measurement.Machine()}: {rows:N0} vacancies of {Country} ({new FileInfo(feed).Length / 1024.0 / 1024:N0} MB of CSV), batches of {batch:N0}, each run against a fresh standalone host"));

            // Either order (--tool-first 1), to tell the tool's cost from whatever the second run on the machine pays.
            Run raw, cli;
            if (options.Number("tool-first", 0) == 0)
            {
                raw = await WithFreshHostAsync(host => RawClientAsync(host, rows, batch));
                Console.WriteLine(raw.Line("raw gRPC client (in memory)", rows));
                cli = await WithFreshHostAsync(host => ToolAsync(host, tool, feed, rows, batch));
                Console.WriteLine(cli.Line("lmis vacancies publish FILE", rows));
            }
            else
            {
                cli = await WithFreshHostAsync(host => ToolAsync(host, tool, feed, rows, batch));
                Console.WriteLine(cli.Line("lmis vacancies publish FILE", rows));
                raw = await WithFreshHostAsync(host => RawClientAsync(host, rows, batch));
                Console.WriteLine(raw.Line("raw gRPC client (in memory)", rows));
            }

            var cost = (cli.Elapsed.TotalSeconds / raw.Elapsed.TotalSeconds) - 1;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"the tool's cost: {cost:P1} more time than the raw client for the same vacancies (issue target: < 10%)"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<Run> WithFreshHostAsync(Func<StandaloneHost, Task<Run>> run)
    {
        await using var host = await StandaloneHost.StartAsync() ?? throw new InvalidOperationException("the standalone host did not start");
        await VacanciesBenchmark.AmendOccupationsAsync(host);
        var cpuBefore = host.CpuTime();
        var result = await run(host);
        return result with { HostCpu = host.CpuTime() - cpuBefore };
    }

    private static async Task<Run> RawClientAsync(StandaloneHost host, int rows, int batch)
    {
        var publisher = new VacanciesService.VacanciesServiceClient(host.Channel(await host.PublisherKeyAsync(Country)));
        var random = new Random(Seed);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var created = 0;
        for (var start = 0; start < rows; start += batch)
        {
            using var call = publisher.PublishVacancies();
            for (var id = start; id < Math.Min(rows, start + batch); id++)
            {
                await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = VacanciesBenchmark.Generate(random, Country, id) });
            }

            await call.RequestStream.CompleteAsync();
            created += (await call).Created;
        }

        clock.Stop();
        return new Run(clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpuBefore, TimeSpan.Zero, created);
    }

    private static async Task<Run> ToolAsync(StandaloneHost host, string tool, string feed, int rows, int batch)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { tool, "vacancies", "publish", feed, "--server", host.GrpcUrl, "--batch", batch.ToString(CultureInfo.InvariantCulture), "--output", "json", "--quiet" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LMIS_API_KEY"] = await host.PublisherKeyAsync(Country);
        var cpuBefore = ReapedChildrenCpu();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        clock.Stop();
        // An exited process's times are gone from /proc; once reaped, they are in the children's total.
        var cpu = ReapedChildrenCpu() - cpuBefore;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"lmis exited {process.ExitCode}: {await errors}");
        }

        using var summary = JsonDocument.Parse(await output);
        var created = summary.RootElement.GetProperty("created").GetInt32();
        return created == rows ? new Run(clock.Elapsed, cpu, TimeSpan.Zero, created)
            : throw new InvalidOperationException($"lmis created {created} of {rows} vacancies: {await output}");
    }

    /// <summary>The feed as a ministry's CSV export: the same vacancies, in the same order, as the raw client sends.</summary>
    private static void WriteFeed(string path, int rows)
    {
        var random = new Random(Seed);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        writer.WriteLine(string.Join(',', Columns));
        for (var id = 0; id < rows; id++)
        {
            var v = VacanciesBenchmark.Generate(random, Country, id);
            writer.WriteLine(string.Join(',',
                v.Country, v.SourceId, Quoted(v.Title), Quoted(v.Description), v.Language, v.OccupationCode,
                v.Positions.ToString(CultureInfo.InvariantCulture), v.DatePosted, v.ValidThrough, v.EmploymentType, v.ForeignWorkersEligible ? "true" : "false"));
        }
    }

    private static TimeSpan ReapedChildrenCpu()
    {
        var usage = new long[18];
        return GetResourceUsage(-1, usage) == 0
            ? TimeSpan.FromMicroseconds((usage[0] * 1_000_000) + usage[1] + (usage[2] * 1_000_000) + usage[3])
            : TimeSpan.Zero;
    }

    // getrusage(RUSAGE_CHILDREN): user and system time of the waited-for children, as two timevals first.
    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetResourceUsage(int who, [Out] long[] usage);

    private static string Quoted(string text) => $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private sealed record Run(TimeSpan Elapsed, TimeSpan ClientCpu, TimeSpan HostCpu, int Created)
    {
        public string Line(string name, int rows) => string.Create(CultureInfo.InvariantCulture,
            $"{name}: {Created:N0} created in {Elapsed.TotalSeconds:N1} s = {rows / Elapsed.TotalSeconds:N0} rows/s; client CPU {ClientCpu.TotalMicroseconds / rows:N1} µs/row, host CPU {HostCpu.TotalMicroseconds / rows:N1} µs/row");
    }
}
