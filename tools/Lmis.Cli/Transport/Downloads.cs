namespace Lmis.Cli.Transport;

/// <summary>What a download wrote: its bytes, and its records when it is CSV (a quoted value may hold line breaks).</summary>
public sealed record Downloaded(long Bytes, long CsvRecords);

/// <summary>A REST answer (a CSV export, a data message) copied as it streams, to standard output or into a file.</summary>
public static class Downloads
{
    /// <summary>Copies the answer; its CSV records are counted on the way, the header not counted.</summary>
    public static async Task<Downloaded> CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long bytes = 0;
        long records = 0;
        var quoted = false;
        var lineHasText = false;
        int read;
        while ((read = await ReadAsync(from, buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                switch (buffer[i])
                {
                    case (byte)'"':
                        quoted = !quoted;
                        lineHasText = true;
                        break;
                    case (byte)'\n' when !quoted:
                        records += lineHasText ? 1 : 0;
                        lineHasText = false;
                        break;
                    case not (byte)'\r':
                        lineHasText = true;
                        break;
                }
            }

            bytes += read;
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        await to.FlushAsync(cancellationToken);
        return new Downloaded(bytes, Math.Max(0, records + (lineHasText ? 1 : 0) - 1));
    }

    /// <summary>
    /// Copies into a file that appears whole or not at all: written beside it first, moved into place at the end, so
    /// a run stopped midway never leaves a file that looks complete.
    /// </summary>
    public static async Task<Downloaded> ToFileAsync(Stream from, string path, CancellationToken cancellationToken)
    {
        var partial = path + ".partial";
        try
        {
            Downloaded downloaded;
            await using (var file = File.Create(partial))
            {
                downloaded = await CopyAsync(from, file, cancellationToken);
            }

            File.Move(partial, path, overwrite: true);
            return downloaded;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not HttpIOException)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"{path}: {e.Message}");
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public static async Task<Downloaded> ToFileOrOutputAsync(Stream from, string? path, CancellationToken cancellationToken)
    {
        if (path is not null)
        {
            return await ToFileAsync(from, path, cancellationToken);
        }

        await using var output = Console.OpenStandardOutput();
        return await CopyAsync(from, output, cancellationToken);
    }

    private static async Task<int> ReadAsync(Stream from, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await from.ReadAsync(buffer, cancellationToken);
        }
        catch (HttpIOException e)
        {
            throw new CommandFailedException(ExitCodes.Server, $"the answer broke off: {e.Message}");
        }
    }
}
