using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Lmis.Contracts.Taxonomy.V1;

// lmis-taxonomy-import: releases a new version of a concept scheme from CSV files (docs/taxonomy-import.md).
//   dotnet run --project tools/Lmis.TaxonomyImport -- --scheme isco08 --dir path/to/folder [--server http://localhost:8081]
//   dotnet run --project tools/Lmis.TaxonomyImport -- --scheme isco08 --concepts c.csv --labels l.csv [--relations r.csv] [--attributes a.csv]
//   add --amend true to change only the listed concepts of the latest version (the others carry over).
// Releasing is the secretariat's: the secretariat's API key is read from the environment variable LMIS_API_KEY
// (not from the command line, where other users of the machine could see it).
// Exit codes: 0 released, 1 rejected (every bad row printed), 2 usage, 3 server unreachable or failed,
// 4 refused (no key, a key that is not valid, or not the secretariat's).
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        return Usage($"unexpected argument '{args[i]}'");
    }

    options[args[i][2..]] = args[++i];
}

if (!options.TryGetValue("scheme", out var scheme))
{
    return Usage("--scheme is required");
}

string? Read(string name)
{
    var path = options.GetValueOrDefault(name)
        ?? (options.TryGetValue("dir", out var dir) ? Path.Combine(dir, name + ".csv") : null);
    if (path is null || (!options.ContainsKey(name) && !File.Exists(path)))
    {
        return null;
    }

    return File.ReadAllText(path);
}

ImportSchemeVersionCsvRequest request;
try
{
    request = new ImportSchemeVersionCsvRequest
    {
        Scheme = scheme,
        ConceptsCsv = Read("concepts") ?? string.Empty,
        LabelsCsv = Read("labels") ?? string.Empty,
        RelationsCsv = Read("relations") ?? string.Empty,
        AttributesCsv = Read("attributes") ?? string.Empty,
        Amend = options.GetValueOrDefault("amend") == "true",
    };
}
catch (IOException e)
{
    return Usage(e.Message);
}

var server = options.GetValueOrDefault("server") ?? "http://localhost:8081";
using var channel = GrpcChannel.ForAddress(server, new GrpcChannelOptions { MaxSendMessageSize = 64 * 1024 * 1024 });
var client = new TaxonomyService.TaxonomyServiceClient(channel);
var credentials = new Metadata();
if (Environment.GetEnvironmentVariable("LMIS_API_KEY") is { Length: > 0 } apiKey)
{
    credentials.Add("x-api-key", apiKey);
}

try
{
    var released = await client.ImportSchemeVersionCsvAsync(request, credentials);
    Console.WriteLine($"{released.Scheme} version {released.Version} released: {released.ConceptCount} concepts ({released.Added} added, {released.Changed} changed, {released.Deprecated} deprecated).");
    return 0;
}
catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
{
    Console.Error.WriteLine($"{scheme}: refused: {e.Status.Detail} (set LMIS_API_KEY to a secretariat key)");
    return 4;
}
catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
{
    Console.Error.WriteLine($"{scheme}: the version was rejected; nothing was stored.");
    var violations = e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
    foreach (var violation in violations ?? [])
    {
        Console.Error.WriteLine($"  {violation.Field}: {violation.Description}");
    }

    if (violations is null)
    {
        Console.Error.WriteLine($"  {e.Status.Detail}");
    }

    return 1;
}
catch (RpcException e)
{
    Console.Error.WriteLine($"{server}: {e.StatusCode} {e.Status.Detail}");
    return 3;
}

static int Usage(string problem)
{
    Console.Error.WriteLine($"lmis-taxonomy-import: {problem}");
    Console.Error.WriteLine("usage: lmis-taxonomy-import --scheme ID (--dir FOLDER | --concepts FILE [--labels FILE] [--relations FILE] [--attributes FILE]) [--amend true] [--server http://localhost:8081]");
    return 2;
}
