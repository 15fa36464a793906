using Lmis.Bench;

// Usage: dotnet run -c Release --project bench/Lmis.Bench -- taxonomy [--concepts 3000] [--lookups 20000] [--searches 5000]
var scenario = args.FirstOrDefault();
var options = Options.Parse(args.Skip(1));
switch (scenario)
{
    case "taxonomy":
        await TaxonomyBenchmark.RunAsync(options);
        return 0;
    default:
        Console.Error.WriteLine("usage: Lmis.Bench taxonomy [--concepts N] [--lookups N] [--searches N] [--concurrency N]");
        return 2;
}
