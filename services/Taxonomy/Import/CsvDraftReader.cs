using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.Text;

namespace Lmis.Taxonomy.Import;

/// <summary>
/// Reads a scheme version from the documented CSV files (docs/taxonomy-import.md): <c>concepts.csv</c> (required),
/// <c>labels.csv</c>, <c>relations.csv</c> and <c>attributes.csv</c>. Each file has a header row naming its columns
/// (any order, extra columns refused), comma-separated, UTF-8, RFC 4180 quoting. Structural problems (a missing
/// column, a malformed line) are reported with file, line and column; the rules are checked afterwards.
/// </summary>
public static class CsvDraftReader
{
    public const string ConceptsFile = "concepts.csv";
    public const string LabelsFile = "labels.csv";
    public const string RelationsFile = "relations.csv";
    public const string AttributesFile = "attributes.csv";

    private static readonly string[] ConceptColumns = ["code", "parent_code", "status", "replaced_by"];
    private static readonly string[] LabelColumns = ["code", "language", "kind", "text"];
    private static readonly string[] RelationColumns = ["code", "relation", "target_scheme", "target_code"];
    private static readonly string[] AttributeColumns = ["code", "attribute", "value"];

    public static SchemeVersionDraft Read(
        string scheme, string? concepts, string? labels, string? relations, string? attributes, bool amend = false)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(concepts))
        {
            errors.Add(new FieldError(ConceptsFile, null, "required: the concepts of the version, with a header row code,parent_code,status,replaced_by"));
        }

        var draft = new SchemeVersionDraft(
            scheme,
            ReadRows(ConceptsFile, concepts, ConceptColumns, ["code"], errors,
                (r, f) => new ConceptRow(r, f["code"]!, f["parent_code"], f["status"], f["replaced_by"])),
            ReadRows(LabelsFile, labels, LabelColumns, LabelColumns, errors,
                (r, f) => new LabelRow(r, f["code"]!, f["language"]!, f["kind"]!, f["text"]!)),
            ReadRows(RelationsFile, relations, RelationColumns, RelationColumns, errors,
                (r, f) => new RelationRow(r, f["code"]!, f["relation"]!, f["target_scheme"]!, f["target_code"]!)),
            ReadRows(AttributesFile, attributes, AttributeColumns, AttributeColumns, errors,
                (r, f) => new AttributeRow(r, f["code"]!, f["attribute"]!, f["value"]!)),
            amend);
        if (errors.Count == 0 && draft.Concepts.Count == 0 && (!amend || (draft.Labels.Count + draft.Relations.Count + draft.Attributes.Count) == 0))
        {
            // A header alone releases nothing: a complete version needs its concepts, and an amendment that
            // changes nothing would only release a copy of the latest version.
            errors.Add(new FieldError($"{ConceptsFile}:2", null, amend
                ? "no rows after the header: an amendment needs at least one row to change"
                : "no rows after the header: a version needs at least one concept"));
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException("Scheme version", [.. errors.Select(Shown.Briefly)]);
        }

        return draft;
    }

    private static List<TRow> ReadRows<TRow>(
        string file,
        string? text,
        string[] columns,
        string[] required,
        List<FieldError> errors,
        Func<RowRef, IReadOnlyDictionary<string, string?>, TRow> row)
    {
        var rows = new List<TRow>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return rows;
        }

        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = false,
            TrimOptions = TrimOptions.Trim,
            BadDataFound = null,
            MissingFieldFound = null,
            IgnoreBlankLines = true,
        };
        using var reader = new StringReader(text.TrimStart('\uFEFF'));
        using var csv = new CsvReader(reader, configuration);
        try
        {
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
            {
                errors.Add(new FieldError($"{file}:1", null, $"no header row; expected {string.Join(",", columns)}"));
                return rows;
            }

            var header = csv.HeaderRecord.Select(h => h.Trim().ToLowerInvariant()).ToArray();
            if (header.Any(h => h.Contains('\0', StringComparison.Ordinal)))
            {
                errors.Add(new FieldError($"{file}:1", string.Join(",", csv.HeaderRecord),
                    "NUL characters: the file is not UTF-8 (UTF-16 stores a NUL byte beside each letter); send it in UTF-8"));
                return rows;
            }

            var unknown = header.Except(columns).ToArray();
            var missing = required.Except(header).ToArray();
            // A column named twice would have one value silently win over the other.
            var twice = header.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
            if (unknown.Length > 0 || missing.Length > 0 || twice.Length > 0)
            {
                errors.Add(new FieldError($"{file}:1", string.Join(",", csv.HeaderRecord),
                    $"expected the columns {string.Join(",", columns)} (required: {string.Join(",", required)})"
                    + (missing.Length > 0 ? $"; missing {string.Join(",", missing)}" : string.Empty)
                    + (unknown.Length > 0 ? $"; unknown {string.Join(",", unknown)}" : string.Empty)
                    + (twice.Length > 0 ? $"; named more than once: {string.Join(",", twice)}" : string.Empty)
                    + (header.Length == 1 && header[0].AsSpan().IndexOfAny(';', '\t') >= 0 ? "; the separator must be a comma" : string.Empty)));
                return rows;
            }

            while (csv.Read())
            {
                var line = CsvLines.StartLine(csv.Parser.RawRow, csv.Parser.RawRecord);
                if (CsvQuotes.Find(csv.Parser.RawRecord) is { } quote)
                {
                    var neverClosed = quote.Problem == CsvQuotes.Problem.NeverClosed;
                    var at = CsvLines.StartLine(csv.Parser.RawRow, csv.Parser.RawRecord, neverClosed) + quote.Line - 1;
                    errors.Add(new FieldError($"{file}:{at}", null, $"character {quote.Column}: " + quote.Problem switch
                    {
                        CsvQuotes.Problem.NeverClosed => "a quote opens here and is never closed; nothing after it was read",
                        CsvQuotes.Problem.ClosedEarly => "the quote that opens here closes before the value ends; a quote inside a quoted value is written twice (\"\")",
                        _ => "a quote inside a value that is not quoted; quote the whole value and write the quote twice (\"\")",
                    }));
                    continue;
                }

                if (csv.Parser.Count != header.Length)
                {
                    errors.Add(new FieldError($"{file}:{line}", csv.Parser.RawRecord.TrimEnd(),
                        $"{csv.Parser.Count} fields where the header has {header.Length}"));
                    continue;
                }

                var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
                for (var i = 0; i < header.Length; i++)
                {
                    var value = csv.Parser[i];
                    fields[header[i]] = string.IsNullOrEmpty(value) ? null : value;
                }

                foreach (var column in columns.Where(c => !fields.ContainsKey(c)))
                {
                    fields[column] = null;
                }

                var rowRef = RowRef.Line(file, line);
                var absent = required.Where(c => fields[c] is null).ToArray();
                if (absent.Length > 0)
                {
                    errors.AddRange(absent.Select(c => new FieldError(rowRef.Field(c), null, "required")));
                    continue;
                }

                rows.Add(row(rowRef, fields));
            }
        }
        catch (CsvHelperException e)
        {
            errors.Add(new FieldError($"{file}:{e.Context?.Parser?.RawRow}", null, $"not readable as CSV: {e.Message.Split('\n')[0]}"));
        }

        return rows;
    }
}
