using System.Globalization;
using System.Runtime.CompilerServices;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Search;
using Microsoft.Data.Sqlite;
using static Lmis.Vacancies.Storage.SqliteVacancyRows;

namespace Lmis.Vacancies.Storage;

/// <summary>
/// Vacancies in SQLite: one row per vacancy with its content as JSON and the fields searches filter on as columns;
/// a full-text index (FTS5, accents removed) over title and description; a change sequence for the change feed,
/// assigned inside the single writer's transaction so cursors follow commit order. Searches are built and paged by
/// <see cref="SqliteVacancySearch"/>; a row is read back as a vacancy by <see cref="SqliteVacancyRows"/>.
/// </summary>
public sealed class SqliteVacancyStore(SqliteDatabase database) : IVacancyStore, IStoreSchema
{
    /// <summary>The vacancies and their text index; the expiry index holds the open ones only (a literal status, so the planner can use it).</summary>
    public const string Schema = $"""
        CREATE TABLE IF NOT EXISTS vacancies (
            seq             INTEGER PRIMARY KEY,
            id              TEXT NOT NULL,
            country         TEXT NOT NULL,
            source_id       TEXT NOT NULL,
            version         INTEGER NOT NULL,
            status          TEXT NOT NULL,
            closed_reason   TEXT NULL,
            closed_at       TEXT NULL,
            fingerprint     TEXT NOT NULL,
            content         TEXT NOT NULL,
            occupation      TEXT NOT NULL,
            sector          TEXT NULL,
            employment_type TEXT NULL,
            foreign_eligible INTEGER NOT NULL,
            origins         TEXT NOT NULL,
            pathway         TEXT NULL,
            worker_fees     INTEGER NOT NULL,
            wage_min        REAL NULL,
            wage_max        REAL NULL,
            wage_currency   TEXT NULL,
            date_posted     TEXT NULL,
            valid_through   TEXT NULL,
            published_at    TEXT NOT NULL,
            updated_at      TEXT NOT NULL,
            change_seq      INTEGER NOT NULL,
            UNIQUE (country, source_id)
        );
        CREATE INDEX IF NOT EXISTS vacancies_by_country ON vacancies (country, status, occupation, seq);
        CREATE INDEX IF NOT EXISTS vacancies_by_status ON vacancies (status, seq);
        CREATE INDEX IF NOT EXISTS vacancies_by_change ON vacancies (change_seq);
        CREATE INDEX IF NOT EXISTS vacancies_by_expiry ON vacancies (valid_through) WHERE status = '{VacancyStatus.Open}';
        """ + TextIndex;

    /// <summary>
    /// The full-text index: the words of title and description, and beside them the country, status and occupation
    /// (every prefix of its code) as words of their own columns, so that words with filters are found by the index
    /// alone (<see cref="SqliteVacancySearch"/>) instead of by walking every vacancy holding the words. It keeps no
    /// copy of the text (the vacancy row has it). It keeps word positions: without them and without a copy, SQLite's
    /// BM25 scores every match 0, so a search by relevance could not rank (positions cost a third more space, no time).
    /// </summary>
    private const string TextIndex = """
        CREATE VIRTUAL TABLE IF NOT EXISTS vacancy_text USING fts5 (title, description, country, status, occupation,
            content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
        """;

    /// <summary>
    /// Brings an earlier release's file up to <see cref="Schema"/>: a text index of title and description only, one
    /// keeping a copy of the text, or one without word positions is built again from the stored vacancies, with their
    /// country, status and occupation.
    /// </summary>
    public static void Upgrade(SqliteConnection connection, SqliteTransaction transaction)
    {
        var columns = connection.ColumnsOf("vacancy_text", transaction);
        if (columns.Count == 0
            || (columns.Contains("country") && connection.ColumnsOf("vacancy_text_content", transaction).Count == 0 && !WithoutPositions(connection, transaction)))
        {
            return;
        }

        using var rebuild = connection.Command($"""
            DROP TABLE vacancy_text;
            {TextIndex}
            INSERT INTO vacancy_text (rowid, title, description, country, status, occupation)
            SELECT seq, json_extract(content, '$.Title'), json_extract(content, '$.Description'), country, status,
                trim(substr(occupation, 1, 1) || ' ' || substr(occupation, 1, 2) || ' ' || substr(occupation, 1, 3) || ' ' || substr(occupation, 1, 4) || ' ' || occupation)
            FROM vacancies;
            """, transaction);
        rebuild.ExecuteNonQuery();
    }

    private static bool WithoutPositions(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var definition = connection.Command(
            "SELECT count(*) FROM sqlite_master WHERE name = 'vacancy_text' AND replace(lower(sql), ' ', '') LIKE '%detail=column%'", transaction);
        return Convert.ToInt64(definition.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>An occupation code as the words of the text index's occupation column: each of its prefixes (2 22 222 2221).</summary>
    public static string OccupationWords(string code) =>
        string.Join(' ', Enumerable.Range(1, code.Length).Select(n => code[..n]));

    public void CreateSchema() => database.CreateSchema();

    private const string FindSql = $"SELECT {Columns} FROM vacancies WHERE country = $country AND source_id = $source";

    private readonly SqliteOutbox _outbox = new(database);
    private readonly SqliteVacancySearch _search = new(database);

    public Outbox Outbox => _outbox;

    public async Task<IReadOnlyList<(Vacancy Vacancy, PublishOutcome Outcome)>> UpsertAsync(
        IReadOnlyList<VacancyWrite> writes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE: this is the one writer until commit, so change cursors follow commit order.
        await using var writing = await database.BeginWriteAsync(cancellationToken);
        var (connection, transaction) = (writing.Connection, writing.Transaction);
        await using var batch = await Batch.StartAsync(connection, transaction, cancellationToken);
        var results = new List<(Vacancy, PublishOutcome)>(writes.Count);
        foreach (var write in writes)
        {
            var existing = await batch.FindAsync(write.Country, write.SourceId, cancellationToken);
            var json = write.Content.ToJson();
            var fingerprint = VacancyContent.FingerprintOf(json);
            if (Vacancy.Apply(existing?.Vacancy, existing?.Fingerprint == fingerprint, write.Country, write.SourceId, write.Content, write.Closing, now)
                is not { } change)
            {
                results.Add((existing!.Value.Vacancy, PublishOutcome.Unchanged));
                continue;
            }

            var (vacancy, outcome) = (change.Next with { Cursor = batch.NextChange() }, change.Outcome);
            await batch.SaveAsync(vacancy, outcome, fingerprint, existing?.Seq, cancellationToken, json);
            results.Add((vacancy, outcome));
        }

        await transaction.CommitAsync(cancellationToken);
        if (batch.Announced.Count > 0)
        {
            _outbox.NotifyWritten(batch.Announced);
        }

        return results;
    }

    public async Task<(Vacancy Vacancy, PublishOutcome Outcome)?> CloseAsync(
        string country, string sourceId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var writing = await database.BeginWriteAsync(cancellationToken);
        var (connection, transaction) = (writing.Connection, writing.Transaction);
        await using var batch = await Batch.StartAsync(connection, transaction, cancellationToken);
        var existing = await batch.FindAsync(country, sourceId, cancellationToken);
        if (existing is not { } found)
        {
            return null;
        }

        if (found.Vacancy.CloseIfOpen(reason, now) is not { } change)
        {
            return (found.Vacancy, PublishOutcome.Unchanged);
        }

        var closed = change.Next with { Cursor = batch.NextChange() };
        await batch.SaveAsync(closed, change.Outcome, found.Fingerprint, found.Seq, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _outbox.NotifyWritten(batch.Announced);
        return (closed, change.Outcome);
    }

    public async Task<int> ExpireAsync(DateOnly today, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var writing = await database.BeginWriteAsync(cancellationToken);
        var (connection, transaction) = (writing.Connection, writing.Transaction);
        var due = new List<(Vacancy Vacancy, string Fingerprint, long Seq)>();
        await using (var command = connection.Command(
                $"SELECT {Columns} FROM vacancies WHERE status = '{VacancyStatus.Open}' AND valid_through < $today ORDER BY valid_through LIMIT $max", transaction)
            .With("$today", Date(today)).With("$max", max))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(Read(reader));
            }
        }

        await using var batch = await Batch.StartAsync(connection, transaction, cancellationToken);
        foreach (var (vacancy, fingerprint, seq) in due)
        {
            if (vacancy.ExpireIfOpen(now) is { } change)
            {
                await batch.SaveAsync(change.Next with { Cursor = batch.NextChange() }, change.Outcome, fingerprint, seq, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (due.Count > 0)
        {
            _outbox.NotifyWritten(batch.Announced);
        }

        return due.Count;
    }

    public async Task<Vacancy?> FindAsync(string country, string sourceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await FindAsync(connection, null, country, sourceId, cancellationToken))?.Vacancy;
    }

    public Task<VacancyPage> SearchAsync(VacancyQuery query, CancellationToken cancellationToken) =>
        _search.SearchAsync(query, cancellationToken);

    public async IAsyncEnumerable<(long Cursor, Vacancy Vacancy)> SnapshotAsync(
        string? country, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One read transaction: the cursor and the rows are the same moment's (WAL keeps it while writers go on).
        await using var transaction = connection.BeginTransaction(deferred: true);
        var cursor = await LastChangeAsync(connection, transaction, cancellationToken);
        await using var command = connection.Command(
                $"SELECT {Columns} FROM vacancies WHERE status = '{VacancyStatus.Open}' AND ($country IS NULL OR country = $country) ORDER BY seq", transaction)
            .With("$country", country);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return (cursor, Read(reader).Vacancy);
        }
    }

    public async Task<IReadOnlyList<Vacancy>> ChangesAsync(long after, string? country, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                $"SELECT {Columns} FROM vacancies WHERE change_seq > $after AND ($country IS NULL OR country = $country) ORDER BY change_seq LIMIT $max")
            .With("$after", after).With("$country", country).With("$max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<Vacancy>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(Read(reader).Vacancy);
        }

        return changes;
    }

    private static async Task<long> LastChangeAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken) =>
        Convert.ToInt64(
            await connection.Command("SELECT COALESCE(MAX(change_seq), 0) FROM vacancies", transaction).ExecuteScalarAsync(cancellationToken),
            CultureInfo.InvariantCulture);

    private static async Task<(Vacancy Vacancy, string Fingerprint, long Seq)?> FindAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string country, string sourceId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(FindSql, transaction)
            .With("$country", country)
            .With("$source", sourceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>
    /// The writes of one transaction, with statements prepared once and reused for every vacancy of a feed's batch
    /// (preparing them anew for each row cost more than the writes themselves).
    /// </summary>
    private sealed class Batch : IAsyncDisposable
    {
        private static readonly string[] RowParameters =
        [
            "$seq", "$id", "$country", "$source", "$version", "$status", "$reason", "$closedAt", "$fingerprint", "$content", "$occupation", "$sector",
            "$type", "$eligible", "$origins", "$pathway", "$fees", "$wageMin", "$wageMax", "$currency", "$posted", "$through", "$published", "$updated", "$change",
        ];

        private readonly SqliteCommand _find;
        private readonly RowStatement _insert;
        private readonly RowStatement _update;
        private readonly SqliteCommand _textDelete;
        private readonly SqliteCommand _textInsert;
        private readonly SqliteOutbox.Writer _outbox;
        private long _change;

        private Batch(SqliteConnection connection, SqliteTransaction transaction, long lastChange)
        {
            _change = lastChange;
            _find = connection.Command(FindSql, transaction);
            _find.Parameters.Add("$country", SqliteType.Text);
            _find.Parameters.Add("$source", SqliteType.Text);
            _insert = Prepared(connection, transaction, """
                INSERT INTO vacancies (id, country, source_id, version, status, closed_reason, closed_at, fingerprint, content, occupation, sector,
                    employment_type, foreign_eligible, origins, pathway, worker_fees, wage_min, wage_max, wage_currency, date_posted, valid_through,
                    published_at, updated_at, change_seq)
                VALUES ($id, $country, $source, $version, $status, $reason, $closedAt, $fingerprint, $content, $occupation, $sector,
                    $type, $eligible, $origins, $pathway, $fees, $wageMin, $wageMax, $currency, $posted, $through,
                    $published, $updated, $change)
                RETURNING seq
                """);
            _update = Prepared(connection, transaction, """
                UPDATE vacancies SET version = $version, status = $status, closed_reason = $reason, closed_at = $closedAt, fingerprint = $fingerprint,
                    content = $content, occupation = $occupation, sector = $sector, employment_type = $type, foreign_eligible = $eligible,
                    origins = $origins, pathway = $pathway, worker_fees = $fees, wage_min = $wageMin, wage_max = $wageMax, wage_currency = $currency,
                    date_posted = $posted, valid_through = $through, updated_at = $updated, change_seq = $change
                WHERE seq = $seq
                RETURNING seq
                """);
            _textDelete = connection.Command("DELETE FROM vacancy_text WHERE rowid = $seq", transaction);
            _textDelete.Parameters.Add("$seq", SqliteType.Integer);
            _textInsert = connection.Command(
                "INSERT INTO vacancy_text (rowid, title, description, country, status, occupation) VALUES ($seq, $title, $description, $country, $status, $occupation)",
                transaction);
            _textInsert.Parameters.Add("$seq", SqliteType.Integer);
            _textInsert.Parameters.Add("$title", SqliteType.Text);
            _textInsert.Parameters.Add("$description", SqliteType.Text);
            _textInsert.Parameters.Add("$country", SqliteType.Text);
            _textInsert.Parameters.Add("$status", SqliteType.Text);
            _textInsert.Parameters.Add("$occupation", SqliteType.Text);
            _outbox = new SqliteOutbox.Writer(connection, transaction);
        }

        /// <summary>The events written in this transaction.</summary>
        public IReadOnlyCollection<IIntegrationEvent> Announced => _outbox.Enqueued;

        public static async Task<Batch> StartAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken) =>
            new(connection, transaction, await LastChangeAsync(connection, transaction, cancellationToken));

        public long NextChange() => ++_change;

        public async Task<(Vacancy Vacancy, string Fingerprint, long Seq)?> FindAsync(string country, string sourceId, CancellationToken cancellationToken)
        {
            _find.Parameters["$country"].Value = country;
            _find.Parameters["$source"].Value = sourceId;
            await using var reader = await _find.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }

        /// <summary>Writes the vacancy's row, its full-text entry and its event.</summary>
        public async Task SaveAsync(
            Vacancy vacancy, PublishOutcome outcome, string fingerprint, long? seq, CancellationToken cancellationToken, string? contentJson = null)
        {
            var content = vacancy.Content;
            var row = seq is null ? _insert : _update;
            row.Set(Row.Seq, seq);
            row.Set(Row.Id, vacancy.Id.ToString());
            row.Set(Row.Country, vacancy.Country);
            row.Set(Row.Source, vacancy.SourceId);
            row.Set(Row.Version, vacancy.Version);
            row.Set(Row.Status, vacancy.Status);
            row.Set(Row.Reason, vacancy.ClosedReason);
            row.Set(Row.ClosedAt, vacancy.ClosedAt?.ToString("O", CultureInfo.InvariantCulture));
            row.Set(Row.Fingerprint, fingerprint);
            row.Set(Row.Content, contentJson ?? content.ToJson());
            row.Set(Row.Occupation, content.OccupationCode);
            row.Set(Row.Sector, content.SectorCode);
            row.Set(Row.Type, content.EmploymentType);
            row.Set(Row.Eligible, content.ForeignWorkersEligible ? 1 : 0);
            row.Set(Row.Origins, content.EligibleOriginCountries.Count > 0 ? "," + string.Join(",", content.EligibleOriginCountries) + "," : ",");
            row.Set(Row.Pathway, content.PathwayId);
            row.Set(Row.Fees, content.WorkerPaysRecruitmentFees ? 1 : 0);
            row.Set(Row.WageMin, (double?)content.Wage?.Min);
            row.Set(Row.WageMax, (double?)content.Wage?.Max);
            row.Set(Row.Currency, content.Wage?.Currency);
            row.Set(Row.Posted, content.DatePosted is { } posted ? Date(posted) : null);
            row.Set(Row.Through, content.ValidThrough is { } through ? Date(through) : null);
            row.Set(Row.Published, vacancy.PublishedAt.ToString("O", CultureInfo.InvariantCulture));
            row.Set(Row.Updated, vacancy.UpdatedAt.ToString("O", CultureInfo.InvariantCulture));
            row.Set(Row.Change, vacancy.Cursor);
            var command = row.Command;
            var written = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);

            if (seq is not null)
            {
                _textDelete.Parameters["$seq"].Value = written;
                await _textDelete.ExecuteNonQueryAsync(cancellationToken);
            }

            _textInsert.Parameters["$seq"].Value = written;
            _textInsert.Parameters["$title"].Value = content.Title;
            _textInsert.Parameters["$description"].Value = content.Description;
            _textInsert.Parameters["$country"].Value = vacancy.Country;
            _textInsert.Parameters["$status"].Value = vacancy.Status;
            _textInsert.Parameters["$occupation"].Value = OccupationWords(content.OccupationCode);
            await _textInsert.ExecuteNonQueryAsync(cancellationToken);
            await _outbox.EnqueueAsync(vacancy.Announce(outcome), cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await _find.DisposeAsync();
            await _insert.Command.DisposeAsync();
            await _update.Command.DisposeAsync();
            await _textDelete.DisposeAsync();
            await _textInsert.DisposeAsync();
            await _outbox.DisposeAsync();
        }

        private static RowStatement Prepared(SqliteConnection connection, SqliteTransaction transaction, string sql)
        {
            var command = connection.Command(sql, transaction);
            var slots = new SqliteParameter?[RowParameters.Length];
            for (var i = 0; i < RowParameters.Length; i++)
            {
                if (System.Text.RegularExpressions.Regex.IsMatch(sql, System.Text.RegularExpressions.Regex.Escape(RowParameters[i]) + @"\b"))
                {
                    // No declared type: each value binds as what it is (text, integer, real or null).
                    slots[i] = command.Parameters.AddWithValue(RowParameters[i], DBNull.Value);
                }
            }

            return new RowStatement(command, slots);
        }

        /// <summary>The columns of a vacancy row, in the order of <see cref="RowParameters"/>.</summary>
        private enum Row
        {
            Seq, Id, Country, Source, Version, Status, Reason, ClosedAt, Fingerprint, Content, Occupation, Sector,
            Type, Eligible, Origins, Pathway, Fees, WageMin, WageMax, Currency, Posted, Through, Published, Updated, Change,
        }

        /// <summary>A row statement with its parameters found once, so binding a row looks nothing up by name.</summary>
        private sealed class RowStatement(SqliteCommand command, SqliteParameter?[] slots)
        {
            public SqliteCommand Command { get; } = command;

            public void Set(Row column, object? value)
            {
                if (slots[(int)column] is { } parameter)
                {
                    parameter.Value = value ?? DBNull.Value;
                }
            }
        }
    }
}
