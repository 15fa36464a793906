using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Lmis.Contracts.Vacancies.V1;
using Npgsql;
using NpgsqlTypes;

namespace Lmis.Bench;

/// <summary>
/// PostgreSQL 15 from Debian as the vacancies benchmark's peer: a throwaway server on loopback, in a temporary data
/// directory, loaded with the same generated vacancies as LMIS and asked the same searches. Stopped and its
/// directory deleted when disposed, or when the bench process exits before that.
/// </summary>
public sealed class PostgresPeer : IAsyncDisposable
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";

    // The words of a search in each language's configuration, ORed: a vacancy's vector is built in its own language,
    // and the words' language is not given. Stemmed, accents removed.
    private const string Words =
        "(plainto_tsquery('lmis_es', @text) || plainto_tsquery('lmis_en', @text) || plainto_tsquery('lmis_fr', @text))";

    private const string Columns = "seq, country, occupation, title, description, language, date_posted";

    // PostgreSQL refuses to run as root: the bench then runs its programs as the postgres user Debian creates.
    private static readonly bool AsPostgresUser = Environment.UserName == "root";

    private readonly DirectoryInfo _directory;
    private readonly PosixSignalRegistration[] _signals;
    private readonly Lock _stopping = new();
    private bool _stopped;

    private PostgresPeer(DirectoryInfo directory, NpgsqlDataSource dataSource)
    {
        _directory = directory;
        DataSource = dataSource;
        // Stopped also when the bench is interrupted or ends without disposing: no server or directory is left behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        _signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(signal => PosixSignalRegistration.Create(signal, _ => Stop()))];
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Why the peer cannot run here (PostgreSQL 15 missing), or null.</summary>
    public static string? Missing() =>
        !File.Exists(Path.Combine(Binaries, "postgres")) ? $"PostgreSQL 15 is not installed ({Binaries}/postgres not found): apt-get install -y postgresql"
        : AsPostgresUser && !File.ReadLines("/etc/passwd").Any(l => l.StartsWith("postgres:", StringComparison.Ordinal))
            ? "the bench runs as root and there is no postgres user to run PostgreSQL as (apt-get install -y postgresql creates it)"
            : null;

    /// <summary>initdb and pg_ctl start in a fresh temporary directory, on a free loopback port.</summary>
    public static async Task<PostgresPeer> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("lmis-peer-");
        try
        {
            if (AsPostgresUser)
            {
                Run("chown", false, "postgres:postgres", directory.FullName);
            }

            var data = Path.Combine(directory.FullName, "data");
            Run(Path.Combine(Binaries, "initdb"), AsPostgresUser, "-D", data, "-U", "postgres", "-E", "UTF8", "--no-locale", "--auth=trust");
            var port = TaxonomyBenchmark.FreePort();
            // For a 2-core machine with 24 GiB shared with the bench client. Durability stays as shipped (fsync,
            // synchronous_commit, full_page_writes on). JIT off: compiling costs more than these short queries take.
            File.AppendAllText(Path.Combine(data, "postgresql.conf"), $"""

                listen_addresses = '127.0.0.1'
                port = {port}
                unix_socket_directories = '{directory.FullName}'
                shared_buffers = 1GB
                effective_cache_size = 16GB
                work_mem = 64MB
                maintenance_work_mem = 1GB
                max_wal_size = 8GB
                checkpoint_timeout = 30min
                random_page_cost = 1.1
                jit = off

                """);
            Run(Path.Combine(Binaries, "pg_ctl"), AsPostgresUser, "-D", data, "-l", Path.Combine(directory.FullName, "postgres.log"), "-w", "-t", "120", "start");
            var connection = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = "postgres",
                Database = "postgres",
                MaxPoolSize = 16,
                CommandTimeout = 0,
            };
            var peer = new PostgresPeer(directory, NpgsqlDataSource.Create(connection.ConnectionString));
            await using var command = peer.DataSource.CreateCommand("SELECT version()");
            Console.WriteLine($"postgres: {await command.ExecuteScalarAsync()} in {directory.FullName} on port {port}");
            return peer;
        }
        catch
        {
            StopAndDelete(directory);
            throw;
        }
    }

    /// <summary>
    /// The vacancies of feeds 0 .. feeds-1, by binary COPY (one per feed, <paramref name="streams"/> at once), then the
    /// indexes, then VACUUM ANALYZE; prints how long each step took.
    /// </summary>
    public async Task LoadAsync(int feeds, int batch, int streams)
    {
        await using (var schema = DataSource.CreateCommand("""
            CREATE EXTENSION unaccent;
            CREATE TEXT SEARCH CONFIGURATION lmis_es (COPY = spanish);
            ALTER TEXT SEARCH CONFIGURATION lmis_es ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
            CREATE TEXT SEARCH CONFIGURATION lmis_en (COPY = english);
            ALTER TEXT SEARCH CONFIGURATION lmis_en ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
            CREATE TEXT SEARCH CONFIGURATION lmis_fr (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION lmis_fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
            CREATE TABLE vacancies (
                seq         bigint NOT NULL,
                country     text NOT NULL,
                status      text NOT NULL,
                occupation  text NOT NULL,
                title       text NOT NULL,
                description text NOT NULL,
                language    text NOT NULL,
                date_posted date NOT NULL,
                words       tsvector GENERATED ALWAYS AS (CASE language
                    WHEN 'en' THEN to_tsvector('lmis_en', title || ' ' || description)
                    WHEN 'fr' THEN to_tsvector('lmis_fr', title || ' ' || description)
                    ELSE to_tsvector('lmis_es', title || ' ' || description) END) STORED
            );
            """))
        {
            await schema.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, streams).Select(async _ =>
        {
            await using var connection = await DataSource.OpenConnectionAsync();
            while (Interlocked.Increment(ref next) is var feed && feed < feeds)
            {
                var (_, vacancies) = VacanciesBenchmark.Feed(feed, batch);
                await using var copy = await connection.BeginBinaryImportAsync(
                    "COPY vacancies (seq, country, status, occupation, title, description, language, date_posted) FROM STDIN (FORMAT BINARY)");
                var seq = (long)feed * batch;
                foreach (var vacancy in vacancies)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(seq++, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(vacancy.Country, NpgsqlDbType.Text);
                    await copy.WriteAsync("open", NpgsqlDbType.Text);
                    await copy.WriteAsync(vacancy.OccupationCode, NpgsqlDbType.Text);
                    await copy.WriteAsync(vacancy.Title, NpgsqlDbType.Text);
                    await copy.WriteAsync(vacancy.Description, NpgsqlDbType.Text);
                    await copy.WriteAsync(vacancy.Language, NpgsqlDbType.Text);
                    await copy.WriteAsync(DateOnly.ParseExact(vacancy.DatePosted, "yyyy-MM-dd", CultureInfo.InvariantCulture), NpgsqlDbType.Date);
                }

                await copy.CompleteAsync();
            }
        }));
        clock.Stop();
        var count = (long)feeds * batch;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"postgres: COPY of {count:N0} vacancies in {clock.Elapsed.TotalSeconds:N1} s = {count / clock.Elapsed.TotalSeconds:N0} vacancies/s ({streams} connections, one binary COPY per feed of {batch:N0}; text vectors computed by PostgreSQL as a stored generated column)"));

        var steps = new List<string>();
        foreach (var (name, sql) in new[]
        {
            ("GIN on the text vector", "CREATE INDEX vacancies_words ON vacancies USING gin (words)"),
            ("B-tree (country, status, occupation, seq)", "CREATE INDEX vacancies_by_country ON vacancies (country, status, occupation, seq)"),
            ("B-tree (status, seq)", "CREATE INDEX vacancies_by_status ON vacancies (status, seq)"),
            // Sets hint bits and the visibility map once, as autovacuum would in steady operation, so the measured
            // searches neither write them nor meet autovacuum on its first pass over a fresh table.
            ("VACUUM ANALYZE", "VACUUM ANALYZE vacancies"),
        })
        {
            var step = Stopwatch.StartNew();
            await using var command = DataSource.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {step.Elapsed.TotalSeconds:N1} s"));
        }

        await using var size = DataSource.CreateCommand(
            "SELECT pg_table_size('vacancies'), pg_indexes_size('vacancies'), pg_relation_size('vacancies_words')");
        await using var reader = await size.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"postgres: after the load: {string.Join("; ", steps)}; table {reader.GetInt64(0) / 1048576.0:N0} MB, indexes {reader.GetInt64(1) / 1048576.0:N0} MB (GIN {reader.GetInt64(2) / 1048576.0:N0} MB)"));
    }

    /// <summary>
    /// The page of a search, as LMIS is asked it: member state, status (open by default), ISCO-08 prefix as a code
    /// range, words; newest first, 50 + 1 rows, or by <c>ts_rank_cd</c> when <paramref name="ranked"/> or the
    /// request asks for relevance order.
    /// </summary>
    public async Task<int> SearchAsync(SearchVacanciesRequest request, bool ranked = false)
    {
        ranked |= request.Order == "relevance";
        await using var command = Command(request, $"SELECT {Columns} FROM vacancies", ranked
            ? $"ORDER BY ts_rank_cd(words, {Words}) DESC, seq DESC LIMIT 51"
            : "ORDER BY seq DESC LIMIT 51");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            // Every field read, as a client of LMIS receives every field of the page.
            _ = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetFieldValue<DateOnly>(6));
            rows++;
        }

        return rows;
    }

    /// <summary>Every match of a search, to check that both sides find the same vacancies.</summary>
    public async Task<long> CountAsync(SearchVacanciesRequest request)
    {
        await using var command = Command(request, "SELECT count(*) FROM vacancies", string.Empty);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>EXPLAIN (ANALYZE, BUFFERS) of a search's page.</summary>
    public async Task<string> PlanAsync(SearchVacanciesRequest request, bool ranked = false)
    {
        await using var command = Command(request, $"EXPLAIN (ANALYZE, BUFFERS) SELECT {Columns} FROM vacancies", ranked
            ? $"ORDER BY ts_rank_cd(words, {Words}) DESC, seq DESC LIMIT 51"
            : "ORDER BY seq DESC LIMIT 51");
        var plan = new StringBuilder();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetString(0));
        }

        return plan.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        Stop();
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }
    }

    private NpgsqlCommand Command(SearchVacanciesRequest request, string select, string order)
    {
        var command = DataSource.CreateCommand();
        var where = new StringBuilder(" WHERE status = @status");
        command.Parameters.AddWithValue("status", NpgsqlDbType.Text, request.Status.Length == 0 ? "open" : request.Status);
        if (request.Country.Length > 0)
        {
            where.Append(" AND country = @country");
            command.Parameters.AddWithValue("country", NpgsqlDbType.Text, request.Country);
        }

        if (request.Occupation.Length > 0)
        {
            // A code range, as LMIS asks it: every code starting with the prefix sorts between these two (C collation).
            where.Append(" AND occupation >= @occupationFrom AND occupation < @occupationTo");
            command.Parameters.AddWithValue("occupationFrom", NpgsqlDbType.Text, request.Occupation);
            command.Parameters.AddWithValue("occupationTo", NpgsqlDbType.Text, request.Occupation + "~");
        }

        if (request.Text.Length > 0)
        {
            where.Append(" AND words @@ ").Append(Words);
            command.Parameters.AddWithValue("text", NpgsqlDbType.Text, request.Text);
        }

        command.CommandText = $"{select}{where} {order}";
        return command;
    }

    /// <summary>Once; a second caller (the bench disposing while a signal stops the server) waits until it is done.</summary>
    private void Stop()
    {
        lock (_stopping)
        {
            if (!_stopped)
            {
                _stopped = true;
                StopAndDelete(_directory);
            }
        }
    }

    private static void StopAndDelete(DirectoryInfo directory)
    {
        var data = Path.Combine(directory.FullName, "data");
        try
        {
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                Run(Path.Combine(Binaries, "pg_ctl"), AsPostgresUser, "-D", data, "-m", "fast", "-w", "-t", "120", "stop");
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Runs a program to its end (as the postgres user when asked), failing with what it printed.</summary>
    private static void Run(string program, bool asPostgresUser, params string[] arguments)
    {
        var start = new ProcessStartInfo(asPostgresUser ? "runuser" : program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asPostgresUser)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} ended with {process.ExitCode}: {error.Result}{output}");
        }
    }
}
