using System.Security.Cryptography;
using System.Text.Json;

namespace Lmis.Cli.Publishing;

/// <summary>
/// How far a feed got: saved next to the file (<c>FILE.lmis-progress</c>) after the server acknowledged each batch,
/// so a run cut short (Ctrl+C, network, a server restart) goes on after the last acknowledged batch. The file is
/// recognised by its size, last write and the hash of its first 64 KiB: an edited file starts again from the top.
/// </summary>
public sealed class FeedCheckpoint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Feed { get; set; } = string.Empty;

    public long FeedSize { get; set; }

    public DateTime FeedLastWriteUtc { get; set; }

    public string FeedHead { get; set; } = string.Empty;

    public string Server { get; set; } = string.Empty;

    /// <summary>Rows answered for, from the top of the file: the next run skips them.</summary>
    public int RowsDone { get; set; }

    /// <summary>The line the last row answered for starts on.</summary>
    public int LastLine { get; set; }

    public FeedCounts Counts { get; set; } = new();

    public string ErrorsFile { get; set; } = string.Empty;

    /// <summary>The error report's length when the checkpoint was saved: a resumed run cuts it back to this.</summary>
    public long ErrorsLength { get; set; }

    public DateTimeOffset SavedAt { get; set; }

    public static string PathFor(string feed) => feed + ".lmis-progress";

    /// <summary>A new checkpoint for the feed as it is now on disk.</summary>
    public static FeedCheckpoint Start(string feed, string server, string errorsFile)
    {
        var info = new FileInfo(feed);
        return new FeedCheckpoint
        {
            Feed = Path.GetFullPath(feed),
            FeedSize = info.Length,
            FeedLastWriteUtc = info.LastWriteTimeUtc,
            FeedHead = Head(feed),
            Server = server,
            ErrorsFile = Path.GetFullPath(errorsFile),
        };
    }

    /// <summary>The saved checkpoint of the feed, or null when there is none or it cannot be read.</summary>
    public static FeedCheckpoint? Load(string feed)
    {
        var path = PathFor(feed);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<FeedCheckpoint>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    /// <summary>Whether this checkpoint was saved for the same file, unchanged, sent to the same server.</summary>
    public bool Matches(FeedCheckpoint now) =>
        FeedSize == now.FeedSize && FeedLastWriteUtc == now.FeedLastWriteUtc && FeedHead == now.FeedHead
        && string.Equals(Server.TrimEnd('/'), now.Server.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the checkpoint whole or not at all: a run killed while saving leaves the previous one.</summary>
    public void Save()
    {
        SavedAt = DateTimeOffset.Now;
        var path = PathFor(Feed);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    public void Delete() => File.Delete(PathFor(Feed));

    private static string Head(string feed)
    {
        using var stream = File.OpenRead(feed);
        var buffer = new byte[64 * 1024];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, read)));
    }
}
