using System.CommandLine;
using Lmis.Cli.Configuration;
using Spectre.Console;

namespace Lmis.Cli.Commands;

/// <summary>The options every command takes: where LMIS is, with which credential, and how to answer.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Server = new("--server")
    {
        Description = $"LMIS's gRPC address: the gateway or a service (default: the profile's, else $LMIS_SERVER, else {ConnectionSettings.DefaultServer})",
        Recursive = true,
    };

    public static readonly Option<string?> Profile = new("--profile")
    {
        Description = "a named profile of the configuration file (default: $LMIS_PROFILE)",
        Recursive = true,
    };

    public static readonly Option<string?> KeyFile = new("--key-file")
    {
        Description = "a file holding the API key (default: $LMIS_API_KEY, else the profile's key file). Never the key itself on the command line: shell history keeps it",
        Recursive = true,
    };

    public static readonly Option<string?> CaFile = new("--ca-file")
    {
        Description = "a PEM file of the CA that signed the server's TLS certificate, when the system does not trust it",
        Recursive = true,
    };

    public static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "how the summary is written: table, json or csv",
        DefaultValueFactory = _ => "table",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "no live display: plain progress lines (for cron and logs)",
        Recursive = true,
    };

    static GlobalOptions() => Output.AcceptOnlyFromAmong("table", "json", "csv");

    public static IEnumerable<Option> All => [Server, Profile, KeyFile, CaFile, Output, Quiet];

    public static ConnectionSettings Connection(ParseResult parse) => ConnectionSettings.Resolve(
        parse.GetValue(Server), parse.GetValue(Profile), parse.GetValue(KeyFile), parse.GetValue(CaFile));

    /// <summary>
    /// Colour and live redrawing only for a person at a terminal: not when the output goes to a file or a pipe, nor
    /// when NO_COLOR is set (no-color.org).
    /// </summary>
    public static IAnsiConsole Console(TextWriter writer, bool redirected)
    {
        var plain = redirected || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
    }
}
