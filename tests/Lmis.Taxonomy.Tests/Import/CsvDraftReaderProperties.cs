using System.Globalization;
using System.Text;
using CsCheck;
using CsvHelper;
using CsvHelper.Configuration;
using Lmis.BuildingBlocks.Errors;
using Lmis.Taxonomy.Import;
using Lmis.Testing;

namespace Lmis.Taxonomy.Tests.Import;

public sealed class CsvDraftReaderProperties
{
    private static readonly string[] ConceptColumns = ["code", "parent_code", "status", "replaced_by"];
    private static readonly string[] LabelColumns = ["code", "language", "kind", "text"];

    /// <summary>A value as CSV carries it: anything, line breaks and quotes included, but no blanks around it (they are trimmed).</summary>
    private static readonly Gen<string> Value = Hostile.Text(30).Where(v => v.Length > 0 && v == v.Trim());

    private static readonly Gen<string?> Optional = Gen.Frequency((2, Value.Select(v => (string?)v)), (1, Gen.Const((string?)null)));

    private static readonly Gen<string?[]> ConceptRow = Gen.Select(Value, Optional, Optional, Optional, (a, b, c, d) => new[] { a, b, c, d });

    private static readonly Gen<string?[]> LabelRow = Gen.Select(Value, Value, Value, Value, (a, b, c, d) => new string?[] { a, b, c, d });

    /// <summary>How a ministry may lay out its file: column order, header case, line ending, byte order mark, blank lines.</summary>
    private static readonly Gen<Layout> Layouts = Gen.Select(
        Gen.Int[0, 23], Gen.Bool, Gen.OneOf("\n", "\r\n"), Gen.Bool, Gen.Bool,
        (order, upper, newLine, bom, blankLines) => new Layout(order, upper, newLine, bom, blankLines));

    /// <summary>Text that looks somewhat like CSV: header-like words, hostile fields, any separator, quotes, mixed line ends.</summary>
    private static readonly Gen<string?> CsvLike = Gen.Frequency(
        (1, Gen.Const((string?)null)),
        (1, Hostile.Text(60).Select(t => (string?)t)),
        (4, Gen.Select(
            Gen.Frequency((4, Gen.OneOf([.. ConceptColumns, .. LabelColumns, "value", "attribute", "relation", "target_scheme", "target_code"])), (1, Hostile.Text(8))).Array[1, 5],
            Gen.Frequency((5, Hostile.Text(12)), (1, Hostile.Text(12).Select(f => "\"" + f)), (1, Hostile.Text(12).Select(f => "\"" + f + "\""))).Array[0, 6].Array[0, 8],
            Gen.OneOf(",", ";", "\t", ", "),
            Gen.OneOf("\n", "\r\n", "\r", "\n\n"),
            Gen.Bool,
            (header, rows, separator, newLine, bom) => (string?)((bom ? "\uFEFF" : string.Empty)
                + string.Join(newLine, rows.Select(r => string.Join(separator, r)).Prepend(string.Join(separator, header)))))));

    private sealed record Layout(int Order, bool UpperHeader, string NewLine, bool Bom, bool BlankLines);

    /// <summary>The rows written as CSV with RFC 4180 quoting, and the line on which each row starts.</summary>
    private static (string Csv, int[] Lines) Write(string[] columns, IReadOnlyList<string?[]> rows, Layout layout)
    {
        // One of the 24 orders of the four columns.
        var order = columns.Select((_, i) => i).ToList();
        var permuted = new List<int>();
        for (int n = layout.Order, i = order.Count; i > 0; n /= i, i--)
        {
            permuted.Add(order[n % i]);
            order.RemoveAt(n % i);
        }

        var text = new StringWriter { NewLine = layout.NewLine };
        using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            NewLine = layout.NewLine,
            // With a line ending set, CsvHelper quotes only values holding that ending; a lone CR or LF needs quotes too.
            ShouldQuote = args => ConfigurationFunctions.ShouldQuote(args) || args.Field.AsSpan().IndexOfAny('\r', '\n') >= 0,
        });
        foreach (var i in permuted)
        {
            csv.WriteField(layout.UpperHeader ? columns[i].ToUpperInvariant() : columns[i]);
        }

        csv.NextRecord();
        var lines = new int[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            csv.Flush();
            if (layout.BlankLines && r % 2 == 1)
            {
                text.Write(layout.NewLine);
            }

            lines[r] = 1 + LineBreaks(text.ToString());
            foreach (var i in permuted.Where(i => i < rows[r].Length))
            {
                csv.WriteField(rows[r][i]);
            }

            foreach (var extra in rows[r].Skip(columns.Length))
            {
                csv.WriteField(extra);
            }

            csv.NextRecord();
        }

        csv.Flush();
        return ((layout.Bom ? "\uFEFF" : string.Empty) + text, lines);
    }

    /// <summary>Line breaks as a person counts them in an editor: CR LF, LF or CR alone.</summary>
    private static int LineBreaks(string text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                count++;
            }
        }

        return count;
    }

    [Fact]
    public Task Any_text_is_read_or_refused_with_file_and_line() =>
        Properties.HoldAsync(Gen.Select(CsvLike, CsvLike, CsvLike, CsvLike), files =>
        {
            var (concepts, labels, relations, attributes) = files;
            try
            {
                CsvDraftReader.Read("isco08", concepts, labels, relations, attributes);
            }
            catch (ValidationFailedException e)
            {
                Assert.NotEmpty(e.Errors);
                Assert.All(e.Errors, error => Assert.Matches(@"^(concepts|labels|relations|attributes)\.csv(:[0-9]+(:[a-z_]+)?)?$", error.Field));
            }
        }, iter: 2_000);

    [Fact]
    public Task Concepts_and_labels_written_as_CSV_are_read_back_as_written_on_their_lines() =>
        Properties.HoldAsync(Gen.Select(ConceptRow.Array[1, 6], LabelRow.Array[0, 6], Layouts, Layouts), c =>
        {
            var (concepts, labels, conceptLayout, labelLayout) = c;
            var (conceptsCsv, conceptLines) = Write(ConceptColumns, concepts, conceptLayout);
            var (labelsCsv, labelLines) = Write(LabelColumns, labels, labelLayout);

            var draft = CsvDraftReader.Read("isco08", conceptsCsv, labels.Length == 0 ? null : labelsCsv, null, null);

            Assert.Equal(concepts.Select(r => (r[0], r[1], r[2], r[3])), draft.Concepts.Select(r => ((string?)r.Code, r.ParentCode, r.Status, r.ReplacedBy)));
            Assert.Equal(conceptLines, draft.Concepts.Select(r => r.Ref.Position));
            Assert.Equal(labels.Select(r => (r[0], r[1], r[2], r[3])), draft.Labels.Select(r => ((string?)r.Code, (string?)r.Language, (string?)r.Kind, (string?)r.Text)));
            Assert.Equal(labelLines, draft.Labels.Select(r => r.Ref.Position));
        }, iter: 1_000);

    private enum Fault
    {
        None,
        ExtraField,
        MissingField,
        NoCode,
    }

    [Fact]
    public Task Each_broken_row_is_reported_on_its_own_line_and_no_other_row_is() =>
        Properties.HoldAsync(Gen.Select(Gen.Select(ConceptRow, Gen.Frequency((3, Gen.Const(Fault.None)), (1, Gen.Enum<Fault>()))).Array[1, 8], Layouts), c =>
        {
            var (rows, layout) = c;
            var written = rows.Select(r => r.Item2 switch
            {
                Fault.ExtraField => [.. r.Item1, "extra"],
                Fault.MissingField => r.Item1[..3].Select(v => v ?? "x").ToArray(),
                Fault.NoCode => [null, .. r.Item1[1..]],
                _ => r.Item1,
            }).ToList();
            var (csv, lines) = Write(ConceptColumns, written, layout);
            var expected = rows.Select((r, i) => r.Item2 switch
            {
                Fault.ExtraField or Fault.MissingField => $"concepts.csv:{lines[i]}",
                Fault.NoCode => $"concepts.csv:{lines[i]}:code",
                _ => null,
            }).OfType<string>().ToArray();

            if (expected.Length == 0)
            {
                Assert.Equal(lines, CsvDraftReader.Read("isco08", csv, null, null, null).Concepts.Select(r => r.Ref.Position));
            }
            else
            {
                var error = Assert.Throws<ValidationFailedException>(() => CsvDraftReader.Read("isco08", csv, null, null, null));
                Assert.Equal(expected, error.Errors.Select(e => e.Field));
            }
        }, iter: 1_000);
}
