using System.Diagnostics;
using System.Globalization;
using Lmis.BuildingBlocks.Storage;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Storage;

namespace Lmis.Bench;

/// <summary>The SQLite vacancy store alone, in this process: where ingestion time goes below the API.</summary>
public static class VacancyStoreBenchmark
{
    public static async Task RunAsync(Options options)
    {
        var count = options.Number("count", 50_000);
        var batch = options.Number("batch", 500);
        var data = Directory.CreateTempSubdirectory("lmis-bench-store-");
        try
        {
            var store = new SqliteVacancyStore(SqliteDatabase.Create(Path.Combine(data.FullName, "v.db"), SqliteVacancyStore.Schema, SqliteVacancyStore.Upgrade));
            var now = DateTimeOffset.UtcNow;
            var writes = Enumerable.Range(0, count).Select(i => new VacancyWrite("MEX", $"S-{i:D8}",
                new VacancyContent($"Se solicita albañil {i % 97}", "Experiencia mínima de un año. Jornada completa, prestaciones de ley.", "es", "7112", 2,
                    new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1)))).ToArray();
            var fingerprint = Stopwatch.StartNew();
            foreach (var write in writes.Take(10_000))
            {
                write.Content.Fingerprint();
            }

            fingerprint.Stop();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i += batch)
            {
                await store.UpsertAsync(writes[i..Math.Min(count, i + batch)], now, CancellationToken.None);
            }

            clock.Stop();
            var pending = await store.Outbox.ReadPendingAsync(count, CancellationToken.None);
            var dispatch = Stopwatch.StartNew();
            foreach (var chunk in pending.Chunk(200))
            {
                await store.Outbox.MarkDispatchedAsync([.. chunk.Select(m => m.EventId)], CancellationToken.None);
            }

            dispatch.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store upsert: {count:N0} new vacancies in batches of {batch} = {count / clock.Elapsed.TotalSeconds:N0}/s; fingerprint {fingerprint.Elapsed.TotalMilliseconds / 10:N1} µs each; outbox removal {count / dispatch.Elapsed.TotalSeconds:N0}/s"));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
