using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Xml.Linq;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Tests.Sdmx;

namespace Lmis.Statistics.Tests.Api;

/// <summary>
/// What SDMX clients (sdmx-rest, the .Stat Suite, pandasdmx, a mirror) send to LMIS's data and availability
/// queries, and what they rely on in the answer: both URL forms, every parameter and its refusal, the SDMX statuses,
/// conditional GETs, compression, HEAD, and which codes have data.
/// </summary>
public sealed class SdmxDataQueryTests(SdmxDataQueryTests.Seeded seeded) : IClassFixture<SdmxDataQueryTests.Seeded>
{
    private const string RatesV1 = "DATAFLOW,REF_AREA,FREQ,SEX,AGE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";
    private const string VacanciesV1 = "DATAFLOW,REF_AREA,FREQ,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StatisticsInProcess Service => seeded.Service;

    /// <summary>Unemployment rates of Mexico (annual, total 2021-2024 and women 2023-2024) and Guatemala (annual 2022-2023, one quarter).</summary>
    public sealed class Seeded : IAsyncLifetime
    {
        public StatisticsInProcess Service { get; } = new();

        public async ValueTask InitializeAsync()
        {
            await Service.InitializeAsync();
            await UploadAsync("MEX", Rate("MEX", "A", "SEX_T", "2021", "3.1"), Rate("MEX", "A", "SEX_T", "2022", "3.3"), Rate("MEX", "A", "SEX_T", "2023", "2.8"),
                Rate("MEX", "A", "SEX_T", "2024", "2.7"), Rate("MEX", "A", "SEX_F", "2023", "2.9"), Rate("MEX", "A", "SEX_F", "2024", "2.6"));
            await UploadAsync("GTM", Rate("GTM", "A", "SEX_T", "2022", "2.4"), Rate("GTM", "A", "SEX_T", "2023", "2.2"), Rate("GTM", "Q", "SEX_T", "2024-Q1", "2.5"));
        }

        public ValueTask DisposeAsync() => Service.DisposeAsync();

        private async Task UploadAsync(string country, params string[] rows)
        {
            var (status, body) = await Service.UploadAsync(country, RatesV1 + string.Join('\n', rows) + "\n");
            Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body}");
        }
    }

    private static string Rate(string area, string freq, string sex, string period, string value) =>
        $"RCM:DF_UNE_RT(1.0),{area},{freq},{sex},AGE_YTHADULT_YGE15,{period},{value},PT,0,A,";

    private async Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestHeaders>? headers = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        headers?.Invoke(request.Headers);
        return await Service.Statistics.CreateClient().SendAsync(request, Ct);
    }

    private async Task<List<string>> ObservationsAsync(string path)
    {
        using var response = await GetAsync(path);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return [.. (await SdmxFiles.ObservationsAsync(body)).Select(o => $"{o.SeriesKey} {o.Period} {o.Value}")];
    }

    private static readonly string[] MexicoAndGuatemalaAnnualTotals =
    [
        "GTM.A.SEX_T.AGE_YTHADULT_YGE15 2022 2.4", "GTM.A.SEX_T.AGE_YTHADULT_YGE15 2023 2.2",
        "MEX.A.SEX_T.AGE_YTHADULT_YGE15 2021 3.1", "MEX.A.SEX_T.AGE_YTHADULT_YGE15 2022 3.3", "MEX.A.SEX_T.AGE_YTHADULT_YGE15 2023 2.8",
        "MEX.A.SEX_T.AGE_YTHADULT_YGE15 2024 2.7",
    ];

    [Theory]
    [InlineData("/sdmx/data/RCM,DF_UNE_RT,1.0/MEX+GTM.A.SEX_T./all?detail=full")]
    [InlineData("/sdmx/data/RCM,DF_UNE_RT/MEX+GTM.A.SEX_T.")]
    [InlineData("/sdmx/data/RCM,DF_UNE_RT,latest/MEX+GTM.A.SEX_T.*")]
    [InlineData("/sdmx/data/all,DF_UNE_RT,latest/MEX+GTM.A.SEX_T.AGE_YTHADULT_YGE15/all")]
    [InlineData("/sdmx/data/DF_UNE_RT/MEX+GTM.A.SEX_T.")]
    [InlineData("/sdmx/data/dataflow/RCM/DF_UNE_RT/1.0/MEX+GTM.A.SEX_T.*")]
    [InlineData("/sdmx/data/dataflow/RCM/DF_UNE_RT/~/MEX.A.SEX_T,GTM.A.SEX_T")]
    [InlineData("/sdmx/data/dataflow/*/DF_UNE_RT/*/*?c[REF_AREA]=MEX,GTM&c[FREQ]=A&c[SEX]=eq:SEX_T")]
    [InlineData("/sdmx/data/dataflow/RCM/DF_UNE_RT?c%5BFREQ%5D=A&c%5BSEX%5D=SEX_T")]
    public async Task Every_url_form_of_sdmx_2_1_and_3_0_answers_the_same_observations(string path) =>
        Assert.Equal(MexicoAndGuatemalaAnnualTotals, await ObservationsAsync(path));

    [Fact]
    public async Task A_provider_ref_keeps_that_member_state_s_figures_only() =>
        Assert.Equal(
            MexicoAndGuatemalaAnnualTotals.Where(o => o.StartsWith("MEX", StringComparison.Ordinal)),
            await ObservationsAsync("/sdmx/data/RCM,DF_UNE_RT,1.0/MEX+GTM.A.SEX_T./RCM,MEX"));

    [Fact]
    public async Task Period_bounds_and_first_or_last_n_observations_select_per_series()
    {
        var bounded = await ObservationsAsync("/sdmx/data/DF_UNE_RT/MEX.A..?startPeriod=2022&endPeriod=2023");
        var bounded3 = await ObservationsAsync("/sdmx/data/dataflow/RCM/DF_UNE_RT/1.0/MEX.A?c[TIME_PERIOD]=ge:2022%2Ble:2023");
        var last = await ObservationsAsync("/sdmx/data/DF_UNE_RT/MEX+GTM.A..?lastNObservations=1");
        var first = await ObservationsAsync("/sdmx/data/DF_UNE_RT/MEX.A.SEX_T.?firstNObservations=2");
        var both = await ObservationsAsync("/sdmx/data/DF_UNE_RT/MEX.A.SEX_T.?firstNObservations=1&lastNObservations=1");

        Assert.Equal(
            ["MEX.A.SEX_F.AGE_YTHADULT_YGE15 2023 2.9", "MEX.A.SEX_T.AGE_YTHADULT_YGE15 2022 3.3", "MEX.A.SEX_T.AGE_YTHADULT_YGE15 2023 2.8"],
            bounded);
        Assert.Equal(bounded, bounded3);
        Assert.Equal(
            ["GTM.A.SEX_T.AGE_YTHADULT_YGE15 2023 2.2", "MEX.A.SEX_F.AGE_YTHADULT_YGE15 2024 2.6", "MEX.A.SEX_T.AGE_YTHADULT_YGE15 2024 2.7"],
            last);
        Assert.Equal(["MEX.A.SEX_T.AGE_YTHADULT_YGE15 2021 3.1", "MEX.A.SEX_T.AGE_YTHADULT_YGE15 2022 3.3"], first);
        Assert.Equal(["MEX.A.SEX_T.AGE_YTHADULT_YGE15 2021 3.1", "MEX.A.SEX_T.AGE_YTHADULT_YGE15 2024 2.7"], both);
    }

    [Theory]
    [InlineData("/sdmx/data/DF_UNE_RT/all?foo=1", 400, "foo")]
    [InlineData("/sdmx/data/DF_UNE_RT/all?startPeriod=2025&endPeriod=2021", 400, "startPeriod")]
    [InlineData("/sdmx/data/DF_UNE_RT/all?startPeriod=2021&startPeriod=2022", 400, "startPeriod")]
    [InlineData("/sdmx/data/DF_UNE_RT/all?lastNObservations=0", 400, "lastNObservations")]
    [InlineData("/sdmx/data/DF_UNE_RT/all?firstNObservations=many", 400, "firstNObservations")]
    [InlineData("/sdmx/data/DF_UNE_RT/all?detail=everything", 400, "detail")]
    [InlineData("/sdmx/data/DF_UNE_RT/all?includeHistory=yes", 400, "includeHistory")]
    [InlineData("/sdmx/data/DF_UNE_RT/all?dimensionAtObservation=OCU", 400, "dimensionAtObservation")]
    [InlineData("/sdmx/data/DF_UNE_RT/all?updatedAfter=soon", 400, "updatedAfter")]
    [InlineData("/sdmx/data/DF_UNE_RT/all?updatedAfter=2026-02-01T00:00:00Z&asOf=2026-01-01T00:00:00Z", 400, "updatedAfter")]
    [InlineData("/sdmx/data/DF_UNE_RT/all/PANAMA", 400, "providerRef")]
    [InlineData("/sdmx/data/DF_UNE_RT/FRA...", 400, "key position 1 (REF_AREA)")]
    [InlineData("/sdmx/data/dataflow/RCM/DF_UNE_RT/1.0/MEX.A.SEX_T.AGE_YTHADULT_YGE15.X", 400, "key")]
    [InlineData("/sdmx/data/dataflow/RCM/DF_UNE_RT/1.0/*?c[NOPE]=1", 400, "c[NOPE]")]
    [InlineData("/sdmx/data/dataflow/RCM/DF_UNE_RT/1.0/*?attributes=none", 501, "attributes")]
    [InlineData("/sdmx/data/dataflow/RCM/DF_UNE_RT/1.0/*?measures=none", 501, "measures")]
    [InlineData("/sdmx/data/dataflow/RCM/DF_UNE_RT/1.0/*?limit=10", 501, "limit")]
    [InlineData("/sdmx/data/dataflow/RCM/DF_UNE_RT/1.0/*?c[OBS_STATUS]=A", 501, "c[OBS_STATUS]")]
    [InlineData("/sdmx/data/dataflow/RCM/DF_UNE_RT/1.0/*?c[TIME_PERIOD]=gt:2020", 501, "c[TIME_PERIOD]")]
    [InlineData("/sdmx/data/provisionagreement/RCM/PA_MEX/1.0/*", 501, "context")]
    [InlineData("/sdmx/data/dataflow/RCM/*/1.0/*", 501, "resourceID")]
    public async Task A_parameter_that_is_unknown_malformed_or_not_implemented_is_refused_naming_it(string path, int status, string field)
    {
        using var response = await GetAsync(path);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(StatisticsInProcess.Errors(problem), e => e.Field == field);
    }

    [Theory]
    [InlineData("/sdmx/data/DF_UNE_RT/BLZ...")]
    [InlineData("/sdmx/data/DF_UNE_RT/GTM.M..")]
    [InlineData("/sdmx/data/DF_UNE_RT/MEX...?startPeriod=2030")]
    [InlineData("/sdmx/data/DF_MIG_STOCK/all")]
    [InlineData("/sdmx/data/dataflow/RCM/DF_UNE_RT/2.0/*")]
    [InlineData("/sdmx/data/RCM,DF_NOTHING,1.0/all")]
    public async Task A_query_with_no_results_is_404_with_sdmx_error_100_in_the_media_type_asked_for(string path)
    {
        using var json = await GetAsync(path, h => h.Accept.ParseAdd("application/vnd.sdmx.data+json;version=2.0.0"));
        using var csv = await GetAsync(path);
        using var head = await GetAsync(path, method: HttpMethod.Head);
        var error = JsonDocument.Parse(await json.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("errors")[0];

        Assert.Equal((HttpStatusCode.NotFound, "application/vnd.sdmx.data+json"), (json.StatusCode, json.Content.Headers.ContentType?.MediaType));
        Assert.Equal(100, error.GetProperty("code").GetInt32());
        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (csv.StatusCode, csv.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task A_media_type_not_offered_is_406_listing_what_is()
    {
        using var response = await GetAsync("/sdmx/data/DF_UNE_RT/all", h => h.Accept.ParseAdd("application/pdf"));

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Contains("SDMX-JSON", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_answers_the_headers_of_get_without_a_body()
    {
        using var get = await GetAsync("/sdmx/data/DF_UNE_RT/MEX...");
        using var head = await GetAsync("/sdmx/data/DF_UNE_RT/MEX...", method: HttpMethod.Head);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task A_copy_still_current_is_answered_304_by_etag_or_date_and_a_change_gives_a_new_etag()
    {
        const string path = "/sdmx/data/DF_VAC_OCU/BLZ..";
        await UploadVacanciesAsync("BLZ", Vacancy("BLZ", "7112", "2024", "61"));
        using var first = await GetAsync(path);
        var etag = first.Headers.ETag!;
        var lastModified = first.Content.Headers.LastModified!.Value;
        using var byTag = await GetAsync(path, h => h.IfNoneMatch.Add(etag));
        using var byDate = await GetAsync(path, h => h.IfModifiedSince = lastModified);
        using var otherFormat = await GetAsync(path + "?format=json", h => h.IfNoneMatch.Add(etag));
        await Task.Delay(1100, Ct);
        await UploadVacanciesAsync("BLZ", Vacancy("BLZ", "7112", "2024", "63"));
        using var afterRevision = await GetAsync(path, h => h.IfNoneMatch.Add(etag));
        using var afterRevisionByDate = await GetAsync(path, h => h.IfModifiedSince = lastModified);

        Assert.True(etag.IsWeak);
        Assert.Equal(HttpStatusCode.NotModified, byTag.StatusCode);
        Assert.Empty(await byTag.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(etag, byTag.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, byDate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherFormat.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterRevision.StatusCode);
        Assert.NotEqual(etag, afterRevision.Headers.ETag);
        Assert.Contains(",63,", await afterRevision.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, afterRevisionByDate.StatusCode);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Data_are_compressed_when_the_client_accepts_it(string encoding)
    {
        const string path = "/sdmx/data/DF_UNE_RT/all";
        using var plain = await GetAsync(path);
        using var compressed = await GetAsync(path, h => h.AcceptEncoding.ParseAdd(encoding));
        await using var body = await compressed.Content.ReadAsStreamAsync(Ct);
        await using Stream decompressing = encoding == "gzip" ? new GZipStream(body, CompressionMode.Decompress) : new BrotliStream(body, CompressionMode.Decompress);
        using var reader = new StreamReader(decompressing);

        Assert.Equal([encoding], compressed.Content.Headers.ContentEncoding);
        Assert.Equal(await plain.Content.ReadAsStringAsync(Ct), await reader.ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task Updated_after_a_revision_answers_only_the_revised_value_and_include_history_the_earlier_one()
    {
        await UploadVacanciesAsync("PAN", Vacancy("PAN", "7112", "2025", "300"), Vacancy("PAN", "6111", "2025", "120"));
        await Task.Delay(20, Ct);
        var pulled = DateTimeOffset.UtcNow;
        await Task.Delay(20, Ct);
        await UploadVacanciesAsync("PAN", Vacancy("PAN", "7112", "2025", "310"), Vacancy("PAN", "6111", "2025", "120"));
        var since = Uri.EscapeDataString(pulled.ToString("O"));

        var changed = await ObservationsAsync($"/sdmx/data/DF_VAC_OCU/PAN..?updatedAfter={since}");
        var changed3 = await ObservationsAsync($"/sdmx/data/dataflow/RCM/DF_VAC_OCU/1.0/PAN?updatedAfter={since}");
        // History is a data set per vintage (SDMX-JSON; SDMX-CSV has no place for a data set's validity): the earlier
        // value valid until the revision, then the revised one, still valid.
        using var historyMessage = JsonDocument.Parse(await GetStringAsync("/sdmx/data/DF_VAC_OCU/PAN.A.OCU_ISCO08_7112?includeHistory=true&format=jsondata"));
        var history = historyMessage.RootElement.GetProperty("data").GetProperty("dataSets").EnumerateArray()
            .Select(set => $"{set.GetProperty("series").EnumerateObject().Single().Value.GetProperty("observations").EnumerateObject().Single().Value[0].GetDecimal()}"
                + (set.TryGetProperty("validTo", out _) ? " until revised" : " latest"))
            .ToList();
        using var nothingSince = await GetAsync($"/sdmx/data/DF_VAC_OCU/PAN..?updatedAfter={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}");

        Assert.Equal(["PAN.A.OCU_ISCO08_7112 2025 310"], changed);
        Assert.Equal(changed, changed3);
        Assert.Equal(["300 until revised", "310 latest"], history);
        Assert.Equal(HttpStatusCode.NotFound, nothingSince.StatusCode);
    }

    [Fact]
    public async Task Availability_for_a_partial_key_lists_exactly_the_codes_with_data_and_the_time_range()
    {
        using var exact = JsonDocument.Parse(await GetStringAsync("/sdmx/availability/dataflow/RCM/DF_UNE_RT/1.0/MEX"));
        using var available = JsonDocument.Parse(await GetStringAsync("/sdmx/availability/dataflow/RCM/DF_UNE_RT/1.0/MEX.A?mode=available"));
        var xml = XDocument.Parse(await GetStringAsync("/sdmx/availableconstraint/DF_UNE_RT/GTM.../all/all"));
        using var oneDimension = JsonDocument.Parse(await GetStringAsync("/sdmx/availability/dataflow/RCM/DF_UNE_RT/~/*/SEX?startPeriod=2024"));
        using var none = await GetAsync("/sdmx/availability/dataflow/RCM/DF_UNE_RT/1.0/BLZ");
        using var badComponent = await GetAsync("/sdmx/availability/dataflow/RCM/DF_UNE_RT/1.0/*/OCU");

        var constraint = exact.RootElement.GetProperty("data").GetProperty("dataConstraints")[0];
        Assert.Equal("Actual", constraint.GetProperty("role").GetString());
        Assert.Equal("urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=RCM:DF_UNE_RT(1.0)", constraint.GetProperty("constraintAttachment").GetProperty("dataflows")[0].GetString());
        Assert.Equal(
            ["REF_AREA=MEX", "FREQ=A", "SEX=SEX_F,SEX_T", "AGE=AGE_YTHADULT_YGE15", "TIME_PERIOD=2021..2024"],
            KeyValues(constraint));
        Assert.Equal(
            ["REF_AREA=GTM,MEX", "FREQ=A", "SEX=SEX_F,SEX_T", "AGE=AGE_YTHADULT_YGE15", "TIME_PERIOD=2021..2024"],
            KeyValues(available.RootElement.GetProperty("data").GetProperty("dataConstraints")[0]));
        XNamespace com = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common";
        XNamespace str = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure";
        Assert.Equal("Actual", xml.Descendants(str + "ContentConstraint").Single().Attribute("type")?.Value);
        Assert.Equal(
            ["REF_AREA=GTM", "FREQ=A,Q", "SEX=SEX_T", "AGE=AGE_YTHADULT_YGE15", "TIME_PERIOD=2022..2024-Q1"],
            xml.Descendants(com + "KeyValue").Select(k => k.Attribute("id")!.Value + "=" + (k.Element(com + "TimeRange") is { } range
                ? range.Element(com + "StartPeriod")!.Value + ".." + range.Element(com + "EndPeriod")!.Value
                : string.Join(',', k.Elements(com + "Value").Select(v => v.Value)))));
        Assert.Equal(["SEX=SEX_F,SEX_T"], KeyValues(oneDimension.RootElement.GetProperty("data").GetProperty("dataConstraints")[0]));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badComponent.StatusCode);
    }

    private async Task<string> GetStringAsync(string path)
    {
        using var response = await GetAsync(path);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static List<string> KeyValues(JsonElement constraint) =>
        [.. constraint.GetProperty("cubeRegions")[0].GetProperty("keyValues").EnumerateArray().Select(k => k.GetProperty("id").GetString() + "=" +
            (k.TryGetProperty("timeRange", out var range)
                ? range.GetProperty("startPeriod").GetProperty("period").GetString() + ".." + range.GetProperty("endPeriod").GetProperty("period").GetString()
                : string.Join(',', k.GetProperty("values").EnumerateArray().Select(v => v.GetString()))))];

    private static string Vacancy(string area, string occupation, string period, string value) =>
        $"RCM:DF_VAC_OCU(1.0),{area},A,OCU_ISCO08_{occupation},{period},{value},NB,0,A,";

    private async Task UploadVacanciesAsync(string country, params string[] rows)
    {
        var (status, body) = await Service.UploadAsync(country, VacanciesV1 + string.Join('\n', rows) + "\n");
        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body}");
    }
}
