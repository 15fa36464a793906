using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Lmis.Statistics.Sdmx;

/// <summary>
/// Writes observations as SDMX-CSV 2.0 with ids for labels (<see cref="MediaType"/>): STRUCTURE, STRUCTURE_ID and
/// ACTION first, then the dimensions in key order, TIME_PERIOD, OBS_VALUE and the attributes; comma-separated,
/// values in invariant culture, periods in their canonical form. Rows are written as they come, so an export of any
/// size streams. A machine format: every value is written exactly as it is held (a NOTE <c>=SUM(A1:A2)</c> stays
/// so), so that the export reads back as the same figures; formula escaping belongs to <see cref="PlainCsvWriter"/>.
/// </summary>
public static class SdmxCsvWriter
{
    public const string MediaType = "application/vnd.sdmx.data+csv; version=2.0.0; labels=id";

    public static async Task WriteAsync(
        TextWriter text, DataStructure structure, IAsyncEnumerable<Observation> observations,
        SdmxAction action = SdmxAction.Information, CancellationToken cancellationToken = default)
    {
        await using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            InjectionOptions = InjectionOptions.None,
            // Readers drop blanks around an unquoted value; quoted, a note's leading or trailing blanks are kept.
            ShouldQuote = args => ConfigurationFunctions.ShouldQuote(args) || (args.Field is { Length: > 0 } field && (field[0] is ' ' or '\t' || field[^1] is ' ' or '\t')),
        });
        foreach (var column in new[] { "STRUCTURE", "STRUCTURE_ID", "ACTION" }
            .Concat(structure.Dimensions.Select(d => d.Id))
            .Append(DataStructure.TimeDimension)
            .Append(DataStructure.PrimaryMeasure)
            .Concat(structure.Attributes.Select(a => a.Id)))
        {
            csv.WriteField(column);
        }

        await csv.NextRecordAsync();
        var reference = structure.Reference.ToString();
        var actionCode = ((char)action).ToString();
        await foreach (var observation in observations.WithCancellation(cancellationToken))
        {
            structure.RequireOwn(observation);
            csv.WriteField("dataflow");
            csv.WriteField(reference);
            csv.WriteField(actionCode);
            foreach (var value in observation.Key)
            {
                csv.WriteField(value);
            }

            csv.WriteField(observation.Period.ToString());
            csv.WriteField(observation.Value?.ToString(CultureInfo.InvariantCulture));
            foreach (var value in observation.Attributes)
            {
                csv.WriteField(value);
            }

            await csv.NextRecordAsync();
        }
    }
}

/// <summary>
/// Observations as a plain CSV table for spreadsheets and readers who do not know SDMX: columns named by what they
/// hold ("Reference area", "Sex", "Time period", "Value"...), coded values by their labels where the code list has
/// them ("Female", "Estimated value"), classification codes as they are. Made for spreadsheets, so a cell a
/// spreadsheet would run as a formula is escaped (<see cref="SpreadsheetSafeCsv"/>). Not meant to be read back: that
/// is what <see cref="SdmxCsvWriter"/> is for.
/// </summary>
public static class PlainCsvWriter
{
    public const string MediaType = "text/csv; charset=utf-8";

    public static async Task WriteAsync(
        TextWriter text, DataStructure structure, IAsyncEnumerable<Observation> observations, CancellationToken cancellationToken = default)
    {
        await using var csv = SpreadsheetSafeCsv.Open(text);
        foreach (var column in structure.Dimensions.Select(d => d.Name)
            .Append("Time period")
            .Append("Value")
            .Concat(structure.Attributes.Select(a => a.Name)))
        {
            csv.WriteField(column);
        }

        await csv.NextRecordAsync();
        await foreach (var observation in observations.WithCancellation(cancellationToken))
        {
            structure.RequireOwn(observation);
            for (var d = 0; d < structure.Dimensions.Count; d++)
            {
                csv.WriteField(Label(structure.Dimensions[d].Codes, observation.Key[d]));
            }

            csv.WriteField(observation.Period.ToString());
            csv.WriteField(observation.Value?.ToString(CultureInfo.InvariantCulture));
            for (var a = 0; a < structure.Attributes.Count; a++)
            {
                var value = observation.Attributes[a];
                csv.WriteField(value is null ? null : Label(structure.Attributes[a].Codes, value));
            }

            await csv.NextRecordAsync();
        }
    }

    private static string Label(Representation? codes, string value) => codes is CodeList list ? list.Label(value) : value;
}

/// <summary>
/// A CSV writer that escapes cells a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
/// return) with a leading apostrophe, as OWASP advises against CSV injection, except plain numbers: a negative
/// figure such as -1.5 is data, is not run as a formula, and must stay a number.
/// </summary>
internal sealed class SpreadsheetSafeCsv(TextWriter text, CsvConfiguration configuration) : CsvWriter(text, configuration)
{
    public static SpreadsheetSafeCsv Open(TextWriter text) =>
        new(text, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape });

    protected override string? SanitizeForInjection(string? field) =>
        decimal.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? field : base.SanitizeForInjection(field);
}
