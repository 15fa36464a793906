using System.CommandLine;
using Google.Rpc;
using Grpc.Core;
using Lmis.Cli.Transport;
using Lmis.Contracts.Taxonomy.V1;

namespace Lmis.Cli.Commands;

/// <summary><c>lmis taxonomy import</c>: a classification's next version from CSV files (docs/taxonomy-import.md).</summary>
public static class TaxonomyCommands
{
    private static readonly string[] Files = ["concepts", "labels", "relations", "attributes"];

    public static Command Create()
    {
        var taxonomy = new Command("taxonomy", "classifications: import a scheme's next version");
        taxonomy.Subcommands.Add(Import());
        return taxonomy;
    }

    private static Command Import()
    {
        var scheme = new Option<string>("--scheme") { Description = "the scheme id (isco08, noc2021, pathways…)", Required = true };
        var dir = new Option<string?>("--dir") { Description = "a folder with concepts.csv and any of labels.csv, relations.csv, attributes.csv" };
        var files = Files.Select(f => new Option<string?>("--" + f) { Description = $"the {f} file (instead of --dir)" }).ToArray();
        var amend = new Option<bool>("--amend") { Description = "the files list only what changes; every other concept of the latest version carries over" };
        var command = new Command("import", "release a scheme's next version from CSV files (the secretariat's key); every bad row is listed, nothing stored")
        {
            scheme, dir, amend,
        };
        foreach (var option in files)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(r =>
        {
            if (r.GetValue(dir) is null && r.GetValue(files[0]) is null)
            {
                r.AddError("give --dir FOLDER, or --concepts FILE");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var id = parse.GetValue(scheme)!;
            string Read(int i)
            {
                var given = parse.GetValue(files[i]);
                var path = given ?? (parse.GetValue(dir) is { } folder ? Path.Combine(folder, Files[i] + ".csv") : null);
                if (path is null || (given is null && !File.Exists(path)))
                {
                    return string.Empty;
                }

                try
                {
                    return File.ReadAllText(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CommandFailedException(ExitCodes.Usage, e.Message);
                }
            }

            var request = new ImportSchemeVersionCsvRequest
            {
                Scheme = id,
                ConceptsCsv = Read(0),
                LabelsCsv = Read(1),
                RelationsCsv = Read(2),
                AttributesCsv = Read(3),
                Amend = parse.GetValue(amend),
            };
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            var client = new TaxonomyService.TaxonomyServiceClient(connection.Invoker);
            try
            {
                var released = await client.ImportSchemeVersionCsvAsync(request, connection.Headers(), cancellationToken: cancellationToken);
                Console.WriteLine($"{released.Scheme} version {released.Version} released: {released.ConceptCount} concepts ({released.Added} added, {released.Changed} changed, {released.Deprecated} deprecated).");
                return ExitCodes.Ok;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
            {
                Console.Error.WriteLine($"{id}: the version was rejected; nothing was stored.");
                var violations = e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
                foreach (var violation in violations ?? [])
                {
                    Console.Error.WriteLine($"  {violation.Field}: {violation.Description}");
                }

                if (violations is null)
                {
                    Console.Error.WriteLine($"  {e.Status.Detail}");
                }

                return ExitCodes.Refused;
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw RpcFailures.ToFailure(e, connection.Server, "set LMIS_API_KEY or --key-file to a secretariat key");
            }
        });
        return command;
    }
}
