using System.CommandLine;
using Lmis.Cli;
using Lmis.Cli.Commands;

// lmis: the command-line tool of a ministry's data team (docs/cli.md). Exit codes: ExitCodes.cs.

// An API key typed as a value stays in the shell's history and is visible to every user of the machine in the list
// of processes: refuse it by name, whatever the command.
if (args.FirstOrDefault(a => a.Split('=')[0] is "--key" or "--api-key" or "--token") is { } keyOption)
{
    Console.Error.WriteLine($"lmis: {keyOption.Split('=')[0]} is not taken: a key on the command line stays in the shell's history. Set LMIS_API_KEY, or give --key-file PATH.");
    return ExitCodes.Usage;
}

var root = new RootCommand("lmis: publish and check vacancy feeds and import classifications into LMIS")
{
    VacancyCommands.Create(),
    TaxonomyCommands.Create(),
    ProfileCommands.Create(),
};
foreach (var option in GlobalOptions.All)
{
    root.Options.Add(option);
}

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"lmis: {error.Message}");
    }

    var path = new List<string> { "lmis" };
    for (var result = parse.CommandResult; result.Command != root; result = (System.CommandLine.Parsing.CommandResult)result.Parent!)
    {
        path.Insert(1, result.Command.Name);
    }

    Console.Error.WriteLine($"see: {string.Join(' ', path)} --help");
    return ExitCodes.Usage;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (CommandFailedException e)
{
    Console.Error.WriteLine($"lmis: {e.Message}");
    return e.ExitCode;
}
catch (Exception e) when (e is OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled })
{
    Console.Error.WriteLine("lmis: stopped. A feed goes on from its last acknowledged batch when run again.");
    return ExitCodes.Interrupted;
}
