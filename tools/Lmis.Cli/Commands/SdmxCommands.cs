using System.CommandLine;
using Google.Protobuf;
using Lmis.Cli.Progress;
using Lmis.Cli.Transport;
using Lmis.Contracts.Statistics.V1;

namespace Lmis.Cli.Commands;

/// <summary>
/// <c>lmis sdmx upload|check FILE</c> and <c>lmis sdmx get FLOW KEY</c>: a statistics office's SDMX files sent to the
/// statistics service (docs/statistics.md) and its figures taken out again in any format the service writes.
/// </summary>
public static class SdmxCommands
{
    /// <summary>The formats of <c>get</c>, by the names users know them, and the service's <c>format=</c> for each.</summary>
    private static readonly Dictionary<string, string> Formats = new(StringComparer.Ordinal)
    {
        ["sdmx-csv"] = "csv",
        ["sdmx-csv-1.0"] = "sdmx-csv-1.0",
        ["sdmx-json"] = "json",
        ["sdmx-ml"] = "structurespecificdata",
        ["sdmx-ml-generic"] = "genericdata",
        ["plain-csv"] = "plain-csv",
    };

    private const string PublisherHint = "set LMIS_API_KEY or --key-file to a publisher key of the figures' member state";

    public static Command Create()
    {
        var sdmx = new Command("sdmx", "statistics in SDMX: upload or check an SDMX-CSV or SDMX-ML file, get a dataflow's data");
        sdmx.Subcommands.Add(Upload("upload", check: false,
            "send an SDMX-CSV (1.0, 2.0) or SDMX-ML 2.1 file in chunks, with progress: added, revised, unchanged, refused"));
        sdmx.Subcommands.Add(Upload("check", check: true,
            "check an SDMX file by every rule of an upload, storing nothing: which rows would be refused, and why"));
        sdmx.Subcommands.Add(Get());
        return sdmx;
    }

    private static Command Upload(string name, bool check, string description)
    {
        var file = new Argument<string>("FILE") { Description = "SDMX-CSV 1.0 or 2.0, or SDMX-ML 2.1 (docs/statistics.md)" };
        var mode = new Option<string>("--mode")
        {
            Description = "row-by-row (every valid row stored, the others refused) or all-or-nothing (nothing stored unless every row is valid)",
            DefaultValueFactory = _ => "row-by-row",
        };
        mode.AcceptOnlyFromAmong("row-by-row", "all-or-nothing");
        var chunk = new Option<int>("--chunk-kib") { Description = "KiB of the file per message of the stream", DefaultValueFactory = _ => 256 };
        chunk.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 2048)
            {
                r.AddError("--chunk-kib must be from 1 to 2048 (a message is at most 4 MiB)");
            }
        });
        var command = new Command(name, description) { file, mode, chunk };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CommandFailedException(ExitCodes.Usage, $"{path}: no such file");
            }

            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            var client = new StatisticsService.StatisticsServiceClient(connection.Invoker);
            var first = new ObservationUploadChunk { AllOrNothing = parse.GetValue(mode) == "all-or-nothing", ValidateOnly = check };
            await using var content = File.OpenRead(path);
            return await Refusals.ExplainAsync(async () =>
            {
                var result = await UploadProgress.ShowAsync(UploadProgress.IsLive(parse.GetValue(GlobalOptions.Quiet)), name, Path.GetFileName(path), content.Length,
                    report => SendAsync(client, connection, content, first, parse.GetValue(chunk) * 1024, report, cancellationToken));
                foreach (var error in result.Errors)
                {
                    Console.Error.WriteLine($"  {error.Field}: '{error.Value}': {error.Reason}");
                }

                Answers.Fields(parse.GetValue(GlobalOptions.Output)!,
                [
                    ("mode", name), ("file", path), ("dataflow", result.Dataflow), ("received", result.Received),
                    .. check
                        ? new (string, object?)[] { ("valid", result.Received - result.Rejected) }
                        : [("added", result.Added), ("revised", result.Revised), ("unchanged", result.Unchanged)],
                    ("refused", result.Rejected), ("stored", result.Stored),
                    ("mapping", result.Mapping.Length > 0 ? $"{result.Mapping} (from {result.MappedFrom})" : null),
                ]);
                return result.Rejected > 0 ? ExitCodes.Refused : ExitCodes.Ok;
            }, path, connection, PublisherHint, cancellationToken);
        });
        return command;
    }

    /// <summary>The file as a client stream of chunks; the first carries the mode (the service reads it from there).</summary>
    private static async Task<ObservationUploadResult> SendAsync(StatisticsService.StatisticsServiceClient client, LmisConnection connection,
        Stream content, ObservationUploadChunk first, int chunkBytes, Action<long> report, CancellationToken cancellationToken)
    {
        using var call = client.UploadObservations(connection.Headers(), cancellationToken: cancellationToken);
        var buffer = new byte[chunkBytes];
        var message = first;
        long sent = 0;
        int read;
        do
        {
            read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            if (read > 0 || sent == 0)
            {
                message.Csv = ByteString.CopyFrom(buffer, 0, read);
                await call.RequestStream.WriteAsync(message, cancellationToken);
                sent += read;
                report(sent);
                message = new ObservationUploadChunk();
            }
        }
        while (read == buffer.Length);
        await call.RequestStream.CompleteAsync();
        return await call;
    }

    private static Command Get()
    {
        var flow = new Argument<string>("FLOW") { Description = "the dataflow: DF_UNE_RT, or with agency and version RCM,DF_UNE_RT,1.0" };
        var key = new Argument<string>("KEY") { Description = "the series key, dimensions in order joined by '.', alternatives by '+', empty for any (MEX+GTM.A..); all for every series" };
        var format = new Option<string>("--format") { Description = "sdmx-csv (2.0), sdmx-csv-1.0, sdmx-json, sdmx-ml (StructureSpecificData), sdmx-ml-generic or plain-csv", DefaultValueFactory = _ => "sdmx-csv" };
        format.AcceptOnlyFromAmong([.. Formats.Keys]);
        var file = new Option<string?>("--file") { Description = "write the data message here (default: standard output)" };
        var start = new Option<string?>("--start-period") { Description = "periods starting on or after this one (2020, 2024-Q1, 2024-01)" };
        var end = new Option<string?>("--end-period") { Description = "periods starting up to the end of this one" };
        var asOf = new Option<string?>("--as-of") { Description = "the figures as they stood at this time (ISO 8601, UTC)" };
        var command = new Command("get", "a dataflow's data by series key, from the SDMX REST data endpoint (no key needed)") { flow, key, format, file, start, end, asOf };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var query = new (string Name, string? Value)[]
            {
                ("format", Formats[parse.GetValue(format)!]), ("startPeriod", parse.GetValue(start)), ("endPeriod", parse.GetValue(end)), ("asOf", parse.GetValue(asOf)),
            };
            var resource = $"sdmx/data/{Uri.EscapeDataString(parse.GetValue(flow)!)}/{Uri.EscapeDataString(parse.GetValue(key)!)}";
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            using var request = new HttpRequestMessage(HttpMethod.Get, resource + VacancyExport.QueryString(query.Where(q => q.Value is { Length: > 0 }).Select(q => (q.Name, q.Value!))));
            using var response = await RestAnswers.SendAsync(connection, request, $"{parse.GetValue(flow)} {parse.GetValue(key)}", "data needs no key", cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var path = parse.GetValue(file);
            var written = await Downloads.ToFileOrOutputAsync(body, path, cancellationToken);
            var what = parse.GetValue(format)!.EndsWith("csv", StringComparison.Ordinal) || parse.GetValue(format) == "sdmx-csv-1.0"
                ? $"{written.CsvRecords} observations"
                : $"{written.Bytes} bytes";
            Console.Error.WriteLine($"lmis: {what} of {parse.GetValue(flow)} as {parse.GetValue(format)}{(path is null ? string.Empty : " written to " + path)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
