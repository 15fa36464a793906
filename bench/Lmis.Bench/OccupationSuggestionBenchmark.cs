using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using Lmis.BuildingBlocks.Messaging;
using Lmis.BuildingBlocks.Text;
using Lmis.Contracts.Classifications;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Taxonomy;
using Lmis.Taxonomy.Occupations;
using Lmis.Taxonomy.Reading;
using Lmis.Taxonomy.Schemes;

namespace Lmis.Bench;

/// <summary>
/// How well and how fast ISCO-08 unit groups are suggested for job titles, on the built-in ESCO and ISCO-08 titles
/// a fresh install releases (taxonomy service hosted in this process, SQLite store). Accuracy is measured on titles
/// held out of the index — the index is rebuilt without each fold's titles, so a title can never find itself:
/// (a) ESCO alternative titles, one at a time; (b) whole occupations, every title of each, so only sibling
/// occupations and the ISCO-08 group titles can place them. Then the share coded and its accuracy at each score
/// threshold, and the latency of one suggestion.
/// </summary>
public static class OccupationSuggestionBenchmark
{
    private static readonly double[] Thresholds = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

    private static readonly (string Title, string Language)[] Examples =
    [
        ("albañil", "es"), ("albañiles", "es"), ("directora técnica", "es"), ("enfermera", "es"), ("electrisista", "es"),
        ("aide-soignante", "fr"), ("vendeuse", "fr"), ("truck driver", "en"), ("assistant", "en"), ("software developer", "en"),
    ];

    public static async Task RunAsync(Options options)
    {
        var sample = options.Number("sample", 2000);
        var folds = options.Number("folds", 10);
        var seed = options.Number("seed", 2026);
        var data = Directory.CreateTempSubdirectory("lmis-bench-occupations-");
        var grpcPort = TaxonomyBenchmark.FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration["Lmis:DataDirectory"] = data.FullName;
        builder.UseDefaultListeningEndpoints(TaxonomyBenchmark.FreePort(), grpcPort);
        builder.AddServiceDefaults();
        builder.AddTaxonomy();
        builder.AddMessaging("bench", TaxonomyModule.AddConsumers);
        await using var app = builder.Build();
        app.MapGrpcInfrastructure();
        app.MapTaxonomy();
        await app.StartAsync();
        try
        {
            var catalog = app.Services.GetRequiredService<TaxonomyCatalog>();
            var isco = await catalog.GetAsync(SchemeIds.Isco08, null, CancellationToken.None);
            var esco = await catalog.GetAsync(SchemeIds.Esco, null, CancellationToken.None);
            var titles = OccupationTitleIndex.Titles(isco, esco).ToArray();
            Console.WriteLine($"Occupation code suggestion benchmark on {Measurement.Machine()}, {DateTime.UtcNow:yyyy-MM-dd}");
            Console.WriteLine($"built-in titles: {titles.Length:N0} (ESCO v{esco.Version.Version}: {esco.ByCode.Count:N0} occupations; ISCO-08 v{isco.Version.Version} unit-group titles)");

            var (index, buildMs, bytes) = Build(isco, esco);
            Console.WriteLine($"index: built in {buildMs:N0} ms, {bytes / 1024.0 / 1024.0:N1} MB managed memory, {index.TitleCount:N0} titles indexed");
            foreach (var (title, language) in Examples)
            {
                var top = index.Suggest(title, null, language, 3).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.UnitGroup.Code} {s.Score:N2} (\"{s.Matched.Label.Text}\")"));
                Console.WriteLine($"  [{language}] {title,-20} -> {string.Join("; ", top)}");
            }

            Console.WriteLine();

            var random = new Random(seed);
            Console.WriteLine($"(a) leave-one-title-out: {sample:N0} ESCO alternative titles sampled per language (seed {seed}), {folds} folds, index rebuilt per fold without them");
            var splitA = HeldOutTitles(isco, esco, titles, sample, folds, random);
            Print(splitA);
            foreach (var miss in splitA.Where(o => !o.Top1(4)).Take(options.Number("misses", 0)))
            {
                Console.WriteLine($"  missed: [{miss.Language}] {miss.Title} -> {string.Join(", ", miss.Suggested)} (expected {miss.Expected}, score {miss.Score:N2})");
            }

            Console.WriteLine();
            Console.WriteLine($"(b) leave-one-occupation-out: every title of the held-out occupations (all {esco.ByCode.Count:N0}, {folds} folds), index rebuilt per fold without them");
            var splitB = HeldOutOccupations(isco, esco, titles, folds, random);
            Print(splitB);
            Console.WriteLine();
            Console.WriteLine("(c) machine coding at a score threshold: share of titles whose best suggestion reaches it (coverage) and its accuracy");
            PrintThresholds("(a) titles", splitA);
            PrintThresholds("(b) occupations", splitB);
            Console.WriteLine();
            await LatencyAsync(index, splitA, app.Services.GetRequiredService<OccupationCodeSuggester>(), grpcPort);
        }
        finally
        {
            await app.StopAsync();
            data.Delete(recursive: true);
        }
    }

    private static (OccupationTitleIndex Index, double Milliseconds, long Bytes) Build(SchemeIndex isco, SchemeIndex esco)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var index = OccupationTitleIndex.Build(isco, esco);
        clock.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(index);
        return (index, clock.Elapsed.TotalMilliseconds, after - before);
    }

    /// <summary>Split (a): sampled alternative titles, each queried in its language against an index that lacks it (and its same-spelt twins in its occupation).</summary>
    private static List<Outcome> HeldOutTitles(SchemeIndex isco, SchemeIndex esco, JobTitle[] titles, int sample, int folds, Random random)
    {
        var queries = new List<JobTitle>();
        foreach (var language in TitleWords.Languages)
        {
            var alternatives = titles.Where(t => t.Esco is not null && t.Label.Kind == LabelKind.Alternative && t.Label.Language == language).ToArray();
            random.Shuffle(alternatives);
            queries.AddRange(alternatives.Take(sample));
        }

        return Folds(queries, folds, fold =>
        {
            var heldOut = fold.Select(t => (t.Esco!.Code, t.Label.Language, TextFolding.Fold(t.Label.Text))).ToHashSet();
            return OccupationTitleIndex.Build(isco, esco, t => t.Esco is null || !heldOut.Contains((t.Esco.Code, t.Label.Language, TextFolding.Fold(t.Label.Text))));
        });
    }

    /// <summary>Split (b): every occupation's every title, queried against an index without any title of that occupation.</summary>
    private static List<Outcome> HeldOutOccupations(SchemeIndex isco, SchemeIndex esco, JobTitle[] titles, int folds, Random random)
    {
        var occupations = esco.ByCode.Keys.Order(StringComparer.Ordinal).ToArray();
        random.Shuffle(occupations);
        var foldOf = occupations.Select((code, i) => (code, i)).ToDictionary(p => p.code, p => p.i % folds, StringComparer.Ordinal);
        var queries = titles.Where(t => t.Esco is not null).OrderBy(t => foldOf[t.Esco!.Code]).ToList();
        var outcomes = new List<Outcome>();
        foreach (var fold in queries.GroupBy(t => foldOf[t.Esco!.Code]))
        {
            var heldOut = fold.Select(t => t.Esco!.Code).ToHashSet(StringComparer.Ordinal);
            var index = OccupationTitleIndex.Build(isco, esco, t => t.Esco is null || !heldOut.Contains(t.Esco.Code));
            outcomes.AddRange(fold.Select(t => Ask(index, t)));
        }

        return outcomes;
    }

    private static List<Outcome> Folds(List<JobTitle> queries, int folds, Func<IReadOnlyList<JobTitle>, OccupationTitleIndex> indexWithout)
    {
        var outcomes = new List<Outcome>();
        for (var f = 0; f < folds; f++)
        {
            var fold = queries.Where((_, i) => i % folds == f).ToArray();
            var index = indexWithout(fold);
            outcomes.AddRange(fold.Select(t => Ask(index, t)));
        }

        return outcomes;
    }

    private static Outcome Ask(OccupationTitleIndex index, JobTitle title)
    {
        var suggestions = index.Suggest(title.Label.Text, null, title.Label.Language, 3);
        return new Outcome(title.Label.Text, title.Label.Language, title.UnitGroup.Code, [.. suggestions.Select(s => s.UnitGroup.Code)], suggestions.Count > 0 ? suggestions[0].Score : 0);
    }

    private static void Print(List<Outcome> outcomes)
    {
        Console.WriteLine($"  {"language",-9} {"queries",8} {"top-1 4d",9} {"top-3 4d",9} {"top-1 2d",9} {"top-3 2d",9} {"none",6}");
        foreach (var (language, group) in TitleWords.Languages.Select(l => (l, outcomes.Where(o => o.Language == l).ToList())).Append(("all", outcomes)))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {language,-9} {group.Count,8:N0} {Share(group, o => o.Top1(4)),9:P1} {Share(group, o => o.Top3(4)),9:P1} {Share(group, o => o.Top1(2)),9:P1} {Share(group, o => o.Top3(2)),9:P1} {Share(group, o => o.Suggested.Length == 0),6:P1}"));
        }
    }

    private static void PrintThresholds(string split, List<Outcome> outcomes)
    {
        Console.WriteLine($"  {split}");
        Console.WriteLine($"  {"score >=",9} {"coverage",9} {"top-1 4d",9} {"top-1 2d",9}   {"en cov/acc",14} {"es cov/acc",14} {"fr cov/acc",14}");
        foreach (var threshold in Thresholds)
        {
            var coded = outcomes.Where(o => o.Score >= threshold).ToList();
            var perLanguage = TitleWords.Languages.Select(l =>
            {
                var all = outcomes.Where(o => o.Language == l).ToList();
                var mine = coded.Where(o => o.Language == l).ToList();
                return string.Create(CultureInfo.InvariantCulture, $"{Share(all, o => o.Score >= threshold),6:P0}/{Share(mine, o => o.Top1(4)),6:P1}");
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {threshold,9:N1} {Share(outcomes, o => o.Score >= threshold),9:P1} {Share(coded, o => o.Top1(4)),9:P1} {Share(coded, o => o.Top1(2)),9:P1}   {string.Join(" ", perLanguage.Select(p => $"{p,14}"))}"));
        }
    }

    private static async Task LatencyAsync(OccupationTitleIndex index, List<Outcome> queries, OccupationCodeSuggester suggester, int grpcPort)
    {
        var titles = queries.Select(q => (q.Title, q.Language)).ToArray();

        // Measured warm: every title once beforehand (compiled code, caches), and the benchmark's own garbage collected.
        foreach (var (title, language) in titles)
        {
            index.Suggest(title, null, language, 5);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        foreach (var (name, language) in new[] { ("one language", (string?)null), ("all three languages", "all") })
        {
            var latencies = new double[titles.Length];
            for (var i = 0; i < titles.Length; i++)
            {
                var started = Stopwatch.GetTimestamp();
                index.Suggest(titles[i].Title, null, language is null ? titles[i].Language : null, 5);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            var slowest = latencies.Select((ms, i) => (ms, i)).OrderByDescending(p => p.ms).First();
            Array.Sort(latencies);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"(d) one suggestion in process, {name,-20} {titles.Length,6:N0} titles  p50 {latencies[titles.Length / 2],6:N3} ms  p99 {latencies[(int)(titles.Length * 0.99)],6:N3} ms  max {latencies[^1],7:N3} ms (\"{titles[slowest.i].Title}\")"));
        }

        await suggester.IndexAsync(CancellationToken.None);
        using var channel = GrpcChannel.ForAddress($"http://localhost:{grpcPort}");
        var client = new TaxonomyService.TaxonomyServiceClient(channel);
        for (var i = 0; i < 200; i++)
        {
            await client.SuggestOccupationCodesAsync(new SuggestOccupationCodesRequest { Title = titles[i].Title, Language = titles[i].Language });
        }

        Console.WriteLine("(d) " + await Measurement.RunAsync("SuggestOccupationCodes over gRPC", titles.Length, 1,
            i => client.SuggestOccupationCodesAsync(new SuggestOccupationCodesRequest { Title = titles[i].Title, Language = titles[i].Language }).ResponseAsync));
        Console.WriteLine("Targets: p99 < 5 ms per suggestion; index < 150 MB.");
    }

    private static double Share<T>(IReadOnlyCollection<T> items, Func<T, bool> predicate) =>
        items.Count == 0 ? 0 : (double)items.Count(predicate) / items.Count;

    private sealed record Outcome(string Title, string Language, string Expected, string[] Suggested, double Score)
    {
        public bool Top1(int digits) => Suggested.Length > 0 && Suggested[0][..digits] == Expected[..digits];

        public bool Top3(int digits) => Suggested.Take(3).Any(s => s[..digits] == Expected[..digits]);
    }
}
