using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Search;
using Microsoft.Data.Sqlite;

namespace Lmis.Vacancies.Storage;

/// <summary>
/// Vacancies in SQLite: one row per vacancy with its content as JSON and the fields searches filter on as columns;
/// a full-text index (FTS5, accents removed) over title and description; a change sequence for the change feed,
/// assigned inside the single writer's transaction so cursors follow commit order.
/// </summary>
public sealed class SqliteVacancyStore(SqliteDatabase database) : IVacancyStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS vacancies (
            seq             INTEGER PRIMARY KEY,
            id              TEXT NOT NULL UNIQUE,
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
        CREATE INDEX IF NOT EXISTS vacancies_by_expiry ON vacancies (status, valid_through);
        CREATE VIRTUAL TABLE IF NOT EXISTS vacancy_text USING fts5 (title, description, tokenize = 'unicode61 remove_diacritics 2');
        """;

    private const string Columns =
        "seq, id, country, source_id, version, status, closed_reason, closed_at, content, published_at, updated_at, change_seq, fingerprint";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
    private readonly SqliteOutbox _outbox = new(database);

    public Outbox Outbox => _outbox;

    public async Task<IReadOnlyList<(Vacancy Vacancy, PublishOutcome Outcome)>> UpsertAsync(
        IReadOnlyList<VacancyWrite> writes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // BEGIN IMMEDIATE: this is the one writer until commit, so change cursors follow commit order.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var change = await LastChangeAsync(connection, transaction, cancellationToken);
        var results = new List<(Vacancy, PublishOutcome)>(writes.Count);
        var announced = false;
        foreach (var write in writes)
        {
            var existing = await FindAsync(connection, transaction, write.Country, write.SourceId, cancellationToken);
            var fingerprint = write.Content.Fingerprint();
            if (existing is not null && existing.Value.Fingerprint == fingerprint)
            {
                results.Add((existing.Value.Vacancy, PublishOutcome.Unchanged));
                continue;
            }

            var (vacancy, outcome) = existing is { } previous
                ? (previous.Vacancy.Revise(write.Content, now) with { Cursor = ++change }, PublishOutcome.Updated)
                : (new Vacancy(Guid.NewGuid(), write.Country, write.SourceId, 1, VacancyStatus.Open, write.Content, now, now) { Cursor = ++change }, PublishOutcome.Created);
            await SaveAsync(connection, transaction, vacancy, fingerprint, existing?.Seq, cancellationToken);
            await SqliteOutbox.EnqueueAsync(connection, transaction, vacancy.Announce(outcome), cancellationToken);
            announced = true;
            results.Add((vacancy, outcome));
        }

        await transaction.CommitAsync(cancellationToken);
        if (announced)
        {
            _outbox.NotifyWritten();
        }

        return results;
    }

    public async Task<(Vacancy Vacancy, PublishOutcome Outcome)?> CloseAsync(
        string country, string sourceId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var existing = await FindAsync(connection, transaction, country, sourceId, cancellationToken);
        if (existing is not { } found)
        {
            return null;
        }

        if (!found.Vacancy.IsOpen)
        {
            return (found.Vacancy, PublishOutcome.Unchanged);
        }

        var closed = found.Vacancy.Close(reason, now) with { Cursor = await LastChangeAsync(connection, transaction, cancellationToken) + 1 };
        await SaveAsync(connection, transaction, closed, found.Fingerprint, found.Seq, cancellationToken);
        await SqliteOutbox.EnqueueAsync(connection, transaction, closed.Announce(PublishOutcome.Closed), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _outbox.NotifyWritten();
        return (closed, PublishOutcome.Closed);
    }

    public async Task<int> ExpireAsync(DateOnly today, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var due = new List<(Vacancy Vacancy, string Fingerprint, long Seq)>();
        await using (var command = connection.Command(
                $"SELECT {Columns} FROM vacancies WHERE status = 'open' AND valid_through < $today ORDER BY valid_through LIMIT $max", transaction)
            .With("$today", Date(today)).With("$max", max))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(Read(reader));
            }
        }

        var change = await LastChangeAsync(connection, transaction, cancellationToken);
        foreach (var (vacancy, fingerprint, seq) in due)
        {
            var expired = vacancy.Close(VacancyStatus.Expired, now) with { Cursor = ++change };
            await SaveAsync(connection, transaction, expired, fingerprint, seq, cancellationToken);
            await SqliteOutbox.EnqueueAsync(connection, transaction, expired.Announce(PublishOutcome.Closed), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (due.Count > 0)
        {
            _outbox.NotifyWritten();
        }

        return due.Count;
    }

    public async Task<Vacancy?> FindAsync(string country, string sourceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await FindAsync(connection, null, country, sourceId, cancellationToken))?.Vacancy;
    }

    public async Task<VacancyPage> SearchAsync(VacancyQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var where = new StringBuilder("WHERE 1 = 1");
        await using var command = connection.CreateCommand();
        void Add(string condition, params (string Name, object? Value)[] parameters)
        {
            where.Append(" AND ").Append(condition);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }

        if (query.Countries.Count > 0)
        {
            var names = query.Countries.Select((_, i) => $"$country{i}").ToArray();
            Add($"v.country IN ({string.Join(", ", names)})", [.. query.Countries.Select((c, i) => (names[i], (object?)c))]);
        }

        if (query.Statuses.Count > 0)
        {
            var names = query.Statuses.Select((_, i) => $"$status{i}").ToArray();
            Add($"v.status IN ({string.Join(", ", names)})", [.. query.Statuses.Select((s, i) => (names[i], (object?)s))]);
        }

        if (query.OccupationPrefix is { } occupation)
        {
            // A code range, so the index serves it: every code starting with the prefix sorts between these two.
            Add("v.occupation >= $occupationFrom AND v.occupation < $occupationTo", ("$occupationFrom", occupation), ("$occupationTo", occupation + "~"));
        }

        if (query.SectorCode is { } sector)
        {
            Add("v.sector = $sector", ("$sector", sector));
        }

        if (query.EmploymentType is { } type)
        {
            Add("v.employment_type = $type", ("$type", type));
        }

        if (query.ForeignWorkersEligible is { } eligible)
        {
            Add("v.foreign_eligible = $eligible", ("$eligible", eligible ? 1 : 0));
        }

        if (query.OriginCountry is { } origin)
        {
            Add("v.foreign_eligible = 1 AND (v.origins = ',' OR instr(v.origins, $origin) > 0)", ("$origin", $",{origin},"));
        }

        if (query.PathwayId is { } pathway)
        {
            Add("v.pathway = $pathway", ("$pathway", pathway));
        }

        if (query.FeeFreeOnly)
        {
            Add("v.worker_fees = 0");
        }

        if (query.WageCurrency is { } currency)
        {
            Add("v.wage_currency = $currency", ("$currency", currency));
            if (query.WageMin is { } min)
            {
                Add("COALESCE(v.wage_max, v.wage_min) >= $wageMin", ("$wageMin", (double)min));
            }

            if (query.WageMax is { } max)
            {
                Add("COALESCE(v.wage_min, v.wage_max) <= $wageMax", ("$wageMax", (double)max));
            }
        }

        if (query.PostedSince is { } since)
        {
            Add("v.date_posted >= $since", ("$since", Date(since)));
        }

        if (query.Text is { } text && FullTextQuery(text) is { } match)
        {
            Add("v.seq IN (SELECT rowid FROM vacancy_text WHERE vacancy_text MATCH $match)", ("$match", match));
        }

        long? total = null;
        if (query.IncludeTotal)
        {
            command.CommandText = $"SELECT COUNT(*) FROM vacancies v {where}";
            total = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        if (query.After is { } after)
        {
            Add("v.seq < $after", ("$after", after));
        }

        command.CommandText = $"SELECT {string.Join(", ", Columns.Split(", ").Select(c => "v." + c))} FROM vacancies v {where} ORDER BY v.seq DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", query.PageSize + 1);
        var rows = new List<(Vacancy Vacancy, string Fingerprint, long Seq)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(Read(reader));
            }
        }

        var page = rows.Take(query.PageSize).ToArray();
        return new VacancyPage(
            [.. page.Select(r => r.Vacancy)],
            rows.Count > query.PageSize ? page[^1].Seq : null,
            total);
    }

    public async IAsyncEnumerable<(long Cursor, Vacancy Vacancy)> SnapshotAsync(
        string? country, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One read transaction: the cursor and the rows are the same moment's (WAL keeps it while writers go on).
        await using var transaction = connection.BeginTransaction(deferred: true);
        var cursor = await LastChangeAsync(connection, transaction, cancellationToken);
        await using var command = connection.Command(
                $"SELECT {Columns} FROM vacancies WHERE status = 'open' AND ($country IS NULL OR country = $country) ORDER BY seq", transaction)
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

    /// <summary>The words of a free-text search as an FTS5 query: every word must appear (quoted, so no operator can be injected).</summary>
    internal static string? FullTextQuery(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text.Append(' '))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                words.Add($"\"{word}\"");
                word.Clear();
            }
        }

        return words.Count == 0 ? null : string.Join(" ", words.Take(16));
    }

    private static async Task<long> LastChangeAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken) =>
        Convert.ToInt64(
            await connection.Command("SELECT COALESCE(MAX(change_seq), 0) FROM vacancies", transaction).ExecuteScalarAsync(cancellationToken),
            CultureInfo.InvariantCulture);

    private static async Task SaveAsync(
        SqliteConnection connection, SqliteTransaction transaction, Vacancy vacancy, string fingerprint, long? seq, CancellationToken cancellationToken)
    {
        var content = vacancy.Content;
        var command = connection.Command(seq is null
            ? """
              INSERT INTO vacancies (id, country, source_id, version, status, closed_reason, closed_at, fingerprint, content, occupation, sector,
                  employment_type, foreign_eligible, origins, pathway, worker_fees, wage_min, wage_max, wage_currency, date_posted, valid_through,
                  published_at, updated_at, change_seq)
              VALUES ($id, $country, $source, $version, $status, $reason, $closedAt, $fingerprint, $content, $occupation, $sector,
                  $type, $eligible, $origins, $pathway, $fees, $wageMin, $wageMax, $currency, $posted, $through,
                  $published, $updated, $change)
              RETURNING seq
              """
            : """
              UPDATE vacancies SET version = $version, status = $status, closed_reason = $reason, closed_at = $closedAt, fingerprint = $fingerprint,
                  content = $content, occupation = $occupation, sector = $sector, employment_type = $type, foreign_eligible = $eligible,
                  origins = $origins, pathway = $pathway, worker_fees = $fees, wage_min = $wageMin, wage_max = $wageMax, wage_currency = $currency,
                  date_posted = $posted, valid_through = $through, updated_at = $updated, change_seq = $change
              WHERE seq = $seq
              RETURNING seq
              """,
            transaction);
        await using (command)
        {
            var written = Convert.ToInt64(await command
                .With("$seq", seq)
                .With("$id", vacancy.Id.ToString())
                .With("$country", vacancy.Country)
                .With("$source", vacancy.SourceId)
                .With("$version", vacancy.Version)
                .With("$status", vacancy.Status)
                .With("$reason", vacancy.ClosedReason)
                .With("$closedAt", vacancy.ClosedAt?.ToString("O", CultureInfo.InvariantCulture))
                .With("$fingerprint", fingerprint)
                .With("$content", JsonSerializer.Serialize(content, Json))
                .With("$occupation", content.OccupationCode)
                .With("$sector", content.SectorCode)
                .With("$type", content.EmploymentType)
                .With("$eligible", content.ForeignWorkersEligible ? 1 : 0)
                .With("$origins", "," + string.Join(",", content.EligibleOriginCountries) + (content.EligibleOriginCountries.Count > 0 ? "," : string.Empty))
                .With("$pathway", content.PathwayId)
                .With("$fees", content.WorkerPaysRecruitmentFees ? 1 : 0)
                .With("$wageMin", (double?)content.Wage?.Min)
                .With("$wageMax", (double?)content.Wage?.Max)
                .With("$currency", content.Wage?.Currency)
                .With("$posted", content.DatePosted is { } posted ? Date(posted) : null)
                .With("$through", content.ValidThrough is { } through ? Date(through) : null)
                .With("$published", vacancy.PublishedAt.ToString("O", CultureInfo.InvariantCulture))
                .With("$updated", vacancy.UpdatedAt.ToString("O", CultureInfo.InvariantCulture))
                .With("$change", vacancy.Cursor)
                .ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);

            if (seq is not null)
            {
                await connection.Command("DELETE FROM vacancy_text WHERE rowid = $seq", transaction).With("$seq", written).ExecuteNonQueryAsync(cancellationToken);
            }

            await connection.Command("INSERT INTO vacancy_text (rowid, title, description) VALUES ($seq, $title, $description)", transaction)
                .With("$seq", written).With("$title", content.Title).With("$description", content.Description)
                .ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<(Vacancy Vacancy, string Fingerprint, long Seq)?> FindAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string country, string sourceId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"SELECT {Columns} FROM vacancies WHERE country = $country AND source_id = $source", transaction)
            .With("$country", country)
            .With("$source", sourceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static (Vacancy Vacancy, string Fingerprint, long Seq) Read(SqliteDataReader reader)
    {
        var vacancy = new Vacancy(
            Guid.Parse(reader.GetString(1)),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetInt32(4),
            reader.GetString(5),
            JsonSerializer.Deserialize<VacancyContent>(reader.GetString(8), Json)
                ?? throw new InvalidDataException($"Vacancy {reader.GetString(1)} has no content."),
            DateTimeOffset.Parse(reader.GetString(9), CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(reader.GetString(10), CultureInfo.InvariantCulture))
        {
            ClosedReason = reader.IsDBNull(6) ? null : reader.GetString(6),
            ClosedAt = reader.IsDBNull(7) ? null : DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture),
            Cursor = reader.GetInt64(11),
        };
        return (vacancy, reader.GetString(12), reader.GetInt64(0));
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
