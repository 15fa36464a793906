using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;

namespace Lmis.Bench;

/// <summary>
/// Vacancy feeds through the public gRPC surface of a running LMIS on its embedded default: the standalone host as
/// a separate process (SQLite files, in-memory bus; the gateway's public surface on one process). Measures bulk
/// ingestion (client-streaming feeds), search latency once a million vacancies are stored, and the host's peak
/// memory. Vacancies are generated for every RCM member state, with real ISCO-08 codes and es/en/fr text.
/// </summary>
public static class VacanciesBenchmark
{
    // Real ISCO-08 minor and unit groups (codes and English titles from the ILO structure) that vacancies are coded with.
    internal static readonly (string Code, string Parent, string Title)[] Occupations =
    [
        ("112", "11", "Managing Directors and Chief Executives"),
        ("132", "13", "Manufacturing, Mining, Construction and Distribution Managers"),
        ("221", "22", "Medical Doctors"),
        ("222", "22", "Nursing and Midwifery Professionals"),
        ("231", "23", "University and Higher Education Teachers"),
        ("233", "23", "Secondary Education Teachers"),
        ("241", "24", "Finance Professionals"),
        ("251", "25", "Software and Applications Developers and Analysts"),
        ("261", "26", "Legal Professionals"),
        ("311", "31", "Physical and Engineering Science Technicians"),
        ("322", "32", "Nursing and Midwifery Associate Professionals"),
        ("331", "33", "Financial and Mathematical Associate Professionals"),
        ("334", "33", "Administrative and Specialized Secretaries"),
        ("411", "41", "General Office Clerks"),
        ("412", "41", "Secretaries (general)"),
        ("431", "43", "Numerical Clerks"),
        ("432", "43", "Material Recording and Transport Clerks"),
        ("512", "51", "Cooks"),
        ("513", "51", "Waiters and Bartenders"),
        ("514", "51", "Hairdressers, Beauticians and Related Workers"),
        ("515", "51", "Building and Housekeeping Supervisors"),
        ("522", "52", "Shop Aalespersons"),
        ("532", "53", "Personal Care Workers in Health Services"),
        ("541", "54", "Protective Services Workers"),
        ("611", "61", "Market Gardeners and Crop Growers"),
        ("612", "61", "Animal Producers"),
        ("711", "71", "Building Frame and Related Trades Workers"),
        ("712", "71", "Building Finishers and Related Trades Workers"),
        ("721", "72", "Sheet and Structural Metal Workers, Moulders and Welders, and Related Workers"),
        ("723", "72", "Machinery Mechanics and Repairers"),
        ("741", "74", "Electrical Equipment Installers and Repairers"),
        ("751", "75", "Food Processing and Related Trades Workers"),
        ("752", "75", "Wood Treaters, Cabinet-makers and Related Trades Workers"),
        ("816", "81", "Food and Related Products Machine Operators"),
        ("832", "83", "Car, Van and Motorcycle Drivers"),
        ("833", "83", "Heavy Truck and Bus Drivers"),
        ("834", "83", "Mobile Plant Operators"),
        ("911", "91", "Domestic, Hotel and Office Cleaners and Helpers"),
        ("921", "92", "Agricultural, Forestry and Fishery Labourers"),
        ("931", "93", "Mining and Construction Labourers"),
        ("932", "93", "Manufacturing Labourers"),
        ("933", "93", "Transport and Storage Labourers"),
        ("941", "94", "Food Preparation Assistants"),
        ("1120", "112", "Managing Directors and Chief Executives"),
        ("1321", "132", "Manufacturing Managers"),
        ("2211", "221", "Generalist Medical Practitioners"),
        ("2221", "222", "Nursing Professionals"),
        ("2222", "222", "Midwifery Professionals"),
        ("2310", "231", "University and Higher Education Teachers"),
        ("2330", "233", "Secondary Education Teachers"),
        ("2411", "241", "Accountants"),
        ("2512", "251", "Software Developers"),
        ("2611", "261", "Lawyers"),
        ("3112", "311", "Civil Engineering Technicians"),
        ("3221", "322", "Nursing Associate Professionals"),
        ("3313", "331", "Accounting Associate Professionals"),
        ("3343", "334", "Administrative and Executive Secretaries"),
        ("4110", "411", "General Office Clerks"),
        ("4120", "412", "Secretaries (general)"),
        ("4311", "431", "Accounting and Bookkeeping Clerks"),
        ("4321", "432", "Stock Clerks"),
        ("5120", "512", "Cooks"),
        ("5131", "513", "Waiters"),
        ("5141", "514", "Hairdressers"),
        ("5153", "515", "Building Caretakers"),
        ("5223", "522", "Shop Sales Assistants"),
        ("5321", "532", "Health Care Assistants"),
        ("5322", "532", "Home-based Personal Care Workers"),
        ("5414", "541", "Security Guards"),
        ("6111", "611", "Field Crop and Vegetable Growers"),
        ("6112", "611", "Tree and Shrub Crop Growers"),
        ("6121", "612", "Livestock and Dairy Producers"),
        ("7112", "711", "Bricklayers and Related Workers"),
        ("7115", "711", "Carpenters and Joiners"),
        ("7122", "712", "Floor Layers and Tile Setters"),
        ("7126", "712", "Plumbers and Pipe Fitters"),
        ("7212", "721", "Welders and Flame Cutters"),
        ("7231", "723", "Motor Vehicle Mechanics and Repairers"),
        ("7411", "741", "Building and Related Electricians"),
        ("7512", "751", "Bakers, Pastry-cooks and Confectionery Makers"),
        ("7522", "752", "Cabinet-makers and Related Workers"),
        ("8160", "816", "Food and Related Products Machine Operators"),
        ("8322", "832", "Car, Taxi and Van Drivers"),
        ("8332", "833", "Heavy Truck and Lorry Drivers"),
        ("8343", "834", "Crane, hoist and related plant operators"),
        ("9111", "911", "Domestic Cleaners and Helpers"),
        ("9112", "911", "Cleaners and Helpers in Offices, Hotels and Other Establishments"),
        ("9211", "921", "Crop Farm Labourers"),
        ("9212", "921", "Livestock Farm Labourers"),
        ("9312", "931", "Civil Engineering Labourers"),
        ("9321", "932", "Hand Packers"),
        ("9333", "933", "Freight Handlers"),
        ("9412", "941", "Kitchen Helpers"),
    ];

    private static readonly string[] Countries = ["BLZ", "CAN", "CRI", "DOM", "SLV", "GTM", "HND", "MEX", "NIC", "PAN", "USA"];

    private static readonly Dictionary<string, (string[] Titles, string[] Descriptions)> Text = new(StringComparer.Ordinal)
    {
        ["es"] = (["Se solicita", "Vacante de", "Oportunidad para", "Contratación inmediata:"],
            ["Experiencia mínima de un año. Jornada completa, prestaciones de ley.", "Trabajo en zona rural, transporte incluido. Se ofrece capacitación.",
             "Turno nocturno disponible; se valora conocimiento de inglés.", "Empresa líder en el sector busca personal responsable y puntual."]),
        ["en"] = (["Hiring", "Vacancy:", "Job opening for", "Immediate start:"],
            ["At least one year of experience. Full time with benefits.", "Rural work site, transport provided. Training offered.",
             "Night shift available; Spanish is an asset.", "Leading employer seeks reliable and punctual staff."]),
        ["fr"] = (["Nous recrutons", "Poste de", "Offre d'emploi :", "Embauche immédiate :"],
            ["Au moins un an d'expérience. Temps plein avec avantages.", "Travail en zone rurale, transport fourni. Formation offerte.",
             "Quart de nuit disponible ; l'espagnol est un atout.", "Employeur de premier plan cherche personnel fiable et ponctuel."]),
    };

    public static async Task RunAsync(Options options)
    {
        var ingest = options.Number("ingest", 200_000);
        var stored = options.Number("stored", 1_000_000);
        var searches = options.Number("searches", 2_000);
        var batch = options.Number("batch", 10_000);
        var streams = options.Number("streams", 2);
        var peer = options.Text("peer");
        if (ingest % batch != 0 || stored % batch != 0)
        {
            throw new ArgumentException($"--ingest and --stored are whole numbers of feeds of --batch {batch}");
        }

        if (peer is not null and not "postgres")
        {
            throw new ArgumentException($"--peer {peer}: the only peer is postgres");
        }

        // Said before the long LMIS phase, not after it.
        if (peer is not null && PostgresPeer.Missing() is { } missing)
        {
            Console.Error.WriteLine(missing);
            return;
        }

        if (options.Text("stack") is "distributed")
        {
            await RunDistributedAsync(ingest, batch, streams);
            return;
        }

        await using var host = await StandaloneHost.StartAsync();
        if (host is null)
        {
            return;
        }

        var channel = host.Channel(null);
        await AmendOccupationsAsync(host);
        var client = new VacanciesService.VacanciesServiceClient(channel);

        var publishers = await PublishersAsync(host);

        Console.WriteLine($"Vacancies benchmark on {Measurement.Machine()}; host: standalone LMIS (SQLite, in-memory bus) as a separate process");
        if (options.Number("indexes", 0) == 1)
        {
            foreach (var rate in RawStoreLimit.EachIndex(ingest / batch, batch))
            {
                Console.WriteLine(rate);
            }
        }

        // The limit first, on the same machine in the same run: the rate the product is judged against.
        var limit = RawStoreLimit.Measure(ingest / batch, batch);
        Console.WriteLine(limit);
        var random = new Random(2026);
        var cpuBefore = host.CpuTime();
        var clock = Stopwatch.StartNew();
        await IngestAsync(publishers, 0, ingest / batch, batch, streams);
        clock.Stop();
        var cpuIngest = host.CpuTime() - cpuBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bulk ingestion: {ingest:N0} new vacancies in {clock.Elapsed.TotalSeconds:N1} s = {ingest / clock.Elapsed.TotalSeconds:N0} vacancies/s ({streams} concurrent feeds of {batch:N0}); host CPU {cpuIngest.TotalMicroseconds / ingest:N0} µs/vacancy; host peak memory so far {host.PeakMemoryMb():N0} MB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingestion / raw SQLite limit: {ingest / clock.Elapsed.TotalSeconds / limit.PerSecond:P0} of {limit.PerSecond:N0}/s (goal: at least 80 %); host CPU {cpuIngest.TotalMicroseconds / ingest / limit.CpuMicrosecondsPerRow:N1}× the raw store's"));

        if (stored > ingest)
        {
            var fill = Stopwatch.StartNew();
            await IngestAsync(publishers, ingest / batch, (stored - ingest) / batch, batch, streams);
            fill.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"filled to {stored:N0} stored vacancies: {stored - ingest:N0} more in {fill.Elapsed.TotalSeconds:N1} s = {(stored - ingest) / fill.Elapsed.TotalSeconds:N0} vacancies/s"));
        }

        // Searches are measured once the events of the feeds have been delivered, as in steady operation.
        var drain = await UntilCountedAsync(channel, stored);
        var cpuAll = host.CpuTime() - cpuBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"events of all {Math.Max(stored, ingest):N0} vacancies counted by the statistics service {drain.TotalSeconds:N0} s after the last feed ended; host CPU until then {cpuAll.TotalMicroseconds / Math.Max(stored, ingest):N0} µs/vacancy"));
        var queries = FilterSearches(random);
        for (var i = 0; i < 50; i++)
        {
            await client.SearchVacanciesAsync(queries[i % queries.Length]);
        }

        var measured = new List<Measured>();
        Measured Print(Measured result)
        {
            Console.WriteLine(result);
            measured.Add(result);
            return result;
        }

        Print(await Measurement.RunAsync("search country + ISCO prefix + open", searches, 1,
            i => client.SearchVacanciesAsync(queries[i % queries.Length]).ResponseAsync));
        Print(await Measurement.RunAsync("search country + ISCO prefix + open", searches, 4,
            i => client.SearchVacanciesAsync(queries[i % queries.Length]).ResponseAsync));
        var textSearches = TextSearches(random);
        Print(await Measurement.RunAsync("search free text (es/en/fr) + country [+ ISCO prefix]", Math.Max(1, searches / 4), 1,
            i => client.SearchVacanciesAsync(textSearches[i % textSearches.Length]).ResponseAsync));
        Print(await Measurement.RunAsync("search free text (es/en/fr) + country [+ ISCO prefix]", Math.Max(1, searches / 4), 4,
            i => client.SearchVacanciesAsync(textSearches[i % textSearches.Length]).ResponseAsync));
        foreach (var (name, requests, calls, concurrency) in WordSearchKinds(textSearches, searches))
        {
            Print(await Measurement.RunAsync(name, calls, concurrency, i => client.SearchVacanciesAsync(requests[i % requests.Length]).ResponseAsync));
        }
        var size = host.DataFiles().Sum(f => f.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"host peak memory (VmHWM): {host.PeakMemoryMb():N0} MB; data on disk: {size / 1024.0 / 1024:N0} MB"));
        Console.WriteLine("Targets (issue): ingestion >= 10,000 vacancies/s sustained for 200,000; search p99 < 50 ms at 1,000,000 stored.");
        if (peer is not null)
        {
            await RunPostgresPeerAsync(host, client, Math.Max(stored, ingest) / batch, batch, streams, searches, queries, textSearches, measured);
        }
    }

    /// <summary>Searches by member state, ISCO-08 prefix (2 digits) and status open, as LMIS is asked them.</summary>
    internal static SearchVacanciesRequest[] FilterSearches(Random random) => [.. Enumerable.Range(0, 256).Select(_ => new SearchVacanciesRequest
    {
        Country = Countries[random.Next(Countries.Length)],
        Occupation = Occupations[random.Next(Occupations.Length)].Code[..2],
        Status = "open",
        PageSize = 50,
    })];

    /// <summary>
    /// Words each found in about a fifth of the vacancies of their language, with any member state (also those that
    /// publish in another language: nothing to find, the hardest case for an index walked newest first).
    /// </summary>
    internal static SearchVacanciesRequest[] TextSearches(Random random) => [.. Enumerable.Range(0, 256).Select(i => new SearchVacanciesRequest
    {
        Country = Countries[i % Countries.Length],
        Text = (i / Countries.Length % 5) switch { 0 => "capacitacion", 1 => "turno nocturno", 2 => "training offered", 3 => "formation", _ => "zona rural transporte" },
        Occupation = i % 3 == 0 ? Occupations[random.Next(Occupations.Length)].Code[..2] : string.Empty,
    })];

    /// <summary>Each member state's ministry sends its own feeds with its own key.</summary>
    private static async Task<Dictionary<string, VacanciesService.VacanciesServiceClient>> PublishersAsync(LmisUnderTest host)
    {
        var publishers = new Dictionary<string, VacanciesService.VacanciesServiceClient>(StringComparer.Ordinal);
        foreach (var country in Countries)
        {
            publishers[country] = new VacanciesService.VacanciesServiceClient(host.Channel(await host.PublisherKeyAsync(country)));
        }

        return publishers;
    }

    /// <summary>How long after the last feed the statistics service counts <paramref name="total"/> open vacancies (at most 10 minutes).</summary>
    private static async Task<TimeSpan> UntilCountedAsync(Grpc.Net.Client.GrpcChannel channel, int total)
    {
        var drain = Stopwatch.StartNew();
        var statistics = new Lmis.Contracts.Statistics.V1.StatisticsService.StatisticsServiceClient(channel);
        while ((await statistics.GetVacancyCountsAsync(new Lmis.Contracts.Statistics.V1.GetVacancyCountsRequest())).TotalOpenVacancies < total
            && drain.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(250);
        }

        return drain.Elapsed;
    }

    /// <summary>
    /// The same ingestion through the gateway of the distributed stack (separate processes, RabbitMQ), beside the raw
    /// limit of the same run: the figure a ministry's production deployment would see on one machine.
    /// </summary>
    private static async Task RunDistributedAsync(int ingest, int batch, int streams)
    {
        await using var host = await DistributedStackHost.StartAsync();
        if (host is null)
        {
            return;
        }

        await AmendOccupationsAsync(host);
        var publishers = await PublishersAsync(host);

        Console.WriteLine($"Vacancies benchmark on {Measurement.Machine()}; distributed stack: gateway, taxonomy, vacancies, statistics as separate processes (SQLite each), RabbitMQ");
        var limit = RawStoreLimit.Measure(ingest / batch, batch);
        Console.WriteLine(limit);
        var cpuBefore = host.CpuTime();
        var clock = Stopwatch.StartNew();
        await IngestAsync(publishers, 0, ingest / batch, batch, streams);
        clock.Stop();
        var cpuIngest = host.CpuTime() - cpuBefore;
        var behind = await UntilCountedAsync(host.Channel(null), ingest);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bulk ingestion through the gateway: {ingest:N0} new vacancies in {clock.Elapsed.TotalSeconds:N1} s = {ingest / clock.Elapsed.TotalSeconds:N0} vacancies/s ({streams} concurrent feeds of {batch:N0}); LMIS processes' CPU {cpuIngest.TotalMicroseconds / ingest:N0} µs/vacancy"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingestion / raw SQLite limit: {ingest / clock.Elapsed.TotalSeconds / limit.PerSecond:P0} of {limit.PerSecond:N0}/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"events of all {ingest:N0} vacancies counted by the statistics service {behind.TotalSeconds:N0} s after the last feed ended"));
        Console.WriteLine($"peak memory (VmHWM): {host.PeakMemoryByProcess()}; total {host.PeakMemoryMb():N0} MB");
    }

    /// <summary>
    /// Words alone and words with filters, newest first and by relevance, in es/en/fr: a pair of words each common but
    /// rarely together (an occupation in the title, a shift in the description: ~0.5 % of a language's vacancies), a
    /// word in a fifth of them, and the text searches above. A ranked search scores up to 2,000 matches, so it is asked
    /// fewer times.
    /// </summary>
    internal static (string Name, SearchVacanciesRequest[] Requests, int Calls, int Concurrency)[] WordSearchKinds(
        SearchVacanciesRequest[] textSearches, int searches)
    {
        static SearchVacanciesRequest[] Words(string order, params string[] texts) =>
            [.. texts.Select(text => new SearchVacanciesRequest { Text = text, Order = order })];
        var ranked = textSearches.Select(s => new SearchVacanciesRequest(s) { Order = "relevance" }).ToArray();
        return
        [
            ("search rare word pair (es/en/fr), newest first", Words("newest", "crane nocturno", "bakers night", "cleaners nuit"), Math.Max(1, searches / 4), 1),
            ("search rare word pair (es/en/fr), ranked (BM25)", Words("relevance", "crane nocturno", "bakers night", "cleaners nuit"), Math.Max(1, searches / 10), 1),
            ("search common word (es/en/fr), newest first", Words("newest", "capacitacion", "training", "formation"), Math.Max(1, searches / 4), 1),
            ("search common word (es/en/fr), ranked (BM25)", Words("relevance", "capacitacion", "training", "formation"), Math.Max(1, searches / 20), 1),
            ("search free text (es/en/fr) + country [+ ISCO prefix], ranked (BM25)", ranked, Math.Max(1, searches / 10), 1),
            ("search free text (es/en/fr) + country [+ ISCO prefix], ranked (BM25)", ranked, Math.Max(1, searches / 10), 4),
        ];
    }

    /// <summary>
    /// PostgreSQL 15 loaded with the vacancies LMIS holds, checked to find as many as LMIS for the same searches, then
    /// measured the same way once the LMIS host has stopped; then both sides in one table.
    /// </summary>
    private static async Task RunPostgresPeerAsync(
        StandaloneHost host, VacanciesService.VacanciesServiceClient client, int feeds, int batch, int streams, int searches,
        SearchVacanciesRequest[] queries, SearchVacanciesRequest[] textSearches, List<Measured> lmis)
    {
        await using var postgres = await PostgresPeer.StartAsync();
        await postgres.LoadAsync(feeds, batch, streams);

        // The first searches of each kind cover every member state, word and (for text) with and without occupation.
        var differences = new List<string>();
        var compared = queries.Take(2 * Countries.Length).Concat(textSearches.Take(5 * Countries.Length)).ToArray();
        foreach (var search in compared)
        {
            var lmisTotal = (await client.SearchVacanciesAsync(new SearchVacanciesRequest(search) { IncludeTotal = true, PageSize = 1 })).Total;
            var postgresTotal = await postgres.CountAsync(search);
            if (lmisTotal != postgresTotal)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture,
                    $"'{search.Text}' {search.Country} {search.Occupation}: LMIS {lmisTotal:N0}, PostgreSQL {postgresTotal:N0}"));
            }
        }

        Console.WriteLine($"postgres: matches counted by both sides: the same for {compared.Length - differences.Count} of {compared.Length} searches"
            + (differences.Count == 0 ? string.Empty : $"; differences: {string.Join("; ", differences)}"));
        await host.DisposeAsync();
        Console.WriteLine("postgres: LMIS host stopped; PostgreSQL is measured with the machine to itself");

        for (var i = 0; i < 50; i++)
        {
            await postgres.SearchAsync(queries[i % queries.Length]);
        }

        var measured = new List<Measured>();
        async Task Measure(string name, int calls, int concurrency, SearchVacanciesRequest[] requests)
        {
            var result = await Measurement.RunAsync(name, calls, concurrency, i => postgres.SearchAsync(requests[i % requests.Length]));
            Console.WriteLine("postgres: " + result);
            measured.Add(result);
        }

        await Measure("search country + ISCO prefix + open", searches, 1, queries);
        await Measure("search country + ISCO prefix + open", searches, 4, queries);
        await Measure("search free text (es/en/fr) + country [+ ISCO prefix]", Math.Max(1, searches / 4), 1, textSearches);
        await Measure("search free text (es/en/fr) + country [+ ISCO prefix]", Math.Max(1, searches / 4), 4, textSearches);
        foreach (var (name, requests, calls, concurrency) in WordSearchKinds(textSearches, searches))
        {
            await Measure(name, calls, concurrency, requests);
        }

        // The plans of the slowest of the first searches of each kind (text: newest first and ranked).
        async Task<(SearchVacanciesRequest Search, string Described, double Milliseconds)> Slowest(IEnumerable<SearchVacanciesRequest> candidates)
        {
            var slowest = (Search: new SearchVacanciesRequest(), Milliseconds: -1.0);
            foreach (var search in candidates)
            {
                var started = Stopwatch.GetTimestamp();
                await postgres.SearchAsync(search);
                if (Stopwatch.GetElapsedTime(started).TotalMilliseconds is var milliseconds && milliseconds > slowest.Milliseconds)
                {
                    slowest = (search, milliseconds);
                }
            }

            var described = (slowest.Search.Text.Length > 0 ? $"'{slowest.Search.Text}' in " : string.Empty) + slowest.Search.Country
                + (slowest.Search.Occupation.Length > 0 ? $", ISCO {slowest.Search.Occupation}" : string.Empty);
            return (slowest.Search, described, slowest.Milliseconds);
        }

        var text = await Slowest(textSearches.Take(5 * Countries.Length));
        var filter = await Slowest(queries.Take(2 * Countries.Length));
        var plans = Path.Combine(Path.GetTempPath(), "lmis-peer-plans.txt");
        await File.WriteAllTextAsync(plans, string.Join(Environment.NewLine,
            string.Create(CultureInfo.InvariantCulture, $"-- slowest free-text search: {text.Described}, newest first ({text.Milliseconds:N1} ms)"),
            await postgres.PlanAsync(text.Search),
            "-- the same, ranked by ts_rank_cd",
            await postgres.PlanAsync(text.Search, ranked: true),
            string.Create(CultureInfo.InvariantCulture, $"-- slowest search by country + ISCO prefix + open: {filter.Described} ({filter.Milliseconds:N1} ms)"),
            await postgres.PlanAsync(filter.Search)));
        Console.WriteLine($"postgres: EXPLAIN (ANALYZE, BUFFERS) of the slowest searches ({text.Described}; {filter.Described}) in {plans}");

        Console.WriteLine();
        Console.WriteLine("| query kind | callers | LMIS p50 / p99 (ms) | PostgreSQL p50 / p99 (ms) |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var result in measured)
        {
            var same = lmis.FirstOrDefault(l => l.Name == result.Name && l.Concurrency == result.Concurrency);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {result.Name} | {result.Concurrency} | {(same is null ? "—" : $"{same.P50:N2} / {same.P99:N2}")} | {result.P50:N2} / {result.P99:N2} |"));
        }
    }

    /// <summary>Gives the generated vacancies' occupations the English titles above, as a secretariat would amend ISCO-08.</summary>
    internal static async Task AmendOccupationsAsync(LmisUnderTest host)
    {
        var taxonomy = new TaxonomyService.TaxonomyServiceClient(host.Channel(host.SecretariatKey));
        var amendment = new ImportSchemeVersionRequest { Scheme = "isco08", Amend = true };
        amendment.Concepts.AddRange(Occupations.Select(o => new ConceptInput { Code = o.Code, ParentCode = o.Parent, Labels = { ["en"] = o.Title } }));
        await taxonomy.ImportSchemeVersionAsync(amendment);
    }

    private static async Task IngestAsync(
        Dictionary<string, VacanciesService.VacanciesServiceClient> publishers, int firstFeed, int feeds, int batch, int streams)
    {
        var next = firstFeed;
        await Task.WhenAll(Enumerable.Range(0, streams).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) - 1 is var feed && feed < firstFeed + feeds)
            {
                var (country, vacancies) = Feed(feed, batch);
                using var call = publishers[country].PublishVacancies();
                foreach (var vacancy in vacancies)
                {
                    await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = vacancy });
                }

                await call.RequestStream.CompleteAsync();
                var response = await call;
                if (response.Rejected > 0)
                {
                    throw new InvalidOperationException($"{response.Rejected} generated vacancies were rejected: {response.Results.First(r => r.Errors.Count > 0).Errors[0]}");
                }
            }
        }));
    }

    /// <summary>
    /// The vacancies of one generated feed: its member state and its vacancies depend on the feed's number only, so
    /// the raw store and the peer database load exactly what LMIS was sent, whatever the order feeds were sent in.
    /// </summary>
    internal static (string Country, IEnumerable<Vacancy> Vacancies) Feed(int feed, int batch)
    {
        var country = Countries[feed % Countries.Length];
        return (country, Vacancies());

        IEnumerable<Vacancy> Vacancies()
        {
            var random = new Random(2026 + feed);
            for (var i = 0; i < batch; i++)
            {
                yield return Generate(random, country, (feed * batch) + i);
            }
        }
    }

    internal static Vacancy Generate(Random random, string country, int id)
    {
        var language = country switch { "CAN" => id % 3 == 0 ? "fr" : "en", "USA" or "BLZ" => "en", _ => "es" };
        var (titles, descriptions) = Text[language];
        var occupation = Occupations[random.Next(Occupations.Length)];
        while (occupation.Code.Length < 4)
        {
            occupation = Occupations[random.Next(Occupations.Length)];
        }

        var posted = new DateOnly(2026, 1, 1).AddDays(random.Next(300));
        return new Vacancy
        {
            Country = country,
            SourceId = $"BENCH-{id:D8}",
            Title = $"{titles[random.Next(titles.Length)]} {occupation.Title}",
            Description = descriptions[random.Next(descriptions.Length)],
            Language = language,
            OccupationCode = occupation.Code,
            Positions = 1 + random.Next(5),
            DatePosted = posted.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ValidThrough = posted.AddDays(400).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            EmploymentType = random.Next(4) == 0 ? "seasonal" : "permanent",
            ForeignWorkersEligible = random.Next(5) == 0,
        };
    }
}
