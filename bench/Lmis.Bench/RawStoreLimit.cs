using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Storage;
using Microsoft.Data.Sqlite;

namespace Lmis.Bench;

/// <summary>
/// What SQLite itself allows on this machine: the same generated vacancies inserted straight into a file with the
/// vacancy store's schema (its table, indexes and text index), prepared statements, one transaction per
/// <see cref="TransactionSize"/> rows as the store commits a feed, one writer, in this process. The product's rate
/// divided by this one is what everything above the store costs. Then the same rows again with one index or the
/// text index left out at a time, to show what each costs per row.
/// </summary>
public static class RawStoreLimit
{
    /// <summary>Rows per transaction, as the vacancies service commits a feed.</summary>
    public const int TransactionSize = 2000;

    private static readonly string[] Columns =
    [
        "id", "country", "source_id", "version", "status", "closed_reason", "closed_at", "fingerprint", "content", "occupation", "sector",
        "employment_type", "foreign_eligible", "origins", "pathway", "worker_fees", "wage_min", "wage_max", "wage_currency", "date_posted",
        "valid_through", "published_at", "updated_at", "change_seq",
    ];

    public sealed record Rate(string Schema, int Rows, TimeSpan Elapsed, TimeSpan Cpu)
    {
        public double PerSecond => Rows / Elapsed.TotalSeconds;

        public double CpuMicrosecondsPerRow => Cpu.TotalMicroseconds / Rows;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"raw SQLite, {Schema}: {Rows:N0} vacancies in {Elapsed.TotalSeconds:N1} s = {PerSecond:N0}/s, CPU {CpuMicrosecondsPerRow:N0} µs/row");
    }

    /// <summary>The product's whole vacancy schema, feeds 0 .. <paramref name="feeds"/>-1 of <paramref name="batch"/>.</summary>
    public static Rate Measure(int feeds, int batch) => Measure("the store's schema", SqliteVacancyStore.Schema, feeds, batch);

    /// <summary>The cost of each index: the schema without it, one at a time, against the table alone.</summary>
    public static IEnumerable<Rate> EachIndex(int feeds, int batch)
    {
        var statements = SqliteVacancyStore.Schema.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var table = statements.Single(s => s.StartsWith("CREATE TABLE", StringComparison.Ordinal));
        var indexes = statements.Where(s => s != table).ToArray();
        yield return Measure("table alone (with its unique country + source id)", table, feeds, batch);
        foreach (var index in indexes)
        {
            var words = index.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var name = words[Array.IndexOf(words, "EXISTS") + 1];
            yield return Measure("table + " + name, table + ";\n" + index, feeds, batch);
        }
    }

    private static Rate Measure(string name, string schema, int feeds, int batch)
    {
        var data = Directory.CreateTempSubdirectory("lmis-bench-raw-");
        try
        {
            var database = SqliteDatabase.Create(Path.Combine(data.FullName, "raw.db"), schema);
            using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
            var hasText = schema.Contains("vacancy_text", StringComparison.Ordinal);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var rows = 0;
            var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            SqliteTransaction? transaction = null;
            SqliteCommand? insert = null, text = null;
            for (var feed = 0; feed < feeds; feed++)
            {
                foreach (var vacancy in VacanciesBenchmark.Feed(feed, batch).Vacancies)
                {
                    if (rows % TransactionSize == 0)
                    {
                        transaction?.Commit();
                        transaction = connection.BeginTransaction();
                        (insert, text) = (Insert(connection, transaction), hasText ? TextInsert(connection, transaction) : null);
                    }

                    var json = JsonFormatter.Default.Format(vacancy);
                    object?[] values =
                    [
                        Guid.CreateVersion7().ToString(), vacancy.Country, vacancy.SourceId, 1, "open", null, null,
                        VacancyContent.FingerprintOf(json), json,
                        vacancy.OccupationCode, null, vacancy.EmploymentType, vacancy.ForeignWorkersEligible ? 1 : 0, ",", null, 0, null, null, null,
                        vacancy.DatePosted, vacancy.ValidThrough, now, now, rows + 1,
                    ];
                    for (var i = 0; i < values.Length; i++)
                    {
                        insert!.Parameters[i].Value = values[i] ?? DBNull.Value;
                    }

                    var seq = (long)insert!.ExecuteScalar()!;
                    if (text is not null)
                    {
                        text.Parameters[0].Value = seq;
                        text.Parameters[1].Value = vacancy.Title;
                        text.Parameters[2].Value = vacancy.Description;
                        text.Parameters[3].Value = vacancy.Country;
                        text.Parameters[4].Value = "open";
                        text.Parameters[5].Value = SqliteVacancyStore.OccupationWords(vacancy.OccupationCode);
                        text.ExecuteNonQuery();
                    }

                    rows++;
                }
            }

            transaction?.Commit();
            clock.Stop();
            return new Rate(name, rows, clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    private static SqliteCommand Insert(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.Command(
            $"INSERT INTO vacancies ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select((_, i) => "$p" + i))}) RETURNING seq", transaction);
        for (var i = 0; i < Columns.Length; i++)
        {
            command.Parameters.AddWithValue("$p" + i, DBNull.Value);
        }

        command.Prepare();
        return command;
    }

    private static SqliteCommand TextInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.Command(
            "INSERT INTO vacancy_text (rowid, title, description, country, status, occupation) VALUES ($seq, $title, $description, $country, $status, $occupation)",
            transaction);
        foreach (var name in new[] { "$seq", "$title", "$description", "$country", "$status", "$occupation" })
        {
            command.Parameters.AddWithValue(name, DBNull.Value);
        }

        command.Prepare();
        return command;
    }
}
