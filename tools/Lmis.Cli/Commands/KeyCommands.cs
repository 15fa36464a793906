using System.CommandLine;
using Google.Protobuf;
using Lmis.Cli.Transport;
using Lmis.Contracts.Access.V1;

namespace Lmis.Cli.Commands;

/// <summary>
/// <c>lmis keys issue|list|rotate|revoke</c>: the secretariat's management of the API keys ministries publish with
/// (docs/security.md). A new key is shown once — on standard output, or only into <c>--new-key-file</c>.
/// </summary>
public static class KeyCommands
{
    private const string SecretariatHint = "set LMIS_API_KEY or --key-file to a secretariat key";

    private static readonly string[] Columns = ["id", "name", "role", "country", "created_at", "created_by", "revoked_at", "rotated_from"];

    public static Command Create()
    {
        var keys = new Command("keys", "API keys (the secretariat's key): issue, list, rotate, revoke");
        keys.Subcommands.Add(Issue());
        keys.Subcommands.Add(List());
        keys.Subcommands.Add(Rotate());
        keys.Subcommands.Add(Revoke());
        return keys;
    }

    private static Option<string?> NewKeyFile() => new("--new-key-file")
    {
        Description = "write the new key into this file (readable by you only) instead of showing it; an existing file is not overwritten",
    };

    private static Command Issue()
    {
        var name = new Option<string>("--name") { Description = "who holds it, e.g. \"STPS Mexico vacancy feed\"", Required = true };
        var role = new Option<string>("--role") { Description = "publisher (writes one member state's data) or secretariat", DefaultValueFactory = _ => "publisher" };
        role.AcceptOnlyFromAmong("publisher", "secretariat");
        var country = new Option<string?>("--country") { Description = "the member state a publisher key writes for (MEX)" };
        var file = NewKeyFile();
        var command = new Command("issue", "issue a key; it is shown this once") { name, role, country, file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            var client = new AccessService.AccessServiceClient(connection.Invoker);
            return await Refusals.ExplainAsync(async () =>
            {
                RefuseExisting(parse.GetValue(file));
                var issued = await client.CreateApiKeyAsync(new CreateApiKeyRequest
                {
                    Name = parse.GetValue(name)!,
                    Role = parse.GetValue(role)!,
                    Country = parse.GetValue(country) ?? string.Empty,
                }, connection.Headers(), cancellationToken: cancellationToken);
                Show(parse, issued, parse.GetValue(file), "issued");
                return ExitCodes.Ok;
            }, "key", connection, SecretariatHint, cancellationToken);
        });
        return command;
    }

    private static Command List()
    {
        var country = new Option<string?>("--country") { Description = "only the keys of this member state" };
        var revoked = new Option<bool>("--include-revoked") { Description = "also the keys revoked (and those replaced by rotation)" };
        var command = new Command("list", "the keys issued, with role, member state and state; never the keys themselves") { country, revoked };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            var client = new AccessService.AccessServiceClient(connection.Invoker);
            return await Refusals.ExplainAsync(async () =>
            {
                var listed = await client.ListApiKeysAsync(new ListApiKeysRequest { Country = parse.GetValue(country) ?? string.Empty, IncludeRevoked = parse.GetValue(revoked) },
                    connection.Headers(), cancellationToken: cancellationToken);
                Answers.Rows(parse.GetValue(GlobalOptions.Output)!, listed, Columns, listed.Keys.Select(Row));
                return ExitCodes.Ok;
            }, "keys", connection, SecretariatHint, cancellationToken);
        });
        return command;
    }

    private static Command Rotate()
    {
        var id = new Argument<string>("ID") { Description = "the key's id (key_…), as lmis keys list shows it" };
        var file = NewKeyFile();
        var command = new Command("rotate", "issue a new key with the same name, role and member state, and revoke the old one at once; the new one is shown this once") { id, file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            var client = new AccessService.AccessServiceClient(connection.Invoker);
            return await Refusals.ExplainAsync(async () =>
            {
                RefuseExisting(parse.GetValue(file));
                var issued = await client.RotateApiKeyAsync(new RotateApiKeyRequest { Id = parse.GetValue(id)! }, connection.Headers(), cancellationToken: cancellationToken);
                Show(parse, issued, parse.GetValue(file), $"issued in place of {parse.GetValue(id)} (revoked)");
                return ExitCodes.Ok;
            }, parse.GetValue(id)!, connection, SecretariatHint, cancellationToken);
        });
        return command;
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("ID") { Description = "the key's id (key_…)" };
        var command = new Command("revoke", "revoke a key at once: the next call with it is refused") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var connection = new LmisConnection(GlobalOptions.Connection(parse));
            var client = new AccessService.AccessServiceClient(connection.Invoker);
            return await Refusals.ExplainAsync(async () =>
            {
                var key = await client.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = parse.GetValue(id)! }, connection.Headers(), cancellationToken: cancellationToken);
                Answers.Rows(parse.GetValue(GlobalOptions.Output)!, key, Columns, [Row(key)]);
                return ExitCodes.Ok;
            }, parse.GetValue(id)!, connection, SecretariatHint, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The new key, the one time it exists outside LMIS: into the file asked for (created readable by its owner only),
    /// else alone on standard output so that a script can take it (<c>KEY=$(lmis keys issue …)</c>).
    /// </summary>
    private static void Show(ParseResult parse, IssuedApiKey issued, string? file, string what)
    {
        var key = issued.Key;
        var holder = $"{key.Id} ({key.Role}{(key.Country.Length > 0 ? " " + key.Country : string.Empty)}, \"{key.Name}\")";
        if (file is not null)
        {
            WriteKeyFile(file, issued.Secret);
            Console.Error.WriteLine($"lmis: {holder} {what}; the key is in {file} (readable by you only) and shown nowhere else");
            Answers.Rows(parse.GetValue(GlobalOptions.Output)!, key, Columns, [Row(key)]);
            return;
        }

        Console.Error.WriteLine($"lmis: {holder} {what}; the key below is shown this once: keep it now");
        Console.WriteLine(parse.GetValue(GlobalOptions.Output) == "json" ? JsonFormatter.Default.Format(issued) : issued.Secret);
    }

    /// <summary>Checked before the key is made: a key that cannot be saved would exist shown nowhere.</summary>
    private static void RefuseExisting(string? file)
    {
        if (file is not null && File.Exists(file))
        {
            throw new CommandFailedException(ExitCodes.Usage, $"{file} exists: a key file is never overwritten; name a new file");
        }
    }

    private static void WriteKeyFile(string path, string secret)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created so from the start: never a moment when another user could read it.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, options);
            writer.WriteLine(secret);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The key exists now and is shown nowhere: say so, so that it is rotated or revoked rather than lost unknown.
            throw new CommandFailedException(ExitCodes.Usage, $"{path}: {e.Message}; the key issued was not saved: revoke it (lmis keys revoke) or rotate it into another file");
        }
    }

    private static string[] Row(ApiKey key) =>
        [key.Id, key.Name, key.Role, key.Country, key.CreatedAt, key.CreatedBy, key.RevokedAt, key.RotatedFrom];
}
