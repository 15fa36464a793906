using System.CommandLine;
using Lmis.Cli.Configuration;

namespace Lmis.Cli.Commands;

/// <summary><c>lmis profile set|list</c>: named connection settings in the user's configuration file.</summary>
public static class ProfileCommands
{
    public static Command Create()
    {
        var profile = new Command("profile", $"named connection settings, kept in {CliConfiguration.FilePath}");
        var name = new Argument<string>("NAME") { Description = "the profile's name (e.g. production, test)" };
        var set = new Command("set", "create or change a profile from --server, --key-file and --ca-file") { name };
        set.SetAction(parse =>
        {
            var configuration = CliConfiguration.Load();
            var entry = configuration.Profiles.GetValueOrDefault(parse.GetValue(name)!) ?? new Profile();
            if (parse.GetValue(GlobalOptions.Server) is { } server)
            {
                entry.Server = ConnectionSettings.Resolve(server, null, null, null).Server;
            }

            if (parse.GetValue(GlobalOptions.KeyFile) is { } keyFile)
            {
                entry.KeyFile = Path.GetFullPath(keyFile);
            }

            if (parse.GetValue(GlobalOptions.CaFile) is { } caFile)
            {
                entry.CaFile = Path.GetFullPath(caFile);
            }

            configuration.Profiles[parse.GetValue(name)!] = entry;
            configuration.Save();
            Console.WriteLine($"profile {parse.GetValue(name)} saved in {CliConfiguration.FilePath}: use it with --profile {parse.GetValue(name)} or LMIS_PROFILE={parse.GetValue(name)}");
            return ExitCodes.Ok;
        });
        var list = new Command("list", "list the profiles");
        list.SetAction(_ =>
        {
            foreach (var (key, entry) in CliConfiguration.Load().Profiles.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"{key}\tserver={entry.Server ?? ConnectionSettings.DefaultServer}\tkey-file={entry.KeyFile ?? "-"}\tca-file={entry.CaFile ?? "-"}");
            }

            return ExitCodes.Ok;
        });
        profile.Subcommands.Add(set);
        profile.Subcommands.Add(list);
        return profile;
    }
}
