using System.Globalization;
using System.Text;
using Lmis.BuildingBlocks.Storage;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Search;
using Microsoft.Data.Sqlite;
using static Lmis.Vacancies.Storage.SqliteVacancyRows;

namespace Lmis.Vacancies.Storage;

/// <summary>
/// A vacancy search on SQLite: the filters as one SQL condition over the row's columns, the full-text index leading
/// when there are words to find, newest first, paged by keyset on the row's position. Reads only.
/// </summary>
public sealed class SqliteVacancySearch(SqliteDatabase database)
{
    public async Task<VacancyPage> SearchAsync(VacancyQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var (from, where, newestFirst) = Conditions(command, query);
        long? total = null;
        if (query.IncludeTotal)
        {
            command.CommandText = $"SELECT COUNT(*) FROM {from} {where}";
            total = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        long oldest = 0;
        if (Ranked(query, from))
        {
            // The window of matches to rank, found newest first; with none, there is nothing to rank, and BM25's
            // counting of every vacancy holding each term is not paid for an empty page.
            command.CommandText = $"SELECT count(*), min(position) FROM (SELECT v.seq AS position FROM {from} {where} ORDER BY {newestFirst} LIMIT $window)";
            command.Parameters.AddWithValue("$window", VacancySearch.MaxRankedMatches);
            long matches;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                (matches, oldest) = (reader.GetInt64(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1));
            }

            if (matches == 0)
            {
                return new VacancyPage([], null, total) { Order = query.Order };
            }
        }

        PagePositions(command, query, from, where, newestFirst, oldest);

        var rows = new List<(Vacancy Vacancy, string Fingerprint, long Seq)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(Read(reader));
            }
        }

        var page = rows.Take(query.PageSize).ToArray();
        long? next = rows.Count <= query.PageSize ? null
            : query.Order == VacancyOrder.Newest ? page[^1].Seq
            : query.Skip + query.PageSize < VacancySearch.MaxRankedMatches ? query.Skip + query.PageSize
            : null;
        return new VacancyPage([.. page.Select(r => r.Vacancy)], next, total) { Order = query.Order };
    }

    /// <summary>How SQLite will find a search's page (<c>EXPLAIN QUERY PLAN</c>, one line per step), to check which index leads.</summary>
    public async Task<IReadOnlyList<string>> PlanAsync(VacancyQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var (from, where, newestFirst) = Conditions(command, query);
        PagePositions(command, query, from, where, newestFirst);
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    private static bool Ranked(VacancyQuery query, string from) => query.Order == VacancyOrder.Relevance && from != VacanciesOnly;

    /// <summary>
    /// The page's positions first, from the indexes alone where the filters allow; then only those rows are read. By
    /// relevance, the newest <see cref="VacancySearch.MaxRankedMatches"/> matches are scored (BM25 over title and
    /// description; the filter columns weigh nothing) and the page is the best ones after those earlier pages gave:
    /// the window's oldest match (<paramref name="oldest"/>) is found first, newest first through the text index, and
    /// the index then reads only the matches from there on. Each match scored costs about 2 µs: a common word would
    /// otherwise cost most of a second.
    /// </summary>
    private static void PagePositions(SqliteCommand command, VacancyQuery query, string from, StringBuilder where, string newestFirst, long oldest = 0)
    {
        command.Parameters.AddWithValue("$limit", query.PageSize + 1);
        if (Ranked(query, from))
        {
            command.CommandText = $"""
                SELECT {Columns} FROM (
                    SELECT v.seq AS position, bm25(vacancy_text, 3.0, 1.0, 0.0, 0.0, 0.0) AS score FROM {from} {where} AND t.rowid >= $oldest
                    ORDER BY score, position DESC LIMIT $limit OFFSET $skip) ranked
                CROSS JOIN vacancies ON vacancies.seq = ranked.position
                ORDER BY ranked.score, ranked.position DESC
                """;
            command.Parameters.AddWithValue("$skip", query.Skip);
            command.Parameters.AddWithValue("$oldest", oldest);
            return;
        }

        if (query.After is { } after)
        {
            where.Append(" AND v.seq < $after");
            command.Parameters.AddWithValue("$after", after);
        }

        command.CommandText = $"""
            SELECT {Columns} FROM vacancies
            WHERE seq IN (SELECT v.seq FROM {from} {where} ORDER BY {newestFirst} LIMIT $limit)
            ORDER BY seq DESC
            """;
    }

    private const string VacanciesOnly = "vacancies v";

    /// <summary>The search's tables and its filters as one SQL condition, with their parameters bound to <paramref name="command"/>.</summary>
    private static (string From, StringBuilder Where, string NewestFirst) Conditions(SqliteCommand command, VacancyQuery query)
    {
        var where = new StringBuilder("WHERE 1 = 1");
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

        // With words to find, the full-text index leads, newest first. Country, status and occupation are words of the
        // index too, so the index finds the vacancies that have the words AND the filters: a common word in a country
        // whose vacancies lie far back costs a page's worth of rows, not every vacancy that holds the word. The other
        // filters are checked on the way. CROSS JOIN keeps the text index in the lead: given country, status and an
        // occupation range, the planner would otherwise walk the country index and ask the text index once per row
        // (seconds at 100,000 vacancies).
        var from = VacanciesOnly;
        var newestFirst = "v.seq DESC";
        if (query.Text is { } text && FullTextQuery(text) is { } words)
        {
            from = "vacancy_text t CROSS JOIN vacancies v ON v.seq = t.rowid";
            newestFirst = "t.rowid DESC";
            Add("vacancy_text MATCH $match", ("$match", TextIndexQuery(words, query, rankedBy: query.Order == VacancyOrder.Relevance)));
        }

        return (from, where, newestFirst);
    }

    /// <summary>
    /// The query of the text index: the words in title or description, and the country, status and occupation
    /// filters in their own columns (a word search never matches a country code or a status). A search by relevance
    /// leaves the status to the vacancy row: BM25 counts the vacancies holding each term of the query, and nearly
    /// every vacancy is open (at 1,000,000 vacancies, counting them took ~80 ms of each ranked search).
    /// </summary>
    internal static string TextIndexQuery(string words, VacancyQuery query, bool rankedBy = false)
    {
        var match = new StringBuilder("{title description}: (").Append(words).Append(')');
        void Column(string column, IEnumerable<string> values)
        {
            var quoted = values.Select(Quoted).ToArray();
            if (quoted.Length > 0)
            {
                match.Append(" AND ").Append(column).Append(": (").Append(string.Join(" OR ", quoted)).Append(')');
            }
        }

        Column("country", query.Countries);
        Column("status", rankedBy ? [] : query.Statuses);
        Column("occupation", query.OccupationPrefix is { } occupation ? [occupation] : []);
        return match.ToString();
    }

    private static string Quoted(string value) => $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

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
                words.Add(Quoted(word.ToString()));
                word.Clear();
            }
        }

        return words.Count == 0 ? null : string.Join(" ", words.Take(16));
    }
}
