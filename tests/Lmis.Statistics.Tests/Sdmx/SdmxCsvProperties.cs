using System.Globalization;
using CsCheck;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Statistics.Sdmx;
using Lmis.Testing;

namespace Lmis.Statistics.Tests.Sdmx;

public sealed class SdmxCsvProperties
{
    private static readonly string[] MemberStates = [.. Region.Shipped("RCM").MemberStates.Select(m => m.Alpha3)];

    private static readonly Gen<string> Country = Gen.OneOf([.. Lmis.BuildingBlocks.Codes.Countries.All.Select(c => c.Alpha3)]);

    private static readonly Gen<string> Currency = Gen.OneOf([.. Lmis.BuildingBlocks.Codes.Currencies.All.Where(c => c.IsMoney).Select(c => c.Alpha3)]);

    /// <summary>A value a dimension or attribute accepts.</summary>
    private static Gen<string> ValueOf(Representation codes) => codes switch
    {
        CodeList list => Gen.OneOf([.. list.Codes.Select(c => c.Id)]),
        ClassificationCodes c => Gen.Frequency(
            (9, c.Kind switch
            {
                ClassificationKinds.MemberState => Gen.OneOf(MemberStates),
                ClassificationKinds.Isco08 => Hostile.Of("0123456789", 1, 4),
                ClassificationKinds.Isic4 => Gen.OneOf(Gen.Char['A', 'U'].Select(l => l.ToString()), Hostile.Of("0123456789", 2, 4)),
                ClassificationKinds.Country => Country,
                _ => Currency,
            }),
            (c.Totals.Count > 0 ? 1 : 0, Gen.OneOf([.. c.Totals.DefaultIfEmpty("TOTAL")])))
            .Select(code => c.Prefix + code),
        _ => throw new ArgumentOutOfRangeException(nameof(codes)),
    };

    /// <summary>A period of the given frequency.</summary>
    private static Gen<TimePeriod> PeriodOf(char frequency) => frequency switch
    {
        'A' => Gen.Int[1990, 2030].Select(TimePeriod.Annual),
        'S' => Gen.Select(Gen.Int[1990, 2030], Gen.Int[1, 2], TimePeriod.Semester),
        'Q' => Gen.Select(Gen.Int[1990, 2030], Gen.Int[1, 4], TimePeriod.Quarter),
        'M' => Gen.Select(Gen.Int[1990, 2030], Gen.Int[1, 12], TimePeriod.Month),
        'W' => Gen.Select(Gen.Int[1990, 2030], Gen.Int[1, 52], TimePeriod.Week),
        _ => Gen.Int[new DateOnly(1990, 1, 1).DayNumber, new DateOnly(2030, 12, 31).DayNumber].Select(d => TimePeriod.Day(DateOnly.FromDayNumber(d))),
    };

    /// <summary>
    /// Free text as a NOTE may hold it, including what a spreadsheet would run (=SUM(…)) and blanks around it: a
    /// machine format keeps it exactly. Not text the reader refuses (control characters, U+FFFD, a byte order mark).
    /// </summary>
    internal static readonly Gen<string?> Note = Gen.Frequency(
        (1, Gen.Const((string?)null)),
        (2, Hostile.Text(30).Where(t => t.Length > 0 && t.All(IsText)).Select(t => (string?)t)),
        (1, Gen.OneOf("=SUM(A1:A2)", "@SUM(A1)", "+1", "-2+3", " padded ", "\tindented").Select(t => (string?)t)));

    // Lone surrogates are left out too: no UTF-8 file can carry one (an upload would hold U+FFFD instead).
    private static bool IsText(char c) => (c is '\t' or '\n' or '\r' or >= ' ' and not '\u007F' and not '\uFFFD' and not '\uFEFF') && !char.IsSurrogate(c);

    /// <summary>A value in plain units that a dataflow's rule allows: counts whole and not negative, percentages 0-100.</summary>
    private static Gen<decimal> PlainValue(ValueRule rule) =>
        Gen.Select(Gen.Long[0, 10_000_000_000], Gen.Byte[0, 6], Gen.Bool, (digits, scale, negative) =>
        {
            var magnitude = rule.Whole ? digits : new decimal((int)(digits % int.MaxValue), (int)(digits / int.MaxValue), 0, false, scale);
            magnitude = rule.Maximum is { } max && magnitude > max ? magnitude % max : magnitude;
            return rule.Minimum is null && negative ? -magnitude : magnitude;
        });

    /// <summary>The value written for a value in plain units, given the row's UNIT_MULT.</summary>
    internal static decimal Written(decimal plain, string? unitMultiplier)
    {
        var power = unitMultiplier is null ? 0 : int.Parse(unitMultiplier, CultureInfo.InvariantCulture);
        for (var i = 0; i < power; i++)
        {
            plain /= 10;
        }

        return plain;
    }

    /// <summary>One value from each generator, in order.</summary>
    private static Gen<T[]> Each<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<T>()), (all, gen) => Gen.Select(all, gen, (values, value) => (T[])[.. values, value]));

    /// <summary>A valid observation of a structure.</summary>
    internal static Gen<Observation> ObservationOf(DataStructure structure)
    {
        var frequency = structure.DimensionIndex(DataStructure.FrequencyDimension);
        var keys = Each(structure.Dimensions.Select(d => ValueOf(d.Codes)));
        var attributes = Each(structure.Attributes.Select(a => a.Codes is null
            ? Note
            : a.Mandatory
                ? ValueOf(a.Codes).Select(v => (string?)v)
                : Gen.Frequency((1, Gen.Const((string?)null)), (3, ValueOf(a.Codes).Select(v => (string?)v)))));
        return Gen.Select(keys, attributes, PlainValue(structure.Values)).SelectMany((key, attrs, plain) =>
            PeriodOf(key[frequency][0]).Select(period =>
            {
                var missing = attrs[structure.AttributeIndex("OBS_STATUS")] == "M";
                return new Observation(structure, key, period, missing ? null : Written(plain, attrs[structure.AttributeIndex("UNIT_MULT")]), attrs);
            }));
    }

    /// <summary>A structure and some valid observations of it, each (series, period) once.</summary>
    private static readonly Gen<(DataStructure Structure, Observation[] Observations)> Upload =
        Gen.OneOf([.. BuiltInDataflows.All]).SelectMany(structure =>
            ObservationOf(structure).Array[0, 30].Select(o => (structure, o.DistinctBy(x => (x.SeriesKey, x.Period)).ToArray())));

    [Fact]
    public Task Valid_observations_written_as_sdmx_csv_read_back_the_same() =>
        Properties.HoldAsync(Upload, async upload =>
        {
            var written = await SdmxFiles.WriteSdmxCsvAsync(upload.Structure, upload.Observations);
            var (reader, rows) = await SdmxFiles.ReadAsync(written);

            Assert.All(rows, r => Assert.True(r.IsValid, string.Join("; ", r.Errors)));
            Assert.Equal(upload.Observations.Select(SdmxFiles.Describe), rows.Select(r => SdmxFiles.Describe(r.Observation!)));
            if (upload.Observations.Length > 0)
            {
                Assert.Same(upload.Structure, reader.Structure);
            }

            var expected = upload.Observations.SelectMany(o => o.ClassificationCodes()).GroupBy(c => c.Kind)
                .ToDictionary(g => g.Key, g => g.Select(c => c.Code).Distinct().Order(StringComparer.Ordinal).ToArray());
            Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {string.Join(",", p.Value)}"),
                reader.CodesToCheck.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {string.Join(",", p.Value.Order(StringComparer.Ordinal))}"));
        }, iter: 300);

    [Fact]
    public Task Valid_observations_written_as_sdmx_json_resolve_back() =>
        Properties.HoldAsync(Upload, async upload =>
        {
            var sorted = SdmxFiles.Sorted(upload.Observations);
            using var json = System.Text.Json.JsonDocument.Parse(await SdmxFiles.WriteJsonAsync(upload.Structure, sorted));

            var data = json.RootElement.GetProperty("data");
            var dimensions = data.GetProperty("structures")[0].GetProperty("dimensions");
            // With no observation there is no period, and TIME_PERIOD is not listed (no empty list of values).
            var periods = dimensions.GetProperty("observation").EnumerateArray().Select(d => d.GetProperty("values")).FirstOrDefault();
            var resolved = new List<string>();
            foreach (var series in data.GetProperty("dataSets")[0].GetProperty("series").EnumerateObject())
            {
                var key = string.Join('.', series.Name.Split(':').Select((p, d) =>
                    dimensions.GetProperty("series")[d].GetProperty("values")[int.Parse(p, CultureInfo.InvariantCulture)].GetProperty("id").GetString()));
                foreach (var observation in series.Value.GetProperty("observations").EnumerateObject())
                {
                    var value = observation.Value[0];
                    resolved.Add($"{key} {periods[int.Parse(observation.Name, CultureInfo.InvariantCulture)].GetProperty("id").GetString()} "
                        + (value.ValueKind == System.Text.Json.JsonValueKind.Null ? "-" : value.GetDecimal().ToString(CultureInfo.InvariantCulture)));
                }
            }

            Assert.Equal(sorted.Select(o => $"{o.SeriesKey} {o.Period} {o.Value?.ToString(CultureInfo.InvariantCulture) ?? "-"}"), resolved);
        }, iter: 200);

    /// <summary>Text that looks somewhat like an upload: SDMX words, hostile fields, either separator, quotes, mixed line ends.</summary>
    private static readonly Gen<string> UploadLike = Gen.Frequency(
        (1, Hostile.Text(120)),
        (4, Gen.Select(
            Gen.OneOf("DATAFLOW", "STRUCTURE,STRUCTURE_ID,ACTION", "STRUCTURE;STRUCTURE_ID", "dataflow: Dataflow", "\"DATAFLOW\"", "REF_AREA"),
            Gen.Frequency(
                (6, Gen.OneOf("REF_AREA", "FREQ", "SEX", "AGE", "OCU", "COUNTERPART_AREA", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "NOTE", "UNIT_MEASURE", "SERIES_KEY")),
                (1, Hostile.Text(8))).Array[0, 10],
            Gen.Frequency(
                (4, Gen.OneOf("RCM:DF_UNE_RT(1.0)", "RCM:DF_REM_IN(1.0)", "dataflow", "MEX", "A", "SEX_T", "AGE_YTHADULT_YGE15", "2024", "2024-Q1", "M", "OCU_ISCO08_2411", "5.1", "NaN", "")),
                (2, Hostile.Text(12)),
                (1, Hostile.Text(12).Select(f => "\"" + f))).Array[0, 11].Array[0, 8],
            Gen.OneOf(",", ";", "\t"),
            Gen.OneOf("\n", "\r\n", "\r", "\n\n"),
            Gen.Bool,
            (first, header, rows, separator, newLine, bom) => (bom ? "\uFEFF" : string.Empty)
                + string.Join(newLine, rows.Select(r => string.Join(separator, r)).Prepend(string.Join(separator, header.Prepend(first)))))));

    [Fact]
    public Task Any_text_is_read_as_rows_or_errors_never_an_exception() =>
        Properties.HoldAsync(UploadLike, async text =>
        {
            var (reader, rows) = await SdmxFiles.ReadAsync(text);

            var last = 0;
            foreach (var row in rows)
            {
                Assert.True(row.IsValid != (row.Errors.Count > 0), $"line {row.Line}: an observation or errors, never both or neither");
                Assert.True(row.Line >= 1 && row.Line >= last, $"line {row.Line} after {last}");
                Assert.All(row.Errors, e => Assert.StartsWith($"line {row.Line}", e.Field, StringComparison.Ordinal));
                last = row.Line;
            }

            Assert.True(rows.Count(r => r.Line == 1) <= 1);
            _ = reader.CodesToCheck;
        }, iter: 3_000);
}
