using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Lmis.Contracts.Vacancies.V1;

namespace Lmis.Cli.Feeds;

/// <summary>
/// A vacancy feed in the CSV columns of <c>POST /api/v1/vacancies:csv</c> (docs/vacancies.md): header row, any
/// column order, RFC 4180 quoting, lists separated by ';'. Each row becomes the Vacancy message that gRPC carries;
/// a value that has no place in it (a number that is not one) refuses its row here, with the same words as the server.
/// </summary>
public sealed class CsvVacancyFeed(Stream stream) : IVacancyFeed
{
    public static readonly IReadOnlySet<string> Columns = new HashSet<string>(StringComparer.Ordinal)
    {
        "country", "source_id", "title", "description", "language", "occupation_code", "suggest_occupation_code",
        "national_occupation_scheme", "national_occupation_code", "sector_code", "employer_name", "location_subdivision",
        "location_locality", "positions", "employment_type", "working_time", "hours_per_week", "wage_min", "wage_max",
        "wage_currency", "wage_period", "education_level", "experience_months", "required_languages", "required_skills",
        "date_posted", "valid_through", "foreign_workers_eligible", "eligible_origin_countries", "pathway_id",
        "worker_pays_recruitment_fees", "recruiter_name", "recruiter_certification", "status",
    };

    private static readonly string[] Required = ["country", "source_id", "title"];

    public long Length => stream.Length;

    public long Position => stream.Position;

    public IEnumerable<FeedRow> Rows()
    {
        var misplacedQuote = false;
        using var text = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = false,
            TrimOptions = TrimOptions.Trim,
            BadDataFound = _ => misplacedQuote = true,
            MissingFieldFound = null,
            IgnoreBlankLines = true,
        });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            throw new FeedUnreadableException(1, "no header row");
        }

        var header = csv.HeaderRecord.Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToArray();
        CheckHeader(header, csv.HeaderRecord);
        while (csv.Read())
        {
            var line = StartLine(csv.Parser.RawRow, csv.Parser.RawRecord);
            if (misplacedQuote)
            {
                misplacedQuote = false;
                yield return new FeedRow(line, string.Empty, null, [new RowProblem($"line {line}", null,
                    "a quote out of place: quote the whole value, and write a quote inside a quoted value twice (\"\")")]);
                continue;
            }

            if (csv.Parser.Count != header.Length)
            {
                yield return new FeedRow(line, string.Empty, null, [new RowProblem($"line {line}", null, $"{csv.Parser.Count} fields where the header has {header.Length}")]);
                continue;
            }

            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                cells[header[i]] = csv.Parser[i] ?? string.Empty;
            }

            var problems = new List<RowProblem>();
            var vacancy = ToVacancy(new Cells(cells, problems));
            yield return new FeedRow(line, vacancy.SourceId, problems.Count == 0 ? vacancy : null, problems);
        }
    }

    public void Dispose() => stream.Dispose();

    private static void CheckHeader(string[] header, string[] asWritten)
    {
        var unknown = header.Where(h => !Columns.Contains(h)).ToArray();
        var missing = Required.Except(header).ToArray();
        var twice = header.GroupBy(h => h).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (unknown.Length + missing.Length + twice.Length == 0)
        {
            return;
        }

        throw new FeedUnreadableException(1, $"the header '{string.Join(",", asWritten)}' is not a vacancy feed's: "
            + (missing.Length > 0 ? $"missing columns {string.Join(",", missing)}; " : string.Empty)
            + (unknown.Length > 0 ? $"unknown columns {string.Join(",", unknown)}; " : string.Empty)
            + (twice.Length > 0 ? $"columns named twice {string.Join(",", twice)}; " : string.Empty)
            + (header.Length == 1 && header[0].Contains(';', StringComparison.Ordinal) ? "the separator must be a comma; " : string.Empty)
            + "see docs/vacancies.md for the columns");
    }

    private static Vacancy ToVacancy(Cells row)
    {
        var vacancy = new Vacancy
        {
            Country = row["country"],
            SourceId = row["source_id"],
            Title = row["title"],
            Description = row["description"],
            Language = row["language"],
            OccupationCode = row["occupation_code"],
            SuggestOccupationCode = row.Flag("suggest_occupation_code"),
            NationalOccupationScheme = row["national_occupation_scheme"],
            NationalOccupationCode = row["national_occupation_code"],
            SectorCode = row["sector_code"],
            EmployerName = row["employer_name"],
            LocationSubdivision = row["location_subdivision"],
            LocationLocality = row["location_locality"],
            EmploymentType = row["employment_type"],
            WorkingTime = row["working_time"],
            HoursPerWeek = row.Number("hours_per_week") ?? 0,
            EducationLevel = row["education_level"],
            ExperienceMonths = row.WholeNumber("experience_months") ?? 0,
            DatePosted = row["date_posted"],
            ValidThrough = row["valid_through"],
            ForeignWorkersEligible = row.Flag("foreign_workers_eligible"),
            PathwayId = row["pathway_id"],
            WorkerPaysRecruitmentFees = row.Flag("worker_pays_recruitment_fees"),
            RecruiterName = row["recruiter_name"],
            RecruiterCertification = row["recruiter_certification"],
            Status = row["status"],
        };
        // Sent only when given, so that a 0 is refused by the server as on every other path, not taken for "not sent".
        if (row.WholeNumber("positions") is { } positions)
        {
            vacancy.Positions = positions;
        }

        var (min, max) = (row.Number("wage_min"), row.Number("wage_max"));
        if (min is not null || max is not null || row["wage_currency"].Length > 0 || row["wage_period"].Length > 0)
        {
            vacancy.Wage = new Wage { Min = min ?? 0, Max = max ?? 0, Currency = row["wage_currency"], Period = row["wage_period"] };
        }

        vacancy.RequiredLanguages.AddRange(row.List("required_languages"));
        vacancy.RequiredSkills.AddRange(row.List("required_skills"));
        vacancy.EligibleOriginCountries.AddRange(row.List("eligible_origin_countries"));
        return vacancy;
    }

    /// <summary>
    /// The line a record starts on: the parser counts lines to the record's end, and a quoted value may hold line
    /// breaks (CR LF, LF or CR).
    /// </summary>
    private static int StartLine(int endLine, string rawRecord)
    {
        var text = rawRecord.AsSpan().TrimEnd("\r\n");
        var breaks = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                breaks++;
            }
        }

        return endLine - breaks;
    }

    /// <summary>One row's cells by column, converting the typed ones and noting what does not convert.</summary>
    private sealed class Cells(Dictionary<string, string> cells, List<RowProblem> problems)
    {
        public string this[string column] => cells.GetValueOrDefault(column) ?? string.Empty;

        public bool Flag(string column)
        {
            switch (this[column].ToLowerInvariant())
            {
                case "" or "false" or "no" or "0":
                    return false;
                case "true" or "yes" or "1":
                    return true;
                default:
                    problems.Add(new RowProblem(column, this[column], "true or false"));
                    return false;
            }
        }

        public int? WholeNumber(string column)
        {
            var text = this[column];
            if (text.Length == 0)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }

            problems.Add(new RowProblem(column, text, "a whole number"));
            return null;
        }

        public double? Number(string column)
        {
            var text = this[column];
            if (text.Length == 0)
            {
                return null;
            }

            // No thousands separator: "9,50" written with a decimal comma must be refused, not read as 950.
            if (decimal.TryParse(text, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var number))
            {
                return (double)number;
            }

            problems.Add(new RowProblem(column, text, "a number (decimal point, no thousands separator)"));
            return null;
        }

        public IEnumerable<string> List(string column) =>
            this[column].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
