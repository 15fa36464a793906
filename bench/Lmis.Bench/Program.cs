using Lmis.Bench;

// Usage: dotnet run -c Release --project bench/Lmis.Bench -- taxonomy|vacancies [options] (see docs/benchmarks.md)
var scenario = args.FirstOrDefault();
var options = Options.Parse(args.Skip(1));
switch (scenario)
{
    case "taxonomy":
        await TaxonomyBenchmark.RunAsync(options);
        return 0;
    case "vacancy-store":
        await VacancyStoreBenchmark.RunAsync(options);
        return 0;
    case "vacancies":
        await VacanciesBenchmark.RunAsync(options);
        return 0;
    case "sdmx-csv":
        await SdmxCsvBenchmark.RunAsync(options);
        return 0;
    case "observations":
        await ObservationsBenchmark.RunAsync(options);
        return 0;
    case "occupations":
        await OccupationSuggestionBenchmark.RunAsync(options);
        return 0;
    case "cli-feed":
        await CliFeedBenchmark.RunAsync(options);
        return 0;
    case "flood":
        await FloodBenchmark.RunAsync(options);
        return 0;
    default:
        Console.Error.WriteLine("usage: Lmis.Bench taxonomy [--concepts N] [--lookups N] [--searches N] [--concurrency N]");
        Console.Error.WriteLine("       Lmis.Bench vacancies [--ingest 200000] [--stored 1000000] [--searches 2000] [--batch 10000] [--streams 2] [--peer postgres]");
        Console.Error.WriteLine("       Lmis.Bench sdmx-csv [--rows 1000000]");
        Console.Error.WriteLine("       Lmis.Bench cli-feed [--rows 1000000] [--batch 1000] [--tool-first 1]");
        Console.Error.WriteLine("       Lmis.Bench flood [--seconds 10] [--flooders 32] [--limit 200]");
        Console.Error.WriteLine("       Lmis.Bench observations [--observations 1000000] [--queries 500]");
        Console.Error.WriteLine("       Lmis.Bench occupations [--sample 2000] [--folds 10] [--seed 2026]");
        return 2;
}
