using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Grpc.Core;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests.Cli;

/// <summary>Every test of the lmis command shares one standalone host, one test at a time (one restarts it).</summary>
[CollectionDefinition(Name)]
public sealed class LmisCommandCollection : ICollectionFixture<StandaloneStack>
{
    public const string Name = "lmis command";
}

/// <summary>What one run of the lmis command answered.</summary>
public sealed record LmisRun(int ExitCode, string Output, string Errors)
{
    public string All => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Errors}";

    public JsonElement Summary() => JsonDocument.Parse(Output).RootElement;
}

/// <summary>
/// The built lmis tool run as a separate process, as a data team's scheduled job runs it: its own configuration
/// folder, no key unless the test gives one, output to pipes (so never a terminal).
/// </summary>
public sealed class LmisCommand(string configFolder)
{
    public ProcessStartInfo StartInfo(string? apiKey, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in new[] { "LMIS_API_KEY", "LMIS_PROFILE", "LMIS_SERVER", "NO_COLOR" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["XDG_CONFIG_HOME"] = configFolder;
        if (apiKey is not null)
        {
            start.Environment["LMIS_API_KEY"] = apiKey;
        }

        start.ArgumentList.Add(Repository.Binary("tools/Lmis.Cli", "lmis"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    public async Task<LmisRun> RunAsync(string? apiKey, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(apiKey, arguments))!;
        return await FinishAsync(process);
    }

    public static async Task<LmisRun> FinishAsync(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new LmisRun(process.ExitCode, await output, await errors);
    }
}

/// <summary>Vacancy feeds for the tests, each under a word no other test uses, so that a search finds exactly its rows.</summary>
public static class VacancyFeedFiles
{
    public const string Header = "country,source_id,title,description,occupation_code,positions";

    /// <summary>A run-unique word (letters only, so search reads it as one word).</summary>
    public static string NewBatchWord() => "lote" + new string(Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(8).ToArray()).PadRight(8, 'x');

    /// <summary>
    /// A CSV feed of Mexican bricklayer vacancies. A row index in <paramref name="unknownOccupation"/> has an occupation
    /// code the taxonomy does not know (refused by the server), one in <paramref name="notANumber"/> positions the
    /// command cannot read as a number (refused before sending). Returns the line of each row (header on line 1).
    /// </summary>
    public static void WriteCsv(string path, string word, int rows, ISet<int>? unknownOccupation = null, ISet<int>? notANumber = null)
    {
        var text = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < rows; i++)
        {
            var code = unknownOccupation?.Contains(i) == true ? "9999" : "7112";
            var positions = notANumber?.Contains(i) == true ? "tres" : ((i % 5) + 1).ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"MEX,{SourceId(word, i)},Albañil,\"Obra en Monterrey, {word}\",{code},{positions}\n");
        }

        File.WriteAllText(path, text.ToString());
    }

    public static string SourceId(string word, int row) => $"{word}-{row:D5}";

    /// <summary>The report's rows: line, source_id, field, value, reason, kind.</summary>
    public static List<Dictionary<string, string>> ReadReport(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var rows = new List<Dictionary<string, string>>();
        csv.Read();
        csv.ReadHeader();
        while (csv.Read())
        {
            rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h) ?? string.Empty));
        }

        return rows;
    }

    /// <summary>Every stored vacancy of the feed with that word, whatever its status.</summary>
    public static async Task<List<Vacancy>> StoredAsync(IRunningStack stack, string word)
    {
        using var channel = stack.Grpc();
        var client = new VacanciesService.VacanciesServiceClient(channel);
        var found = new List<Vacancy>();
        var token = string.Empty;
        do
        {
            var page = await client.SearchVacanciesAsync(new SearchVacanciesRequest
            {
                Country = "MEX",
                Text = word,
                Status = "all",
                PageSize = 200,
                PageToken = token,
            }, cancellationToken: TestContext.Current.CancellationToken);
            found.AddRange(page.Vacancies);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return found;
    }

    public static async Task<Vacancy?> GetAsync(IRunningStack stack, string sourceId)
    {
        using var channel = stack.Grpc();
        try
        {
            return await new VacanciesService.VacanciesServiceClient(channel).GetVacancyAsync(
                new GetVacancyRequest { Country = "MEX", SourceId = sourceId }, cancellationToken: TestContext.Current.CancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }
}
