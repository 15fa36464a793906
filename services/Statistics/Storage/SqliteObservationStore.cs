using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using Lmis.Statistics.Datasets;
using Lmis.Statistics.Sdmx;
using Microsoft.Data.Sqlite;

namespace Lmis.Statistics.Storage;

/// <summary>
/// Observations on SQLite: the latest value of each (dataflow, series, period) in <c>observations</c>, every value it
/// replaced in <c>observation_vintages</c> with the time it stopped being the latest. Reading "as of" a time takes,
/// for each observation, the value that was the latest then.
/// </summary>
public sealed class SqliteObservationStore(SqliteDatabase database) : IObservationStore, IStoreSchema
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS observations (
            dataflow     TEXT NOT NULL,
            series_key   TEXT NOT NULL,
            period       TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end   TEXT NOT NULL,
            ref_area     TEXT NOT NULL,
            value        TEXT,
            attributes   TEXT NOT NULL,
            vintage      INTEGER NOT NULL,
            recorded_at  TEXT NOT NULL,
            recorded_by  TEXT NOT NULL,
            PRIMARY KEY (dataflow, series_key, period)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS observations_by_area ON observations (dataflow, ref_area, series_key, period_start);
        CREATE INDEX IF NOT EXISTS observations_by_recording ON observations (dataflow, recorded_at);
        CREATE TABLE IF NOT EXISTS observation_vintages (
            dataflow      TEXT NOT NULL,
            series_key    TEXT NOT NULL,
            period        TEXT NOT NULL,
            vintage       INTEGER NOT NULL,
            period_start  TEXT NOT NULL,
            period_end    TEXT NOT NULL,
            ref_area      TEXT NOT NULL,
            value         TEXT,
            attributes    TEXT NOT NULL,
            recorded_at   TEXT NOT NULL,
            recorded_by   TEXT NOT NULL,
            superseded_at TEXT NOT NULL,
            PRIMARY KEY (dataflow, series_key, period, vintage)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS observation_vintages_by_recording ON observation_vintages (dataflow, recorded_at);
        """;

    public void CreateSchema() => database.CreateSchema();

    private const string Columns = "series_key, period, value, attributes";
    private readonly SqliteOutbox _outbox = new(database);

    public Outbox Outbox => _outbox;

    public async Task<ObservationsSaved> SaveAsync(
        DataStructure structure, IReadOnlyList<Observation> observations, string publisher, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var writing = await database.BeginWriteAsync(cancellationToken);
        var (connection, transaction) = (writing.Connection, writing.Transaction);
        var dataflow = structure.Reference.ToString();
        var time = Time(at);
        await using var insert = connection.Command("""
            INSERT INTO observations (dataflow, series_key, period, period_start, period_end, ref_area, value, attributes, vintage, recorded_at, recorded_by)
            VALUES ($dataflow, $series, $period, $start, $end, $area, $value, $attributes, 1, $at, $by)
            ON CONFLICT (dataflow, series_key, period) DO NOTHING
            """, transaction);
        var series = insert.Parameters.Add("$series", SqliteType.Text);
        var period = insert.Parameters.Add("$period", SqliteType.Text);
        var start = insert.Parameters.Add("$start", SqliteType.Text);
        var end = insert.Parameters.Add("$end", SqliteType.Text);
        var area = insert.Parameters.Add("$area", SqliteType.Text);
        var value = insert.Parameters.Add("$value", SqliteType.Text);
        var attributes = insert.Parameters.Add("$attributes", SqliteType.Text);
        insert.Parameters.AddWithValue("$dataflow", dataflow);
        insert.Parameters.AddWithValue("$at", time);
        insert.Parameters.AddWithValue("$by", publisher);
        await using var current = connection.Command(
            "SELECT value, attributes FROM observations WHERE dataflow = $dataflow AND series_key = $series AND period = $period", transaction);
        var currentSeries = current.Parameters.Add("$series", SqliteType.Text);
        var currentPeriod = current.Parameters.Add("$period", SqliteType.Text);
        current.Parameters.AddWithValue("$dataflow", dataflow);

        var tally = new ObservationSaveTally(structure, observations);
        foreach (var observation in observations)
        {
            var text = observation.Value?.ToString(CultureInfo.InvariantCulture);
            var attributeJson = JsonSerializer.Serialize(observation.Attributes);
            series.Value = observation.SeriesKey;
            period.Value = observation.Period.ToString();
            start.Value = Day(observation.Period.Start);
            end.Value = Day(observation.Period.End);
            area.Value = ObservationSaveTally.ReportingArea(observation);
            value.Value = (object?)text ?? DBNull.Value;
            attributes.Value = attributeJson;
            // Nothing held for the series and period: the insert itself is the addition.
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                tally.Record(observation, ObservationSaveOutcome.Add);
                continue;
            }

            currentSeries.Value = observation.SeriesKey;
            currentPeriod.Value = observation.Period.ToString();
            StoredObservation held;
            await using (var reader = await current.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                held = new StoredObservation(reader.IsDBNull(0) ? null : reader.GetString(0), JsonSerializer.Deserialize<string?[]>(reader.GetString(1))!);
            }

            var outcome = ObservationSaveTally.Decide(observation, held);
            if (outcome == ObservationSaveOutcome.Revise)
            {
                await ReviseAsync(connection, transaction, dataflow, observation, text, attributeJson, time, publisher, cancellationToken);
            }

            tally.Record(observation, outcome);
        }

        await using var outbox = new SqliteOutbox.Writer(connection, transaction);
        foreach (var announcement in tally.Events(at))
        {
            await outbox.EnqueueAsync(announcement, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        _outbox.NotifyWritten(outbox.Enqueued);
        return tally.Saved;
    }

    public async IAsyncEnumerable<Observation> ReadAsync(ObservationQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command(ReadSql(query))
            .With("$dataflow", query.Structure.Reference.ToString())
            .With("$areas", query.Areas.Count == 0 ? null : JsonSerializer.Serialize(query.Areas))
            .With("$keys", query.SeriesKeys is null ? null : JsonSerializer.Serialize(query.SeriesKeys))
            .With("$from", query.Bounds.StartPeriod is { } from ? Day(from.Start) : null)
            .With("$to", query.Bounds.EndPeriod is { } to ? Day(to.End) : null)
            .With("$asOf", query.AsOf is { } asOf ? Time(asOf) : null)
            .With("$updatedAfter", query.UpdatedAfter is { } after ? Time(after) : null);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var seriesKey = reader.GetString(0);
            if (!query.Series(seriesKey))
            {
                continue;
            }

            yield return new Observation(
                query.Structure,
                seriesKey.Split('.'),
                TimePeriod.Parse(reader.GetString(1)),
                reader.IsDBNull(2) ? null : decimal.Parse(reader.GetString(2), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture),
                JsonSerializer.Deserialize<string?[]>(reader.GetString(3))!)
            {
                Vintage = new ObservationVintage(ReadTime(reader.GetString(6)), reader.IsDBNull(7) ? null : ReadTime(reader.GetString(7))),
            };
        }
    }

    public async Task<DateTimeOffset?> LastChangedAsync(DataStructure structure, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT max(recorded_at) FROM observations WHERE dataflow = $dataflow")
            .With("$dataflow", structure.Reference.ToString());
        return await select.ExecuteScalarAsync(cancellationToken) is string time ? ReadTime(time) : null;
    }

    /// <summary>
    /// Only the conditions a query has, so that SQLite picks the index that serves it: the primary key for a key naming
    /// every dimension, the areas' index, or the recording time's for <c>updatedAfter</c>.
    /// </summary>
    private static string ReadSql(ObservationQuery query)
    {
        var conditions = new StringBuilder("dataflow = $dataflow");
        conditions.Append(query.SeriesKeys is not null ? " AND series_key IN (SELECT value FROM json_each($keys))"
            : query.Areas.Count > 0 ? " AND ref_area IN (SELECT value FROM json_each($areas))" : string.Empty);
        conditions.Append(query.Bounds.StartPeriod is null ? string.Empty : " AND period_start >= $from");
        conditions.Append(query.Bounds.EndPeriod is null ? string.Empty : " AND period_start <= $to");
        conditions.Append(query.UpdatedAfter is null ? string.Empty : " AND recorded_at > $updatedAfter");
        conditions.Append(query.AsOf is null ? string.Empty : " AND recorded_at <= $asOf");
        var latest = $"SELECT {Columns}, period_start, period_end, recorded_at, NULL AS superseded_at FROM observations WHERE {conditions}";
        var earlier = $"SELECT {Columns}, period_start, period_end, recorded_at, superseded_at FROM observation_vintages WHERE {conditions}";
        const string BySeries = " ORDER BY series_key, period_start, period_end DESC";
        if (query.IncludeHistory)
        {
            return $"SELECT * FROM ({latest} UNION ALL {earlier}) ORDER BY recorded_at, superseded_at IS NULL, superseded_at, series_key, period_start, period_end DESC";
        }

        // As of a time: the latest values recorded by then, and the earlier values that were still the latest then.
        return query.AsOf is null ? latest + BySeries : $"{latest} UNION ALL {earlier} AND superseded_at > $asOf" + BySeries;
    }

    /// <summary>Keeps the value being replaced as a vintage that ended now, then records the new one.</summary>
    private static async Task ReviseAsync(
        SqliteConnection connection, SqliteTransaction transaction, string dataflow, Observation observation, string? value, string attributes,
        string at, string publisher, CancellationToken cancellationToken)
    {
        await using var keep = connection.Command("""
            INSERT INTO observation_vintages (dataflow, series_key, period, vintage, period_start, period_end, ref_area, value, attributes, recorded_at, recorded_by, superseded_at)
            SELECT dataflow, series_key, period, vintage, period_start, period_end, ref_area, value, attributes, recorded_at, recorded_by, $at
            FROM observations WHERE dataflow = $dataflow AND series_key = $series AND period = $period
            """, transaction)
            .With("$dataflow", dataflow).With("$series", observation.SeriesKey).With("$period", observation.Period.ToString()).With("$at", at);
        await keep.ExecuteNonQueryAsync(cancellationToken);
        await using var update = connection.Command("""
            UPDATE observations SET value = $value, attributes = $attributes, vintage = vintage + 1, recorded_at = $at, recorded_by = $by
            WHERE dataflow = $dataflow AND series_key = $series AND period = $period
            """, transaction)
            .With("$dataflow", dataflow).With("$series", observation.SeriesKey).With("$period", observation.Period.ToString())
            .With("$value", value).With("$attributes", attributes).With("$at", at).With("$by", publisher);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset ReadTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}
