using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Messages;
using Lmis.Statistics.Sdmx.Rest;

namespace Lmis.Statistics.Tests.Sdmx.Messages;

/// <summary>
/// Observations of any built-in dataflow, made from its structure: two values of every dimension, two years, every
/// attribute given on some observations and not on others, a missing value (status M) and a note that XML and CSV must
/// escape. Sorted as the store answers (with history: by vintage, then series, then period).
/// </summary>
internal static class SampleMessages
{
    public static readonly DateTimeOffset Prepared = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset FirstRecorded = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Revised = new(2026, 2, 1, 8, 0, 0, TimeSpan.Zero);

    public static List<Observation> Observations(DataStructure structure, bool history = false)
    {
        var keys = new List<string[]> { new string[structure.Dimensions.Count] };
        for (var d = 0; d < structure.Dimensions.Count; d++)
        {
            var values = Values(structure.Dimensions[d]);
            keys = [.. keys.SelectMany(k => values.Select(v => { var next = (string[])k.Clone(); next[d] = v; return next; }))];
        }

        var observations = new List<Observation>();
        var n = 0;
        foreach (var key in keys.OrderBy(DataStructure.SeriesKey, StringComparer.Ordinal))
        {
            foreach (var year in new[] { "2023", "2024" })
            {
                var missing = n % 7 == 3;
                var attributes = structure.Attributes.Select(a => Attribute(a, n, missing)).ToArray();
                observations.Add(new Observation(structure, key, TimePeriod.Parse(year), missing ? null : 10 + (n % 50), attributes));
                n++;
            }
        }

        if (!history)
        {
            return observations;
        }

        // The first vintage held every figure until some were revised; the revision holds the new figures since.
        var revised = observations.Where((_, i) => i % 5 == 0).ToList();
        var first = observations.Select(o => With(o, o.Value, new ObservationVintage(FirstRecorded, revised.Contains(o) ? Revised : null)));
        var second = revised.Select(o => With(o, o.Value is { } v ? v + 1 : null, new ObservationVintage(Revised, null)));
        return [.. first.GroupBy(o => o.Vintage).Concat(second.GroupBy(o => o.Vintage))
            .OrderBy(g => g.Key!.RecordedAt).ThenBy(g => g.Key!.SupersededAt ?? DateTimeOffset.MaxValue)
            .SelectMany(g => g)];
    }

    /// <summary>Every option combination a data query can ask for, with whether each kind can write it.</summary>
    public static IEnumerable<DataMessageOptions> AllOptions() =>
        from detail in Enum.GetValues<DataDetail>()
        from atObservation in new[] { DataStructure.TimeDimension, DataMessageOptions.AllDimensions }
        from history in new[] { false, true }
        from labels in Enum.GetValues<Labels>()
        select new DataMessageOptions(labels, detail, atObservation, history, Prepared, "RCM", "en");

    /// <summary>What an observation says, with its vintage when the message carries history.</summary>
    public static string Describe(Observation o, bool history) =>
        SdmxFiles.Describe(o) + (history ? Validity(Stamp(o.Vintage!.RecordedAt), o.Vintage.SupersededAt is { } to ? Stamp(to) : null) : string.Empty);

    /// <summary>How a description names a data set's validity, from the times a message writes.</summary>
    public static string Validity(string? from, string? to) => $" from {from ?? "-"} to {to ?? "-"}";

    /// <summary>A time as the messages write it: ISO 8601 in UTC.</summary>
    public static string Stamp(DateTimeOffset when) => when.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A message of the kind, as the data query writes it.</summary>
    public static async Task<string> WriteAsync(SdmxMessageKind kind, DataStructure structure, IEnumerable<Observation> observations, DataMessageOptions options)
    {
        using var body = new MemoryStream();
        await DataMessageFormats.WriteAsync(kind, body, structure, observations.ToAsyncEnumerable(), options, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }

    private static Observation With(Observation o, decimal? value, ObservationVintage vintage) =>
        new(o.Structure, [.. o.Key], o.Period, value, [.. o.Attributes]) { Vintage = vintage };

    private static string[] Values(Dimension dimension) => dimension.Codes switch
    {
        CodeList list when dimension.Id == "FREQ" => ["A"],
        CodeList list => [.. list.Codes.Take(2).Select(c => c.Id)],
        ClassificationCodes { Kind: ClassificationKinds.MemberState } => ["GTM", "MEX"],
        ClassificationCodes { Kind: ClassificationKinds.Country } => ["HND", "USA"],
        ClassificationCodes { Kind: ClassificationKinds.Isco08 } codes => [codes.Prefix + "2221", codes.Prefix + "TOTAL"],
        _ => throw new ArgumentException($"no sample values for {dimension.Id}"),
    };

    private static string? Attribute(AttributeDefinition attribute, int n, bool missing) => attribute.Id switch
    {
        "UNIT_MEASURE" => attribute.Codes is CodeList list ? list.Codes[0].Id : "USD",
        "UNIT_MULT" => "0",
        "OBS_STATUS" => missing ? CodeLists.Missing : n % 4 == 1 ? "E" : null,
        "NOTE" => n % 6 == 2 ? "Break in series: \"new survey\" <2024> & more, é" : null,
        _ => null,
    };
}
