using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Lmis.Statistics.Sdmx.Messages;

namespace Lmis.Statistics.Sdmx;

/// <summary>
/// Writes observations as SDMX-CSV (<see cref="MediaType"/> for 2.0, <see cref="MediaTypeV1"/> for 1.0): the
/// structure columns first (2.0: STRUCTURE, STRUCTURE_ID, ACTION; 1.0: DATAFLOW), then the dimensions in key order,
/// TIME_PERIOD, OBS_VALUE and the attributes; comma-separated, values in invariant culture, periods in their canonical
/// form. Rows are written as they come, so an export of any size streams. A machine format: every value is written
/// exactly as it is held (a NOTE <c>=SUM(A1:A2)</c> stays so), so that the export reads back as the same figures;
/// formula escaping belongs to <see cref="PlainCsvWriter"/>.
/// <para>
/// Labels: <c>id</c> writes codes; <c>both</c> writes <c>ID: Name</c> in the header and <c>CODE: Name</c> for coded
/// values whose code list names them (a classification code such as <c>MEX</c> has no name here and stays a code);
/// <c>name</c> writes names only. Detail: dataonly leaves out the attribute columns; serieskeysonly writes one row per
/// series with the dimension columns only; nodata one row per series with the dimensions and the attributes that hold
/// for the whole series. SDMX-CSV is flat, so dimensionAtObservation does not change it; it has no place for a data
/// set's validity, so history is not written in it (<see cref="DataMessageFormats.CanWrite"/>).
/// </para>
/// </summary>
public static class SdmxCsvWriter
{
    public const string MediaType = "application/vnd.sdmx.data+csv;version=2.0.0";
    public const string MediaTypeV1 = "application/vnd.sdmx.data+csv;version=1.0.0";

    /// <summary>SDMX-CSV 2.0 with codes, every row with the same action.</summary>
    public static Task WriteAsync(
        TextWriter text, DataStructure structure, IAsyncEnumerable<Observation> observations,
        SdmxAction action = SdmxAction.Information, CancellationToken cancellationToken = default) =>
        WriteAsync(text, SdmxCsvVersion.V2, structure, observations, DataMessageOptions.Default, action, cancellationToken);

    public static async Task WriteAsync(
        TextWriter text, SdmxCsvVersion version, DataStructure structure, IAsyncEnumerable<Observation> observations, DataMessageOptions options,
        SdmxAction action = SdmxAction.Information, CancellationToken cancellationToken = default)
    {
        if (options.IncludeHistory)
        {
            throw new NotSupportedException("SDMX-CSV has no place for the validity of a data set: history is written in SDMX-JSON or SDMX-ML");
        }

        await using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            InjectionOptions = InjectionOptions.None,
            // Readers drop blanks around an unquoted value; quoted, a note's leading or trailing blanks are kept.
            ShouldQuote = args => ConfigurationFunctions.ShouldQuote(args) || (args.Field is { Length: > 0 } field && (field[0] is ' ' or '\t' || field[^1] is ' ' or '\t')),
        });
        var rows = new Rows(csv, version, structure, options, ((char)action).ToString());
        rows.WriteHeader();
        await csv.NextRecordAsync();
        await DataMessageWalk.RunAsync(structure, observations, options, rows, cancellationToken, ordered: false);
    }

    /// <summary>The rows of one SDMX-CSV file: one per observation, or one per series for serieskeysonly and nodata.</summary>
    private sealed class Rows(CsvWriter csv, SdmxCsvVersion version, DataStructure structure, DataMessageOptions options, string action) : IDataMessageParts
    {
        private readonly string _reference = structure.Reference.ToString();
        private readonly bool _observations = options.Detail is DataDetail.Full or DataDetail.DataOnly;
        private readonly bool _attributes = options.Detail is DataDetail.Full or DataDetail.NoData;

        public void WriteHeader()
        {
            if (version == SdmxCsvVersion.V1)
            {
                csv.WriteField(SdmxCsvColumns.Dataflow);
            }
            else
            {
                csv.WriteField(SdmxCsvColumns.StructureColumn);
                csv.WriteField(SdmxCsvColumns.StructureId);
                csv.WriteField("ACTION");
            }

            foreach (var dimension in structure.Dimensions)
            {
                csv.WriteField(Header(dimension.Id, dimension.Name));
            }

            if (_observations)
            {
                csv.WriteField(Header(DataStructure.TimeDimension, ComponentNames.TimePeriod));
                csv.WriteField(Header(DataStructure.PrimaryMeasure, ComponentNames.ObservationValue));
            }

            if (_attributes)
            {
                foreach (var attribute in structure.Attributes)
                {
                    csv.WriteField(Header(attribute.Id, attribute.Name));
                }
            }
        }

        public ValueTask StartDataSetAsync(ObservationVintage? vintage) => ValueTask.CompletedTask;

        public async ValueTask StartSeriesAsync(Observation first, IReadOnlyList<string?>? seriesAttributes)
        {
            if (_observations)
            {
                return;
            }

            WriteKey(first);
            if (_attributes)
            {
                WriteAttributes(seriesAttributes!);
            }

            await csv.NextRecordAsync();
        }

        public async ValueTask ObservationAsync(Observation observation)
        {
            WriteKey(observation);
            csv.WriteField(observation.Period.ToString());
            csv.WriteField(observation.Value?.ToString(CultureInfo.InvariantCulture));
            if (_attributes)
            {
                WriteAttributes(observation.Attributes);
            }

            await csv.NextRecordAsync();
        }

        public ValueTask EndSeriesAsync() => ValueTask.CompletedTask;

        public ValueTask EndDataSetAsync() => ValueTask.CompletedTask;

        private void WriteKey(Observation observation)
        {
            if (version == SdmxCsvVersion.V1)
            {
                csv.WriteField(_reference);
            }
            else
            {
                csv.WriteField("dataflow");
                csv.WriteField(_reference);
                csv.WriteField(action);
            }

            for (var d = 0; d < structure.Dimensions.Count; d++)
            {
                csv.WriteField(Value(structure.Dimensions[d].Codes, observation.Key[d]));
            }
        }

        private void WriteAttributes(IReadOnlyList<string?> values)
        {
            for (var a = 0; a < values.Count; a++)
            {
                csv.WriteField(values[a] is { } value ? Value(structure.Attributes[a].Codes, value) : null);
            }
        }

        private string Header(string id, string name) => options.Labels switch
        {
            Labels.Both => $"{id}: {name}",
            Labels.Name => name,
            _ => id,
        };

        private string Value(Representation? codes, string value) =>
            options.Labels == Labels.Id || ComponentNames.OfCode(codes, value) is not { } name
                ? value
                : options.Labels == Labels.Both ? $"{value}: {name}" : name;
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
