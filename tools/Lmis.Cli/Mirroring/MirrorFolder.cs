using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Lmis.Contracts.Vacancies.V1;

namespace Lmis.Cli.Mirroring;

/// <summary>What a mirror folder follows and how far it has got: <c>DIR/mirror.json</c>.</summary>
public sealed record MirrorState(string Server, string Country, long Cursor, DateTimeOffset UpdatedAt);

/// <summary>
/// A folder holding a copy of LMIS's vacancies (docs/cli.md): <c>snapshot.jsonl</c>, the open vacancies when the mirror
/// started; <c>changes.jsonl</c>, every change after it, appended in change order, one <c>VacancyChange</c> per line in
/// the protocol's JSON; <c>mirror.json</c>, the cursor to go on from. A change's line is written before the cursor
/// moves past it, and the last line of <c>changes.jsonl</c> is read again at start, so a run stopped at any point
/// goes on with neither a gap nor a repeat.
/// </summary>
public sealed class MirrorFolder
{
    public const string SnapshotFile = "snapshot.jsonl";
    public const string ChangesFile = "changes.jsonl";
    public const string StateFile = "mirror.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private MirrorFolder(string path, MirrorState? state)
    {
        Path = path;
        State = state;
    }

    public string Path { get; }

    /// <summary>Null until the snapshot is complete.</summary>
    public MirrorState? State { get; private set; }

    public static MirrorFolder Open(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            var statePath = System.IO.Path.Combine(path, StateFile);
            var state = File.Exists(statePath) ? JsonSerializer.Deserialize<MirrorState>(File.ReadAllText(statePath), Json) : null;
            var folder = new MirrorFolder(path, state);
            if (state is not null && folder.LastChangeWritten() is { } last && last > state.Cursor)
            {
                // Stopped after a change's line was written and before the cursor was saved.
                folder.State = state with { Cursor = last };
            }

            return folder;
        }
        catch (JsonException e)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"{path}/{StateFile} is not a mirror's state ({e.Message}); mirror into another folder");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"{path}: {e.Message}");
        }
    }

    /// <summary>Writes the snapshot whole (or not at all) and returns how many vacancies it holds.</summary>
    public async Task<int> WriteSnapshotAsync(string server, string country, IAsyncEnumerable<VacancyChange> snapshot, CancellationToken cancellationToken)
    {
        var target = System.IO.Path.Combine(Path, SnapshotFile);
        var partial = target + ".partial";
        var count = 0;
        long cursor = 0;
        await using (var writer = new StreamWriter(partial, false, new UTF8Encoding(false)))
        {
            await foreach (var change in snapshot.WithCancellation(cancellationToken))
            {
                await writer.WriteLineAsync(JsonFormatter.Default.Format(change));
                cursor = Math.Max(cursor, change.Cursor);
                count++;
            }
        }

        File.Move(partial, target, overwrite: true);
        File.Delete(System.IO.Path.Combine(Path, ChangesFile));
        SaveCursor(new MirrorState(server, country, cursor, DateTimeOffset.UtcNow));
        return count;
    }

    /// <summary>Appends changes in the order they come, the cursor saved at most once a second and at the end.</summary>
    public async Task<(int Changes, int Removed)> AppendChangesAsync(IAsyncEnumerable<VacancyChange> changes, Action<VacancyChange>? onChange, CancellationToken cancellationToken)
    {
        var state = State ?? throw new InvalidOperationException("no snapshot yet");
        var appended = 0;
        var removed = 0;
        var savedAt = DateTimeOffset.UtcNow;
        await using var file = new FileStream(System.IO.Path.Combine(Path, ChangesFile), FileMode.Append, FileAccess.Write, FileShare.Read);
        await using var writer = new StreamWriter(file, new UTF8Encoding(false));
        try
        {
            await foreach (var change in changes.WithCancellation(cancellationToken))
            {
                await writer.WriteLineAsync(JsonFormatter.Default.Format(change));
                await writer.FlushAsync(CancellationToken.None);
                state = state with { Cursor = change.Cursor, UpdatedAt = DateTimeOffset.UtcNow };
                appended++;
                removed += change.Removed ? 1 : 0;
                onChange?.Invoke(change);
                if (DateTimeOffset.UtcNow - savedAt >= TimeSpan.FromSeconds(1))
                {
                    SaveCursor(state);
                    savedAt = DateTimeOffset.UtcNow;
                }
            }
        }
        finally
        {
            // However the stream ends — caught up, Ctrl+C, the server gone — the cursor says what the file holds.
            await writer.FlushAsync(CancellationToken.None);
            SaveCursor(state);
        }

        return (appended, removed);
    }

    private void SaveCursor(MirrorState state)
    {
        State = state;
        var target = System.IO.Path.Combine(Path, StateFile);
        File.WriteAllText(target + ".partial", JsonSerializer.Serialize(state, Json));
        File.Move(target + ".partial", target, overwrite: true);
    }

    /// <summary>
    /// The cursor of the last whole line of <c>changes.jsonl</c>; a line cut short by a stop is removed, to be
    /// received again.
    /// </summary>
    private long? LastChangeWritten()
    {
        var path = System.IO.Path.Combine(Path, ChangesFile);
        if (!File.Exists(path))
        {
            return null;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var tail = new byte[Math.Min(file.Length, 1 << 20)];
        file.Seek(-tail.Length, SeekOrigin.End);
        file.ReadExactly(tail);
        var end = Array.LastIndexOf(tail, (byte)'\n');
        if (end < tail.Length - 1)
        {
            file.SetLength(file.Length - (tail.Length - 1 - end));
        }

        if (end < 0)
        {
            return null;
        }

        var start = Array.LastIndexOf(tail, (byte)'\n', Math.Max(0, end - 1)) + 1;
        if (end == 0 || start > end)
        {
            return null;
        }

        var line = Encoding.UTF8.GetString(tail, start, end - start);
        return JsonParser.Default.Parse<VacancyChange>(line).Cursor;
    }
}
