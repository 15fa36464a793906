using System.Globalization;
using System.Text;
using CsCheck;
using CsvHelper;
using CsvHelper.Configuration;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Testing;
using Lmis.Vacancies.Feeds;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Tests.Publishing;

namespace Lmis.Vacancies.Tests.Feeds;

public sealed class VacancyCsvProperties
{
    private static readonly VacancyValidation Validation = new(Region.Shipped("RCM"), new FewCodesTaxonomy());

    private static readonly string[] Required = ["country", "source_id", "title"];

    /// <summary>A value as CSV carries it: anything, line breaks and quotes included, but no blanks around it.</summary>
    private static readonly Gen<string> Value = Hostile.Text(30).Where(v => v == v.Trim());

    /// <summary>A list item: a value without the ';' that separates items.</summary>
    private static readonly Gen<string> Item = Value.Where(v => v.Length > 0 && !v.Contains(';', StringComparison.Ordinal));

    /// <summary>The columns a feed has: the required ones and some others, in any order.</summary>
    private static readonly Gen<string[]> Header =
        Gen.Shuffle(VacancyCsv.Columns.Except(Required).ToArray(), 0, VacancyCsv.Columns.Count - Required.Length)
            .SelectMany(others => Gen.Shuffle(Required.Concat(others).ToArray()));

    private static readonly Gen<string> NewLine = Gen.OneOf("\n", "\r\n");

    /// <summary>Text that looks somewhat like a feed: header-like words, hostile fields, any separator, quotes, mixed line ends.</summary>
    private static readonly Gen<string> FeedLike = Gen.Frequency(
        (1, Hostile.Text(80)),
        (4, Gen.Select(
            Gen.Frequency((6, Gen.OneOf([.. VacancyCsv.Columns])), (1, Hostile.Text(8))).Array[1, 8],
            Gen.Frequency((5, Hostile.Text(12)), (1, Hostile.Text(12).Select(f => "\"" + f)), (1, Hostile.Text(12).Select(f => "\"" + f + "\""))).Array[0, 8].Array[0, 8],
            Gen.OneOf(",", ";", "\t", ", "),
            Gen.OneOf("\n", "\r\n", "\r", "\n\n"),
            Gen.Bool,
            (header, rows, separator, newLine, bom) => (bom ? "\uFEFF" : string.Empty)
                + string.Join(newLine, rows.Select(r => string.Join(separator, r)).Prepend(string.Join(separator, header))))));

    /// <summary>The rows written as a CSV feed with RFC 4180 quoting, and the line on which each row starts.</summary>
    private static (string Csv, int[] Lines) Write(string[] header, IReadOnlyList<string?[]> rows, string newLine)
    {
        var text = new StringWriter { NewLine = newLine };
        using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            NewLine = newLine,
            // With a line ending set, CsvHelper quotes only values holding that ending; a lone CR or LF needs quotes too.
            ShouldQuote = args => ConfigurationFunctions.ShouldQuote(args) || args.Field.AsSpan().IndexOfAny('\r', '\n') >= 0,
        });
        foreach (var column in header)
        {
            csv.WriteField(column);
        }

        csv.NextRecord();
        var lines = new int[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            csv.Flush();
            lines[r] = 1 + text.ToString().Count(c => c == '\n') + text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Count(c => c == '\r');
            foreach (var value in rows[r])
            {
                csv.WriteField(value);
            }

            csv.NextRecord();
        }

        csv.Flush();
        return (text.ToString(), lines);
    }

    private static async Task<List<(int Line, VacancySubmission? Submission, IReadOnlyList<FieldError> Errors)>> ReadAsync(string feed)
    {
        var (csv, header) = await VacancyCsv.OpenAsync(new StringReader(feed));
        using (csv)
        {
            var rows = new List<(int, VacancySubmission?, IReadOnlyList<FieldError>)>();
            await foreach (var row in VacancyCsv.RowsAsync(csv, header, CancellationToken.None))
            {
                rows.Add(row);
            }

            return rows;
        }
    }

    [Fact]
    public Task Any_feed_is_read_row_by_row_or_refused_for_its_header() =>
        Properties.HoldAsync(FeedLike, async feed =>
        {
            try
            {
                var rows = await ReadAsync(feed);
                Assert.All(rows, row => Assert.True(row.Line > 1));
                Assert.Equal(rows.Select(r => r.Line).Order(), rows.Select(r => r.Line));
                Assert.All(rows, row => Assert.True(row.Submission is not null || row.Errors.Count > 0));
            }
            catch (ValidationFailedException e)
            {
                Assert.Equal("line 1", Assert.Single(e.Errors).Field);
            }
        }, iter: 2_000);

    [Fact]
    public Task Rows_written_as_CSV_are_read_back_as_written_on_their_lines() =>
        Properties.HoldAsync(
            Gen.Select(Header, NewLine, Gen.Int[1, 5]).SelectMany((header, newLine, count) =>
                Gen.OneOf(Value, Item.Array[0, 3].Select(items => string.Join(';', items))).Array[header.Length].Array[count]
                    .Select(rows => (header, newLine, rows))),
            async feed =>
            {
                var (header, newLine, rows) = feed;
                var (csv, lines) = Write(header, rows, newLine);

                var read = await ReadAsync(csv);

                Assert.Equal(lines, read.Select(r => r.Line));
                for (var r = 0; r < rows.Length; r++)
                {
                    var submission = Assert.IsType<VacancySubmission>(read[r].Submission);
                    for (var i = 0; i < header.Length; i++)
                    {
                        var expected = VacancyGenerators.ListColumns.Contains(header[i])
                            ? string.Join(';', rows[r][i]!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                            : rows[r][i];
                        Assert.Equal(expected, VacancyGenerators.Get(submission, header[i]));
                    }
                }
            },
            iter: 500);

    [Fact]
    public Task In_a_feed_good_rows_are_accepted_and_each_bad_row_is_reported_on_its_line_and_field() =>
        Properties.HoldAsync(
            Gen.Select(Gen.Frequency(
                (2, VacancyGenerators.Valid.Select(v => (v, (string?)null, false))),
                (2, VacancyGenerators.Broken.Select(b => (VacancyGenerators.Set(VacancyGenerators.Base, b.Column, b.Value), (string?)b.Field, false))),
                (1, VacancyGenerators.Valid.Select(v => (v, (string?)null, true)))).Array[1, 6], NewLine),
            async feed =>
            {
                var (rows, newLine) = feed;
                var header = VacancyCsv.Columns.ToArray();
                var (csv, lines) = Write(header, [.. rows.Select(r =>
                {
                    var values = header.Select(c => VacancyGenerators.Get(r.Item1, c)).ToArray();
                    return r.Item3 ? values[..^1] : values;
                })], newLine);

                var read = await ReadAsync(csv);

                Assert.Equal(lines, read.Select(r => r.Line));
                for (var r = 0; r < rows.Length; r++)
                {
                    var (_, field, shortRow) = rows[r];
                    if (shortRow)
                    {
                        Assert.Null(read[r].Submission);
                        Assert.Equal($"line {lines[r]}", Assert.Single(read[r].Errors).Field);
                    }
                    else if (field is null)
                    {
                        await Validation.ValidateAsync(read[r].Submission!, CancellationToken.None);
                    }
                    else
                    {
                        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Validation.ValidateAsync(read[r].Submission!, CancellationToken.None));
                        Assert.All(error.Errors, e => Assert.Equal(field, e.Field));
                    }
                }
            },
            iter: 300);
}
