using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Lmis.Contracts.Taxonomy.V1;

namespace Lmis.Bench;

/// <summary>
/// Statistics through LMIS: each of the eleven member states uploads, with its own key, its registered jobseekers by
/// occupation (DF_JSK_OCU: both sexes and each, ISCO-08 groups of every level, monthly) as SDMX-CSV 1.0 over REST,
/// every row checked (structure, taxonomy, publisher's country) and stored with its vintage; then the secretariat's
/// regional query, one occupation across every member state over five years, and a wider one, one member state's
/// every occupation for a year; the latest figure of each series (<c>lastNObservations=1</c>); and a mirror's
/// incremental pull (<c>updatedAfter</c>) after a small revision.
/// </summary>
public static class ObservationsBenchmark
{
    private static readonly string[] Countries = ["BLZ", "CAN", "CRI", "DOM", "GTM", "HND", "MEX", "NIC", "PAN", "SLV", "USA"];
    private static readonly string[] Sexes = ["SEX_T", "SEX_M", "SEX_F"];

    public static async Task RunAsync(Options options)
    {
        var observations = options.Number("observations", 1_000_000);
        var queries = options.Number("queries", 500);
        var occupations = VacanciesBenchmark.Occupations.Select(o => o.Code).ToArray();
        var months = Math.Max(1, observations / (Countries.Length * Sexes.Length * occupations.Length));
        await using var host = await StandaloneHost.StartAsync();
        if (host is null)
        {
            return;
        }

        var amendment = new ImportSchemeVersionRequest { Scheme = "isco08", Amend = true };
        amendment.Concepts.AddRange(VacanciesBenchmark.Occupations.Select(o => new ConceptInput { Code = o.Code, ParentCode = o.Parent, Labels = { ["en"] = o.Title } }));
        await new TaxonomyService.TaxonomyServiceClient(host.Channel(host.SecretariatKey)).ImportSchemeVersionAsync(amendment);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var country in Countries)
        {
            keys[country] = await host.PublisherKeyAsync(country);
        }

        var uploads = Countries.Select(c => (Country: c, Csv: Upload(c, occupations, months))).ToArray();
        var rows = uploads.Sum(u => u.Csv.Rows);
        Console.WriteLine($"Observations benchmark on {Measurement.Machine()}; host: standalone LMIS (SQLite) as a separate process");
        using var http = new HttpClient { BaseAddress = new Uri(host.HttpUrl), Timeout = TimeSpan.FromMinutes(10) };
        var cpuBefore = host.CpuTime();
        var clock = Stopwatch.StartNew();
        foreach (var (country, csv) in uploads)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/sdmx/data") { Content = new StringContent(csv.Text, Encoding.UTF8, "text/csv") };
            request.Headers.Add("X-Api-Key", keys[country]);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || !body.Contains("\"rejected\":0", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Upload of {country} failed: {(int)response.StatusCode} {body[..Math.Min(body.Length, 500)]}");
            }
        }

        clock.Stop();
        var cpu = host.CpuTime() - cpuBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingestion: {rows:N0} observations ({Countries.Length} uploads of SDMX-CSV 1.0, {months} months x {occupations.Length} occupations x 3 sexes each) in {clock.Elapsed.TotalSeconds:N1} s = {rows / clock.Elapsed.TotalSeconds:N0} observations/s; host CPU {cpu.TotalMicroseconds / rows:N1} µs/observation; host peak memory {host.PeakMemoryMb():N0} MB"));

        var random = new Random(2026);
        var lastYear = 2000 + ((months - 1) / 12);
        string Regional(int i) =>
            $"/sdmx/data/DF_JSK_OCU/{string.Join('+', Countries)}.M.SEX_T.OCU_ISCO08_{occupations[random.Next(occupations.Length)]}?startPeriod={lastYear - 4}-01&endPeriod={lastYear}-12";
        string Wide(int i) => $"/sdmx/data/DF_JSK_OCU/{Countries[i % Countries.Length]}.M.SEX_T.?startPeriod={lastYear}-01&endPeriod={lastYear}-12";
        for (var i = 0; i < 20; i++)
        {
            await http.GetStringAsync(Regional(i));
        }

        Console.WriteLine(await Measurement.RunAsync("regional: 1 occupation, 11 countries, 5 years", queries, 1, async i => await http.GetStringAsync(Regional(i))));
        Console.WriteLine(await Measurement.RunAsync("regional: same, 4 callers", queries, 4, async i => await http.GetStringAsync(Regional(i))));
        Console.WriteLine(await Measurement.RunAsync("one country, every occupation, 1 year", Math.Max(1, queries / 5), 1, async i => await http.GetStringAsync(Wide(i))));
        string Latest(int i) =>
            $"/sdmx/data/DF_JSK_OCU/{string.Join('+', Countries)}.M.SEX_T.OCU_ISCO08_{occupations[random.Next(occupations.Length)]}?lastNObservations=1";
        Console.WriteLine(await Measurement.RunAsync("lastNObservations=1: 1 occupation, 11 countries, whole history", queries, 1, async i => await http.GetStringAsync(Latest(i))));

        // A mirror's incremental pull: a small revision (one member state, 20 figures), then what changed since before it.
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(10);
        await ReviseAsync(http, keys["PAN"], occupations, months);
        var since = $"/sdmx/data/DF_JSK_OCU/all?updatedAfter={Uri.EscapeDataString(before.ToString("O"))}";
        var changed = (await http.GetStringAsync(since)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        if (changed != RevisedFigures)
        {
            throw new InvalidOperationException($"updatedAfter answered {changed} observations; {RevisedFigures} were revised.");
        }

        Console.WriteLine(await Measurement.RunAsync($"updatedAfter: {RevisedFigures} revised of {rows:N0}, whole dataflow", queries, 1, async i => await http.GetStringAsync(since)));
        var size = host.Data.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"host peak memory (VmHWM): {host.PeakMemoryMb():N0} MB; data on disk: {size / 1024.0 / 1024:N0} MB"));
        Console.WriteLine("Targets (issue): ingestion >= 50,000 observations/s; regional cross-country query p99 < 100 ms.");
    }

    private const int RevisedFigures = 20;

    private static async Task ReviseAsync(HttpClient http, string key, string[] occupations, int months)
    {
        var text = new StringBuilder("DATAFLOW,REF_AREA,FREQ,SEX,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n");
        for (var i = 0; i < RevisedFigures; i++)
        {
            var m = months - 1 - (i % months);
            text.Append(CultureInfo.InvariantCulture,
                $"RCM:DF_JSK_OCU(1.0),PAN,M,SEX_T,OCU_ISCO08_{occupations[i / Math.Min(months, RevisedFigures)]},{2000 + (m / 12)}-{(m % 12) + 1:00},{1_000_000 + i},PS,0,A,revised\n");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/sdmx/data") { Content = new StringContent(text.ToString(), Encoding.UTF8, "text/csv") };
        request.Headers.Add("X-Api-Key", key);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || !body.Contains($"\"revised\":{RevisedFigures}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The revision failed: {(int)response.StatusCode} {body[..Math.Min(body.Length, 500)]}");
        }
    }

    private static (string Text, int Rows) Upload(string country, string[] occupations, int months)
    {
        var text = new StringBuilder("DATAFLOW,REF_AREA,FREQ,SEX,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n");
        var rows = 0;
        foreach (var sex in Sexes)
        {
            foreach (var occupation in occupations)
            {
                for (var m = 0; m < months; m++)
                {
                    text.Append(CultureInfo.InvariantCulture,
                        $"RCM:DF_JSK_OCU(1.0),{country},M,{sex},OCU_ISCO08_{occupation},{2000 + (m / 12)}-{(m % 12) + 1:00},{rows * 37 % 99991},PS,0,A,\n");
                    rows++;
                }
            }
        }

        return (text.ToString(), rows);
    }
}
