using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lmis.Cli.Configuration;

/// <summary>A named set of connection settings, so a team with a test and a production LMIS types one word.</summary>
public sealed class Profile
{
    public string? Server { get; set; }

    /// <summary>A file holding the API key (never the key itself: the config file is easily shared or backed up).</summary>
    public string? KeyFile { get; set; }

    public string? CaFile { get; set; }
}

/// <summary>
/// The user's configuration file, <c>$XDG_CONFIG_HOME/lmis/config.json</c> or <c>~/.config/lmis/config.json</c>, as
/// gh, az and kubectl keep theirs.
/// </summary>
public sealed class CliConfiguration
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public Dictionary<string, Profile> Profiles { get; set; } = new(StringComparer.Ordinal);

    public static string FilePath
    {
        get
        {
            var home = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return Path.Combine(home, "lmis", "config.json");
        }
    }

    public static CliConfiguration Load()
    {
        var path = FilePath;
        if (!File.Exists(path))
        {
            return new CliConfiguration();
        }

        try
        {
            var loaded = JsonSerializer.Deserialize<CliConfiguration>(File.ReadAllText(path), Json) ?? new CliConfiguration();
            loaded.Profiles = new Dictionary<string, Profile>(loaded.Profiles, StringComparer.Ordinal);
            return loaded;
        }
        catch (JsonException e)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"{path} is not a valid lmis configuration: {e.Message}");
        }
    }

    public void Save()
    {
        var path = FilePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
        if (!OperatingSystem.IsWindows())
        {
            // It names where keys are; only its owner needs to read it.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
