using System.Globalization;
using System.Text.Json;
using Lmis.Vacancies.Publishing;
using Microsoft.Data.Sqlite;

namespace Lmis.Vacancies.Storage;

/// <summary>A vacancy row of the SQLite <c>vacancies</c> table read back, for the writer and the search alike.</summary>
internal static class SqliteVacancyRows
{
    /// <summary>The columns <see cref="Read"/> expects, in its order.</summary>
    public const string Columns =
        "seq, id, country, source_id, version, status, closed_reason, closed_at, content, published_at, updated_at, change_seq, fingerprint";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public static (Vacancy Vacancy, string Fingerprint, long Seq) Read(SqliteDataReader reader)
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

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
