using System.Diagnostics;
using System.Globalization;
using Lmis.Cli.Commands;
using Spectre.Console;

namespace Lmis.Cli.Progress;

/// <summary>
/// How much of a file has been sent: a progress bar at a terminal (bytes, speed, time left), plain lines on standard
/// error otherwise (at most one every few seconds, and the last one always), as a feed's progress is shown.
/// </summary>
public static class UploadProgress
{
    public static bool IsLive(bool quiet) => !quiet && !Console.IsOutputRedirected && !Console.IsErrorRedirected;

    /// <summary>Runs the upload, which reports the bytes sent so far through the action it is given.</summary>
    public static async Task<T> ShowAsync<T>(bool live, string verb, string file, long length, Func<Action<long>, Task<T>> upload)
    {
        if (live)
        {
            var result = default(T)!;
            await GlobalOptions.Console(Console.Error, redirected: false).Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape($"{verb} {file}"), maxValue: Math.Max(1, length));
                    result = await upload(sent => task.Value = sent);
                });
            return result;
        }

        var clock = Stopwatch.StartNew();
        TimeSpan? lastWritten = null;
        long last = 0;
        long written = -1;
        void Write(long sent)
        {
            lastWritten = clock.Elapsed;
            written = sent;
            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"lmis: {verb} {file}: {Size(sent)} of {Size(length)} sent ({(length > 0 ? 100.0 * sent / length : 100):0}%, {Size((long)(sent / seconds))}/s, ETA {ProgressText.Duration(sent > 0 ? TimeSpan.FromSeconds((length - sent) * seconds / sent) : null)})"));
        }

        var answer = await upload(sent =>
        {
            last = sent;
            if (lastWritten is not { } at || clock.Elapsed - at >= TimeSpan.FromSeconds(2))
            {
                Write(sent);
            }
        });
        if (written != last)
        {
            Write(last);
        }

        return answer;
    }

    private static string Size(long bytes) => bytes < 1048576
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB");
}
