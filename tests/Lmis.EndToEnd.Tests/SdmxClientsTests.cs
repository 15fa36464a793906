using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// The region's SDMX as a real SDMX client reads it through the gateway: the npm <c>sdmx-rest</c> query builder
/// (sdmx-rest4js, the library behind several data explorers) builds every URL — SDMX REST 1.5 (SDMX 2.1) and 2.0
/// (SDMX 3.0) forms — and runs it with its own <c>request2</c>, asking for each message kind it knows; its
/// <c>checkMediaType</c> must accept what comes back. Figures of Mexico and Guatemala for every built-in dataflow are
/// uploaded first, in years no other test writes (1991, 1992), so the answers can be checked figure by figure.
/// </summary>
[Collection(DistributedStackCollection.Name)]
public sealed class SdmxClientsTests(DistributedStack stack)
{
    private static readonly NodePackages SdmxRest = new("sdmx-rest", "sdmx-rest@2.20.0");

    /// <summary>
    /// Runs the queries given as JSON (each: name, api, query, accept) against the base URL with sdmx-rest, and prints
    /// for each the URL it built, the status, the content type, whether sdmx-rest takes the media type, and the body.
    /// </summary>
    private const string RunQueries = """
        const sdmxrest = require('sdmx-rest');
        const [base, json] = process.argv.slice(1);
        (async () => {
          const results = [];
          for (const q of JSON.parse(json)) {
            const service = sdmxrest.getService({ url: base, api: q.api });
            const url = sdmxrest.getUrl(q.query, service);
            const headers = { accept: q.accept };
            if (q.ifNoneMatch) headers['if-none-match'] = q.ifNoneMatch;
            const response = await sdmxrest.request2(q.query, service, { headers });
            let mediaType = 'accepted';
            try { sdmxrest.checkMediaType(q.accept, response); } catch (e) { mediaType = e.message; }
            results.push({ name: q.name, url, status: response.status, contentType: response.headers.get('content-type'),
              etag: response.headers.get('etag'), mediaType, body: await response.text() });
          }
          console.log(JSON.stringify(results));
        })().catch(e => { console.error(e); process.exit(1); });
        """;

    private const string CsvV2 = "application/vnd.sdmx.data+csv;version=2.0.0";
    private const string JsonV2 = "application/vnd.sdmx.data+json;version=2.0.0";
    private const string StructureSpecific = "application/vnd.sdmx.structurespecificdata+xml;version=2.1";
    private const string Generic = "application/vnd.sdmx.genericdata+xml;version=2.1";
    private const string StructureXml = "application/vnd.sdmx.structure+xml;version=2.1";
    private const string StructureJson = "application/vnd.sdmx.structure+json;version=2.0.0";

    /// <summary>Every built-in dataflow: its dimensions, Mexico's series key, Guatemala's, and the unit of its figures.</summary>
    public static TheoryData<string> Dataflows => [.. Flows.Keys];

    private static readonly Dictionary<string, (string Dimensions, string Mexico, string Guatemala, string Unit)> Flows = new()
    {
        ["DF_UNE_RT"] = ("REF_AREA,FREQ,SEX,AGE", "MEX,A,SEX_T,AGE_YTHADULT_YGE15", "GTM,A,SEX_T,AGE_YTHADULT_YGE15", "PT,0"),
        ["DF_EMP_OCU"] = ("REF_AREA,FREQ,SEX,OCU", "MEX,A,SEX_T,OCU_ISCO08_TOTAL", "GTM,A,SEX_T,OCU_ISCO08_TOTAL", "PS,3"),
        ["DF_JSK_OCU"] = ("REF_AREA,FREQ,SEX,OCU", "MEX,A,SEX_T,OCU_ISCO08_TOTAL", "GTM,A,SEX_T,OCU_ISCO08_TOTAL", "PS,0"),
        ["DF_VAC_OCU"] = ("REF_AREA,FREQ,OCU", "MEX,A,OCU_ISCO08_TOTAL", "GTM,A,OCU_ISCO08_TOTAL", "NB,0"),
        ["DF_MIG_PERMITS"] = ("REF_AREA,COUNTERPART_AREA,FREQ,PERMIT_TYPE,SEX,OCU",
            "MEX,GTM,A,PERMIT_TOTAL,SEX_T,OCU_ISCO08_TOTAL", "GTM,MEX,A,PERMIT_TOTAL,SEX_T,OCU_ISCO08_TOTAL", "NB,0"),
        ["DF_MIG_STOCK"] = ("REF_AREA,COUNTERPART_AREA,FREQ,SEX", "MEX,GTM,A,SEX_T", "GTM,MEX,A,SEX_T", "PS,0"),
        ["DF_REM_IN"] = ("REF_AREA,COUNTERPART_AREA,FREQ", "MEX,GTM,A", "GTM,MEX,A", "USD,6"),
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A figure of each country and year, distinct per dataflow, country and year, whole (every flow takes it).</summary>
    private static int Figure(string flow, string country, int year) =>
        (Flows.Keys.ToList().IndexOf(flow) + 1) * 10 + (country == "MEX" ? 1 : 2) + (year - 1991) * 5;

    private async Task UploadAsync(string flow)
    {
        var (dimensions, mexico, guatemala, unit) = Flows[flow];
        foreach (var (country, key) in new[] { ("MEX", mexico), ("GTM", guatemala) })
        {
            var csv = new StringBuilder($"STRUCTURE,STRUCTURE_ID,ACTION,{dimensions},TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT\n");
            foreach (var year in new[] { 1991, 1992 })
            {
                csv.Append(CultureInfo.InvariantCulture, $"dataflow,RCM:{flow}(1.0),I,{key},{year},{Figure(flow, country, year)},{unit}\n");
            }

            using var http = stack.Http(await stack.PublisherKeyAsync(country));
            using var response = await http.PostAsync("/sdmx/data", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"), Ct);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        }
    }

    private async Task<Dictionary<string, JsonElement>> RunAsync(params object[] queries)
    {
        var results = await SdmxRest.RunScriptAsync(RunQueries, [stack.HttpUrl + "/sdmx", JsonSerializer.Serialize(queries)], Ct);
        return results.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => r);
    }

    private static void AssertAnswered(JsonElement result, HttpStatusCode status = HttpStatusCode.OK)
    {
        var said = $"{result.GetProperty("url").GetString()} → {result.GetProperty("status").GetInt32()} {result.GetProperty("contentType")}: "
            + string.Concat(result.GetProperty("body").GetString()!.Take(600));
        Assert.True((int)status == result.GetProperty("status").GetInt32(), said);
        if (status == HttpStatusCode.OK)
        {
            Assert.True(result.GetProperty("mediaType").GetString() == "accepted", result.GetProperty("mediaType").GetString() + " — " + said);
        }
    }

    private static string Body(JsonElement result) => result.GetProperty("body").GetString()!;

    /// <summary>The body as XML; a body that is none fails the test showing how it starts.</summary>
    private static XDocument Xml(JsonElement result)
    {
        try
        {
            return XDocument.Parse(Body(result));
        }
        catch (System.Xml.XmlException e)
        {
            Assert.Fail($"{result.GetProperty("url").GetString()}: not XML ({e.Message}): {string.Concat(Body(result).Take(300))}");
            throw;
        }
    }

    [Theory]
    [MemberData(nameof(Dataflows))]
    public async Task Data_queries_built_by_sdmx_rest_answer_each_message_kind_it_asks_for(string flow)
    {
        stack.RequireRunning();
        await UploadAsync(flow);
        var positions = Flows[flow].Dimensions.Split(',').Length;
        var bothCountries = "MEX+GTM" + new string('.', positions - 1);
        var mexicoOnlyV2 = "MEX" + string.Concat(Enumerable.Repeat(".*", positions - 1));
        var years = new { start = "1991", end = "1992" };
        var results = await RunAsync(
            new { name = "csv", api = "v1.5.0", accept = CsvV2, query = new { flow, key = bothCountries, years.start, years.end } },
            new { name = "json-last", api = "v1.5.0", accept = JsonV2, query = new { flow = $"RCM,{flow},1.0", key = bothCountries, years.start, years.end, lastNObs = 1 } },
            new { name = "xml", api = "v1.5.0", accept = StructureSpecific, query = new { flow = $"RCM,{flow},latest", key = bothCountries, years.start, years.end } },
            new { name = "generic", api = "v1.5.0", accept = Generic, query = new { flow = $"RCM,{flow}", key = bothCountries, years.start, years.end, detail = "serieskeysonly" } },
            new { name = "v2", api = "v2.0.0", accept = CsvV2, query = new { context = $"dataflow=RCM:{flow}(1.0)", key = mexicoOnlyV2 } },
            new { name = "v2-latest", api = "v2.0.0", accept = JsonV2, query = new { context = $"dataflow=RCM:{flow}(~)", key = mexicoOnlyV2, lastNObs = 1 } },
            new { name = "nothing-since", api = "v1.5.0", accept = CsvV2, query = new { flow, key = bothCountries, updatedAfter = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) } });

        // SDMX-CSV 2.0: both countries, both years, every figure.
        AssertAnswered(results["csv"]);
        var rows = Body(results["csv"]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToArray();
        var value = Array.IndexOf(rows[0], "OBS_VALUE");
        var period = Array.IndexOf(rows[0], "TIME_PERIOD");
        var area = Array.IndexOf(rows[0], "REF_AREA");
        Assert.Equal(
            new[] { "GTM", "MEX" }.SelectMany(c => new[] { 1991, 1992 }.Select(y => $"{c} {y} {Figure(flow, c, y)}")).Order(),
            rows.Skip(1).Select(r => $"{r[area]} {r[period]} {decimal.Parse(r[value], CultureInfo.InvariantCulture)}").Order());

        // SDMX-JSON 2.0, lastNObservations=1: one observation a series, the later year's.
        AssertAnswered(results["json-last"]);
        AssertLatestOnly(Body(results["json-last"]), flow, ["GTM", "MEX"]);

        // SDMX-ML 2.1 structure-specific, the dataflow named with "latest": the four figures as Obs.
        AssertAnswered(results["xml"]);
        var observations = Xml(results["xml"]).Descendants().Where(e => e.Name.LocalName == "Obs").ToArray();
        Assert.Equal(
            new[] { 1991, 1992 }.SelectMany(y => new[] { "GTM", "MEX" }.Select(c => Figure(flow, c, y))).Order(),
            observations.Select(o => (int)decimal.Parse(o.Attribute("OBS_VALUE")!.Value, CultureInfo.InvariantCulture)).Order());

        // SDMX-ML 2.1 generic, series keys only: the two series, no observation.
        AssertAnswered(results["generic"]);
        var generic = Xml(results["generic"]).Descendants().ToArray();
        Assert.Equal(2, generic.Count(e => e.Name.LocalName == "Series"));
        Assert.DoesNotContain(generic, e => e.Name.LocalName == "Obs");

        // SDMX 3.0 form: Mexico's figures among the answer ('*' a wildcard), and with '~' and lastNObservations the latest.
        AssertAnswered(results["v2"]);
        var v2 = Body(results["v2"]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToArray();
        var v2Area = Array.IndexOf(v2[0], "REF_AREA");
        Assert.All(v2.Skip(1), r => Assert.Equal("MEX", r[v2Area]));
        Assert.Contains(v2.Skip(1), r => r[Array.IndexOf(v2[0], "TIME_PERIOD")] == "1992"
            && decimal.Parse(r[Array.IndexOf(v2[0], "OBS_VALUE")], CultureInfo.InvariantCulture) == Figure(flow, "MEX", 1992));
        AssertAnswered(results["v2-latest"]);

        // Nothing changed after tomorrow: SDMX's 404 "no results", which sdmx-rest takes for an updatedAfter query.
        AssertAnswered(results["nothing-since"], HttpStatusCode.NotFound);
    }

    /// <summary>Each series of <paramref name="countries"/> has exactly one observation in the SDMX-JSON message: its 1992 figure.</summary>
    private static void AssertLatestOnly(string message, string flow, string[] countries)
    {
        using var json = JsonDocument.Parse(message);
        var data = json.RootElement.GetProperty("data");
        var structure = data.GetProperty("structures")[0];
        var areas = structure.GetProperty("dimensions").GetProperty("series")[0].GetProperty("values").EnumerateArray().Select(v => v.GetProperty("id").GetString()).ToArray();
        var periods = structure.GetProperty("dimensions").GetProperty("observation")[0].GetProperty("values").EnumerateArray().Select(v => v.GetProperty("id").GetString()).ToArray();
        var figures = new List<string>();
        foreach (var series in data.GetProperty("dataSets")[0].GetProperty("series").EnumerateObject())
        {
            var observation = Assert.Single(series.Value.GetProperty("observations").EnumerateObject());
            var country = areas[int.Parse(series.Name.Split(':')[0], CultureInfo.InvariantCulture)];
            figures.Add($"{country} {periods[int.Parse(observation.Name, CultureInfo.InvariantCulture)]} {observation.Value[0].GetDecimal()}");
        }

        Assert.Equal(countries.Select(c => $"{c} 1992 {Figure(flow, c, 1992)}").Order(), figures.Order());
    }

    [Theory]
    [MemberData(nameof(Dataflows))]
    public async Task Structure_and_availability_queries_built_by_sdmx_rest_describe_each_dataflow(string flow)
    {
        stack.RequireRunning();
        await UploadAsync(flow);
        var dimensions = Flows[flow].Dimensions.Split(',');
        var results = await RunAsync(
            new { name = "flows", api = "v1.5.0", accept = StructureXml, query = new { resource = "dataflow" } },
            new { name = "flow-all", api = "v1.5.0", accept = StructureXml, query = new { resource = "dataflow", agency = "RCM", id = flow, version = "1.0", references = "all" } },
            new { name = "flow-v2", api = "v2.0.0", accept = StructureJson, query = new { resource = "dataflow", agency = "RCM", id = flow, version = "1.0", references = "descendants" } },
            new { name = "sex", api = "v2.0.0", accept = StructureJson, query = new { resource = "codelist", agency = "RCM", id = "CL_FREQ" } },
            new { name = "available", api = "v1.5.0", accept = StructureJson, query = new { flow, key = "MEX" + new string('.', dimensions.Length - 1), component = "REF_AREA" } });

        AssertAnswered(results["flows"]);
        var listed = Xml(results["flows"]).Descendants().Where(e => e.Name.LocalName == "Dataflow").Select(e => (string?)e.Attribute("id"));
        Assert.Contains(flow, listed);

        // references=all: the dataflow, its data structure with every dimension, and every codelist the structure uses.
        AssertAnswered(results["flow-all"]);
        var all = Xml(results["flow-all"]).Descendants().ToArray();
        var structure = Assert.Single(all, e => e.Name.LocalName == "DataStructure");
        Assert.Equal(dimensions, structure.Descendants().Where(e => e.Name.LocalName == "Dimension").Select(e => (string?)e.Attribute("id")));
        var codelists = all.Where(e => e.Name.LocalName == "Codelist").Select(e => (string?)e.Attribute("id")).ToHashSet();
        var referenced = structure.Descendants().Where(e => e.Name.LocalName == "Enumeration")
            .SelectMany(e => e.Elements()).Select(r => (string?)r.Attribute("id")).Where(id => id is not null).ToHashSet();
        Assert.NotEmpty(referenced);
        Assert.Subset(codelists, referenced);

        AssertAnswered(results["flow-v2"]);
        using (var json = JsonDocument.Parse(Body(results["flow-v2"])))
        {
            Assert.Equal(flow, json.RootElement.GetProperty("data").GetProperty("dataflows")[0].GetProperty("id").GetString());
        }

        AssertAnswered(results["sex"]);
        using (var json = JsonDocument.Parse(Body(results["sex"])))
        {
            var frequency = json.RootElement.GetProperty("data").GetProperty("codelists")[0];
            var annual = frequency.GetProperty("codes").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "A");
            Assert.Equal("Anual", annual.GetProperty("names").GetProperty("es").GetString());
        }

        // Availability for Mexico's figures: REF_AREA has data for MEX (and the key keeps GTM out).
        AssertAnswered(results["available"]);
        Assert.Contains("\"MEX\"", Body(results["available"]), StringComparison.Ordinal);
        Assert.DoesNotContain("\"GTM\"", Body(results["available"]), StringComparison.Ordinal);
    }

    /// <summary>
    /// Files exactly as offices send them go in through the gateway unedited, and the answer names the mapping used:
    /// ILOSTAT's SDMX-CSV 1.0 and SDMX-ML structure-specific data of Mexico's unemployment rate, and a national
    /// office's SDMX-ML generic data of Honduras's employment by occupation.
    /// </summary>
    [Theory]
    [InlineData("ilostat-unemployment-rate.sdmx-v1.csv", "text/csv", "MEX", "ilo-unemployment-rate", "DF_UNE_RT")]
    [InlineData("ilostat-unemployment-rate.structurespecific.xml", "application/vnd.sdmx.structurespecificdata+xml", "MEX", "ilo-unemployment-rate", "DF_UNE_RT")]
    [InlineData("national-employment-by-occupation.generic.xml", "application/vnd.sdmx.genericdata+xml", "HND", null, "DF_EMP_OCU")]
    public async Task Offices_files_load_unedited_through_the_gateway(string file, string mediaType, string country, string? mapping, string flow)
    {
        stack.RequireRunning();
        using (var admin = stack.Grpc(stack.SecretariatKey))
        {
            await new Contracts.Taxonomy.V1.TaxonomyService.TaxonomyServiceClient(admin).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: Ct);
        }

        var content = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "OfficeFiles", file), Ct);
        using var http = stack.Http(await stack.PublisherKeyAsync(country));
        using var upload = await http.PostAsync("/sdmx/data", new ByteArrayContent(content) { Headers = { { "Content-Type", mediaType } } }, Ct);
        using var answer = JsonDocument.Parse(await upload.Content.ReadAsStringAsync(Ct));

        Assert.True(upload.StatusCode == HttpStatusCode.OK, answer.RootElement.ToString());
        Assert.Equal(0, answer.RootElement.GetProperty("rejected").GetInt32());
        Assert.Equal(mapping, answer.RootElement.GetProperty("mapping") is { ValueKind: JsonValueKind.Object } applied ? applied.GetProperty("id").GetString() : null);

        using var anonymous = stack.Http();
        var stored = await anonymous.GetStringAsync($"/sdmx/data/{flow}/{country}...", Ct);
        var received = answer.RootElement.GetProperty("received").GetInt32();
        Assert.True(received > 0);
        Assert.True(stored.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1 >= received, stored);
    }
}
