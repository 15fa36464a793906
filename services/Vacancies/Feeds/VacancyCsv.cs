using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using CsvHelper.Configuration;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.Text;
using Lmis.Vacancies.Publishing;

namespace Lmis.Vacancies.Feeds;

/// <summary>
/// A ministry's vacancy feed as CSV (docs/vacancies.md): a header row naming the columns (any order; unknown columns
/// refused), comma-separated, UTF-8, RFC 4180 quoting; list columns separate their items with ';'. Each row is one
/// vacancy, identified in results by its line number.
/// </summary>
public static class VacancyCsv
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "country", "source_id", "title", "description", "language", "occupation_code", "national_occupation_scheme",
        "national_occupation_code", "sector_code", "employer_name", "location_subdivision", "location_locality", "positions",
        "employment_type", "working_time", "hours_per_week", "wage_min", "wage_max", "wage_currency", "wage_period",
        "education_level", "experience_months", "required_languages", "required_skills", "date_posted", "valid_through",
        "foreign_workers_eligible", "eligible_origin_countries", "pathway_id", "worker_pays_recruitment_fees",
        "recruiter_name", "recruiter_certification", "status",
    ];

    /// <summary>
    /// Columns a feed may send that an export never writes: <c>suggest_occupation_code</c> (true: with no code given,
    /// code the row with the taxonomy's suggestion for its title) — an exported row has its code already.
    /// </summary>
    public static readonly IReadOnlyList<string> InputOnlyColumns = ["suggest_occupation_code"];

    /// <summary>Checks the header row; a file whose header is wrong is refused whole, before any row is read.</summary>
    public static async Task<(CsvReader Reader, string[] Header)> OpenAsync(TextReader text)
    {
        var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = false,
            TrimOptions = TrimOptions.Trim,
            BadDataFound = null,
            MissingFieldFound = null,
            IgnoreBlankLines = true,
        });
        if (!await csv.ReadAsync() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            csv.Dispose();
            throw new ValidationFailedException("Vacancy feed", [new FieldError("line 1", null, "no header row")]);
        }

        var header = csv.HeaderRecord.Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToArray();
        var unknown = header.Except(Columns).Except(InputOnlyColumns).ToArray();
        var missing = new[] { "country", "source_id", "title" }.Except(header).ToArray();
        if (unknown.Length > 0 || missing.Length > 0)
        {
            csv.Dispose();
            throw new ValidationFailedException("Vacancy feed",
            [
                new FieldError("line 1", string.Join(",", csv.HeaderRecord),
                    (missing.Length > 0 ? $"missing columns {string.Join(",", missing)}; " : string.Empty)
                    + (unknown.Length > 0 ? $"unknown columns {string.Join(",", unknown)}; " : string.Empty)
                    + (header.Length == 1 && header[0].Contains(';', StringComparison.Ordinal) ? "the separator must be a comma; " : string.Empty)
                    + "see docs/vacancies.md for the columns"),
            ]);
        }

        return (csv, header);
    }

    /// <summary>The rows of an opened feed: each a submission, or the reasons its line could not be read.</summary>
    public static async IAsyncEnumerable<(int Line, VacancySubmission? Submission, IReadOnlyList<FieldError> Errors)> RowsAsync(
        CsvReader csv, string[] header, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await csv.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = CsvLines.StartLine(csv.Parser.RawRow, csv.Parser.RawRecord);
            if (CsvQuotes.Find(csv.Parser.RawRecord) is { } quote)
            {
                var at = CsvLines.StartLine(csv.Parser.RawRow, csv.Parser.RawRecord, quote.Problem == CsvQuotes.Problem.NeverClosed) + quote.Line - 1;
                yield return (at, null, [new FieldError($"line {at}", null, quote.Problem == CsvQuotes.Problem.InUnquotedValue
                    ? $"a quote at column {quote.Column} inside a value that is not quoted; quote the whole value and write the quote twice (\"\")"
                    : $"the quote opened at column {quote.Column} is not closed where its value ends (a quote inside a quoted value is written twice: \"\")")]);
                continue;
            }

            if (csv.Parser.Count != header.Length)
            {
                yield return (line, null, [new FieldError($"line {line}", null, $"{csv.Parser.Count} fields where the header has {header.Length}")]);
                continue;
            }

            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                row[header[i]] = csv.Parser[i];
            }

            string? F(string column) => row.GetValueOrDefault(column);
            IReadOnlyList<string> L(string column) =>
                (F(column) ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

            yield return (line, new VacancySubmission
            {
                Country = F("country"),
                SourceId = F("source_id"),
                Title = F("title"),
                Description = F("description"),
                Language = F("language"),
                OccupationCode = F("occupation_code"),
                SuggestOccupationCode = F("suggest_occupation_code"),
                NationalOccupationScheme = F("national_occupation_scheme"),
                NationalOccupationCode = F("national_occupation_code"),
                SectorCode = F("sector_code"),
                EmployerName = F("employer_name"),
                LocationSubdivision = F("location_subdivision"),
                LocationLocality = F("location_locality"),
                Positions = F("positions"),
                EmploymentType = F("employment_type"),
                WorkingTime = F("working_time"),
                HoursPerWeek = F("hours_per_week"),
                WageMin = F("wage_min"),
                WageMax = F("wage_max"),
                WageCurrency = F("wage_currency"),
                WagePeriod = F("wage_period"),
                EducationLevel = F("education_level"),
                ExperienceMonths = F("experience_months"),
                RequiredLanguages = L("required_languages"),
                RequiredSkills = L("required_skills"),
                DatePosted = F("date_posted"),
                ValidThrough = F("valid_through"),
                ForeignWorkersEligible = F("foreign_workers_eligible"),
                EligibleOriginCountries = L("eligible_origin_countries"),
                PathwayId = F("pathway_id"),
                WorkerPaysRecruitmentFees = F("worker_pays_recruitment_fees"),
                RecruiterName = F("recruiter_name"),
                RecruiterCertification = F("recruiter_certification"),
                Status = F("status"),
            }, []);
        }
    }

    /// <summary>
    /// Writes vacancies in the feed format. For machines (the default) every cell is exactly what is stored, so the
    /// file reads back as the same feed. For a spreadsheet, cells it would run as a formula (starting with =, +, -,
    /// @, tab or carriage return) get a leading apostrophe, as OWASP advises against CSV injection — such a file is
    /// for reading by people, not for sending back.
    /// </summary>
    public static async Task WriteAsync(TextWriter text, IAsyncEnumerable<Vacancy> vacancies, bool forSpreadsheet, CancellationToken cancellationToken)
    {
        await using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            InjectionOptions = forSpreadsheet ? InjectionOptions.Escape : InjectionOptions.None,
        });
        foreach (var column in Columns)
        {
            csv.WriteField(column);
        }

        await csv.NextRecordAsync();
        await foreach (var vacancy in vacancies.WithCancellation(cancellationToken))
        {
            foreach (var value in Row(vacancy))
            {
                csv.WriteField(value);
            }

            await csv.NextRecordAsync();
        }
    }

    /// <summary>A vacancy's cells, in the order of <see cref="Columns"/>.</summary>
    public static string?[] Row(Vacancy vacancy)
    {
        var c = vacancy.Content;
        static string? Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);
        static string? Flag(bool value) => value ? "true" : "false";
        static string? Date(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return
        [
            vacancy.Country, vacancy.SourceId, c.Title, c.Description, c.Language, c.OccupationCode, c.NationalOccupationScheme,
            c.NationalOccupationCode, c.SectorCode, c.EmployerName, c.LocationSubdivision, c.LocationLocality,
            c.Positions.ToString(CultureInfo.InvariantCulture), c.EmploymentType, c.WorkingTime,
            c.HoursPerWeek?.ToString(CultureInfo.InvariantCulture), Number(c.Wage?.Min), Number(c.Wage?.Max), c.Wage?.Currency, c.Wage?.Period,
            c.EducationLevel, c.ExperienceMonths?.ToString(CultureInfo.InvariantCulture), string.Join(';', c.RequiredLanguages),
            string.Join(';', c.RequiredSkills), Date(c.DatePosted), Date(c.ValidThrough), Flag(c.ForeignWorkersEligible),
            string.Join(';', c.EligibleOriginCountries), c.PathwayId, Flag(c.WorkerPaysRecruitmentFees), c.RecruiterName,
            c.RecruiterCertification, vacancy.Status,
        ];
    }
}
