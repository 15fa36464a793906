using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Xml.Linq;
using Lmis.BuildingBlocks.Codes;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Tests.Structures;
using Lmis.Testing;

namespace Lmis.Statistics.Tests.Api;

/// <summary>
/// What an SDMX tool (a .Stat Suite Data Explorer, rsdmx, sdmx1) asks the statistics service to learn what LMIS
/// publishes: dataflows, their data structures, codelists and concepts, in SDMX REST's 2.1 and 3.0 URL forms, as
/// SDMX-ML 2.1 and SDMX-JSON 2.0 structure messages.
/// </summary>
public sealed class SdmxStructureQueryTests(StatisticsInProcess service) : IClassFixture<StatisticsInProcess>
{
    private static readonly XNamespace Mes = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message";
    private static readonly XNamespace Str = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure";
    private static readonly XNamespace Com = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, string? ContentType, string Body)> GetAsync(string path, string? accept = null, string? language = null)
    {
        using var client = service.Statistics.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (language is not null)
        {
            request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        }

        using var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<XElement> XmlAsync(string path)
    {
        var (status, type, body) = await GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status} {body}");
        Assert.StartsWith("application/vnd.sdmx.structure+xml", type, StringComparison.Ordinal);
        var root = XDocument.Parse(body).Root!;
        Assert.Equal(Mes + "Structure", root.Name);
        return root;
    }

    private async Task<JsonElement> JsonAsync(string path, string? language = null)
    {
        var (status, type, body) = await GetAsync(path, "application/vnd.sdmx.structure+json; version=2.0.0", language);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status} {body}");
        Assert.StartsWith("application/vnd.sdmx.structure+json", type, StringComparison.Ordinal);
        var message = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Empty(SdmxJsonStructureChecks.Problems(message));
        return message;
    }

    private static IEnumerable<XElement> Maintainables(XElement root, string type) =>
        root.Element(Mes + "Structures")?.Elements().SelectMany(c => c.Elements(Str + type)) ?? [];

    private static string Urn(XElement element) => element.Attribute("urn")!.Value;

    [Theory]
    [InlineData("/sdmx/dataflow")]
    [InlineData("/sdmx/dataflow/all/all/latest")]
    [InlineData("/sdmx/dataflow/RCM")]
    [InlineData("/sdmx/structure/dataflow")]
    [InlineData("/sdmx/structure/dataflow/*/*/~")]
    [InlineData("/sdmx/structure/dataflow/RCM/*/*")]
    public async Task Every_url_form_of_the_dataflow_list_lists_the_built_in_dataflows_with_their_urns(string path)
    {
        var root = await XmlAsync(path);

        Assert.Equal("false", root.Element(Mes + "Header")!.Element(Mes + "Test")!.Value);
        Assert.Equal(
            BuiltInDataflows.All.Select(s => s.Reference.DataflowUrn).Order(),
            Maintainables(root, "Dataflow").Select(Urn).Order());
        foreach (var flow in Maintainables(root, "Dataflow"))
        {
            var structure = flow.Element(Str + "Structure")!.Element("Ref")!;
            Assert.Equal(("DataStructure", flow.Attribute("id")!.Value), (structure.Attribute("class")!.Value, structure.Attribute("id")!.Value));
        }

        var json = await JsonAsync(path);
        Assert.Equal(
            BuiltInDataflows.All.Select(s => s.Reference.DataflowUrn).Order(),
            json.GetProperty("data").GetProperty("dataflows").EnumerateArray().Select(f => f.GetProperty("links")[0].GetProperty("urn").GetString()).Order());
    }

    [Theory]
    [InlineData("/sdmx/dataflow/RCM/DF_UNE_RT/1.0?references=all")]
    [InlineData("/sdmx/dataflow/RCM/DF_MIG_PERMITS/latest?references=descendants")]
    [InlineData("/sdmx/structure/dataflow/RCM/DF_REM_IN/~?references=all")]
    [InlineData("/sdmx/datastructure/RCM/DF_EMP_OCU?references=children")]
    public async Task A_dataflow_with_its_references_carries_every_codelist_and_concept_its_structure_refers_to(string path)
    {
        var root = await XmlAsync(path);

        var structure = Assert.Single(Maintainables(root, "DataStructure"));
        var codelists = Maintainables(root, "Codelist").ToDictionary(c => c.Attribute("id")!.Value);
        var concepts = Maintainables(root, "ConceptScheme").SelectMany(s => s.Elements(Str + "Concept")).Select(c => c.Attribute("id")!.Value).ToHashSet();
        var enumerations = structure.Descendants(Str + "Enumeration").Select(e => e.Element("Ref")!.Attribute("id")!.Value).ToArray();
        Assert.NotEmpty(enumerations);
        Assert.All(enumerations, id => Assert.True(codelists.ContainsKey(id) && codelists[id].Elements(Str + "Code").Any(), $"{id} is not in the message with its codes"));
        Assert.All(structure.Descendants(Str + "ConceptIdentity").Select(c => c.Element("Ref")!.Attribute("id")!.Value),
            id => Assert.Contains(id, concepts));

        var built = BuiltInDataflows.All.Single(s => s.Id == structure.Attribute("id")!.Value);
        Assert.Equal(built.Dimensions.Select(d => d.Id).Append(DataStructure.TimeDimension),
            structure.Descendants(Str + "DimensionList").Elements().Select(d => d.Attribute("id")!.Value));
        Assert.Equal(built.Attributes.Select(a => (a.Id, a.Mandatory ? "Mandatory" : "Conditional")),
            structure.Descendants(Str + "Attribute").Select(a => (a.Attribute("id")!.Value, a.Attribute("assignmentStatus")!.Value)));
        Assert.All(structure.Descendants(Str + "AttributeRelationship"),
            r => Assert.Equal(DataStructure.PrimaryMeasure, r.Element(Str + "PrimaryMeasure")!.Element("Ref")!.Attribute("id")!.Value));
        Assert.Equal($"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={built.Reference}", Urn(structure));

        var json = (await JsonAsync(path)).GetProperty("data");
        var codelistUrns = json.GetProperty("codelists").EnumerateArray().Select(c => c.GetProperty("links")[0].GetProperty("urn").GetString()).ToHashSet();
        var conceptUrns = json.GetProperty("conceptSchemes").EnumerateArray()
            .SelectMany(s => s.GetProperty("concepts").EnumerateArray().Select(c => $"{s.GetProperty("links")[0].GetProperty("urn").GetString()!.Replace("ConceptScheme=", "Concept=", StringComparison.Ordinal)}.{c.GetProperty("id").GetString()}"))
            .ToHashSet();
        var components = json.GetProperty("dataStructures")[0].GetProperty("dataStructureComponents");
        var all = components.GetProperty("dimensionList").GetProperty("dimensions").EnumerateArray()
            .Concat(components.GetProperty("attributeList").GetProperty("attributes").EnumerateArray())
            .Append(components.GetProperty("dimensionList").GetProperty("timeDimension"))
            .Concat(components.GetProperty("measureList").GetProperty("measures").EnumerateArray())
            .ToArray();
        Assert.All(all, c => Assert.Contains(c.GetProperty("conceptIdentity").GetString()!, conceptUrns));
        Assert.All(all.Select(c => c.GetProperty("localRepresentation")).Where(r => r.TryGetProperty("enumeration", out _)),
            r => Assert.Contains(r.GetProperty("enumeration").GetString(), codelistUrns));
    }

    [Fact]
    public async Task The_fixed_codelists_name_their_codes_in_english_spanish_and_french_in_both_formats()
    {
        foreach (var list in CodeLists.All)
        {
            var root = await XmlAsync($"/sdmx/codelist/RCM/{list.Id}");
            var codes = Assert.Single(Maintainables(root, "Codelist")).Elements(Str + "Code").ToArray();
            Assert.Equal(list.Codes.Select(c => c.Id), codes.Select(c => c.Attribute("id")!.Value));
            foreach (var (code, element) in list.Codes.Zip(codes))
            {
                var names = element.Elements(Com + "Name").ToDictionary(n => n.Attribute(XNamespace.Xml + "lang")!.Value, n => n.Value);
                Assert.Equal(["en", "es", "fr"], names.Keys.Order());
                Assert.Equal(code.Name, names["en"]);
                Assert.Equal(code.Names["es"], names["es"]);
            }

            var json = await JsonAsync($"/sdmx/structure/codelist/RCM/{list.Id}", language: "es");
            var jsonCodes = json.GetProperty("data").GetProperty("codelists")[0].GetProperty("codes").EnumerateArray().ToArray();
            Assert.All(list.Codes.Zip(jsonCodes), pair =>
            {
                Assert.Equal(pair.First.Names["es"], pair.Second.GetProperty("name").GetString());
                Assert.Equal(pair.First.Names["fr"], pair.Second.GetProperty("names").GetProperty("fr").GetString());
            });
            Assert.Equal("es", json.GetProperty("meta").GetProperty("contentLanguages")[0].GetString());
        }
    }

    [Fact]
    public async Task Each_occupation_code_of_cl_ocu_is_one_the_taxonomy_has_released_with_its_names()
    {
        var taxonomy = new TaxonomyService.TaxonomyServiceClient(service.Taxonomy.GrpcChannel(TestCaller.Secretariat));
        var released = (await taxonomy.ListConceptsAsync(new ListConceptsRequest { Scheme = "isco08", PageSize = 1000 }, cancellationToken: Ct)).Concepts;

        var json = await JsonAsync("/sdmx/codelist/RCM/CL_OCU/latest");
        var codes = json.GetProperty("data").GetProperty("codelists")[0].GetProperty("codes").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!);

        Assert.Equal(released.Select(c => "OCU_ISCO08_" + c.Code).Append("OCU_ISCO08_TOTAL").Append("OCU_ISCO08_X").Order(), codes.Keys.Order());
        Assert.All(released, concept =>
        {
            var code = codes["OCU_ISCO08_" + concept.Code];
            Assert.Equal(concept.Labels["en"], code.GetProperty("names").GetProperty("en").GetString());
            if (concept.ParentCode.Length > 0)
            {
                Assert.Equal("OCU_ISCO08_" + concept.ParentCode, code.GetProperty("parent").GetString());
            }
        });
        Assert.Contains(IscoSample.Concepts, sample => codes.ContainsKey("OCU_ISCO08_" + sample.Code)
            && codes["OCU_ISCO08_" + sample.Code].GetProperty("names").GetProperty("es").GetString() == sample.Es);
    }

    [Fact]
    public async Task The_area_country_and_currency_codelists_hold_the_member_states_and_the_iso_lists()
    {
        var root = await XmlAsync("/sdmx/codelist/RCM/CL_AREA+CL_COUNTRY+CL_CURRENCY");
        var lists = Maintainables(root, "Codelist").ToDictionary(c => c.Attribute("id")!.Value, c => c.Elements(Str + "Code").Select(x => x.Attribute("id")!.Value).ToArray());

        Assert.Equal(Region.Shipped(Region.DefaultId).MemberStates.Select(m => m.Alpha3), lists["CL_AREA"]);
        Assert.Equal(Countries.All.Select(c => c.Alpha3), lists["CL_COUNTRY"]);
        Assert.Equal(Currencies.All.Where(c => c.IsMoney).Select(c => c.Alpha3), lists["CL_CURRENCY"]);
    }

    [Fact]
    public async Task Referencepartial_cuts_the_codelists_to_the_codes_the_dataflow_uses()
    {
        var flow = BuiltInDataflows.EmploymentByOccupation;
        var root = await XmlAsync($"/sdmx/dataflow/RCM/{flow.Id}/latest?references=descendants&detail=referencepartial");
        var codelists = Maintainables(root, "Codelist").ToDictionary(c => c.Attribute("id")!.Value);

        var frequency = (CodeList)flow.Dimensions[flow.DimensionIndex("FREQ")].Codes;
        Assert.Equal(frequency.Codes.Select(c => c.Id), codelists["CL_FREQ"].Elements(Str + "Code").Select(c => c.Attribute("id")!.Value));
        Assert.Equal("true", codelists["CL_FREQ"].Attribute("isPartial")?.Value);
        Assert.True(frequency.Codes.Count < CodeLists.Frequency.Codes.Count);
        Assert.Equal(CodeLists.Sex.Codes.Count, codelists["CL_SEX"].Elements(Str + "Code").Count());
        var concepts = Assert.Single(Maintainables(root, "ConceptScheme")).Elements(Str + "Concept").Select(c => c.Attribute("id")!.Value);
        Assert.DoesNotContain("AGE", concepts);
        Assert.Contains("OCU", concepts);

        var full = await XmlAsync($"/sdmx/dataflow/RCM/{flow.Id}/latest?references=descendants");
        Assert.Equal(CodeLists.Frequency.Codes.Count, Maintainables(full, "Codelist").Single(c => c.Attribute("id")!.Value == "CL_FREQ").Elements(Str + "Code").Count());
    }

    [Fact]
    public async Task A_stub_says_where_the_whole_structure_is_and_that_address_answers_it()
    {
        var stubs = await XmlAsync("/sdmx/dataflow/RCM/DF_UNE_RT?detail=allstubs&references=children");
        var flow = Assert.Single(Maintainables(stubs, "Dataflow"));
        Assert.Equal("true", flow.Attribute("isExternalReference")!.Value);
        Assert.Null(flow.Element(Str + "Structure"));
        var structure = Assert.Single(Maintainables(stubs, "DataStructure"));
        Assert.Null(structure.Element(Str + "DataStructureComponents"));

        var whole = await XmlAsync(new Uri(structure.Attribute("structureURL")!.Value).PathAndQuery);
        Assert.NotEmpty(Assert.Single(Maintainables(whole, "DataStructure")).Descendants(Str + "Dimension"));

        var referenceStubs = await XmlAsync("/sdmx/datastructure/RCM/DF_UNE_RT?detail=referencestubs&references=children");
        Assert.NotNull(Assert.Single(Maintainables(referenceStubs, "DataStructure")).Element(Str + "DataStructureComponents"));
        Assert.All(Maintainables(referenceStubs, "Codelist"), c => Assert.Empty(c.Elements(Str + "Code")));

        var completeStubs = await JsonAsync("/sdmx/dataflow/RCM/DF_UNE_RT?detail=allcompletestubs");
        var completeFlow = completeStubs.GetProperty("data").GetProperty("dataflows")[0];
        Assert.True(completeFlow.GetProperty("isExternalReference").GetBoolean());
        Assert.Equal(BuiltInDataflows.UnemploymentRate.Description, completeFlow.GetProperty("description").GetString());
        Assert.False(completeFlow.TryGetProperty("structure", out _));
    }

    [Fact]
    public async Task A_codelists_parents_are_the_data_structures_that_use_it_and_a_type_asks_for_that_type_only()
    {
        var root = await XmlAsync("/sdmx/codelist/RCM/CL_AGE?references=parents");
        Assert.Equal(
            BuiltInDataflows.All.Where(s => s.Dimensions.Any(d => d.Codes is CodeList { Id: "CL_AGE" })).Select(s => s.Id),
            Maintainables(root, "DataStructure").Select(s => s.Attribute("id")!.Value));

        var withFlows = await XmlAsync("/sdmx/codelist/RCM/CL_PERMIT_TYPE?references=dataflow");
        Assert.Equal([BuiltInDataflows.WorkPermits.Id], Maintainables(withFlows, "Dataflow").Select(f => f.Attribute("id")!.Value));
        Assert.Empty(Maintainables(withFlows, "DataStructure"));

        var siblings = await XmlAsync("/sdmx/dataflow/RCM/DF_MIG_STOCK?references=parentsandsiblings");
        var categorisation = Assert.Single(Maintainables(siblings, "Categorisation"));
        Assert.Equal("LABOUR_MIGRATION", categorisation.Element(Str + "Target")!.Element("Ref")!.Attribute("id")!.Value);
        Assert.Single(Maintainables(siblings, "CategoryScheme"));
    }

    [Fact]
    public async Task The_category_scheme_places_every_dataflow_under_labour_market_or_labour_migration()
    {
        var json = (await JsonAsync("/sdmx/structure/categorisation/RCM")).GetProperty("data");
        var targets = json.GetProperty("categorisations").EnumerateArray()
            .ToDictionary(c => c.GetProperty("source").GetString()!, c => c.GetProperty("target").GetString()!.Split('.')[^1]);

        Assert.Equal(BuiltInDataflows.All.Select(s => s.Reference.DataflowUrn).Order(), targets.Keys.Order());
        Assert.Equal("LABOUR_MARKET", targets[BuiltInDataflows.UnemploymentRate.Reference.DataflowUrn]);
        Assert.Equal("LABOUR_MIGRATION", targets[BuiltInDataflows.RemittanceInflows.Reference.DataflowUrn]);
        var scheme = await JsonAsync("/sdmx/categoryscheme");
        Assert.Equal(["LABOUR_MARKET", "LABOUR_MIGRATION"],
            scheme.GetProperty("data").GetProperty("categorySchemes")[0].GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Items_of_a_codelist_can_be_asked_for_by_id_in_either_url_form()
    {
        var root = await XmlAsync("/sdmx/codelist/RCM/CL_SEX/latest/SEX_F+SEX_M");
        var list = Assert.Single(Maintainables(root, "Codelist"));
        Assert.Equal(["SEX_M", "SEX_F"], list.Elements(Str + "Code").Select(c => c.Attribute("id")!.Value));
        Assert.Equal("true", list.Attribute("isPartial")!.Value);

        var json = await JsonAsync("/sdmx/structure/codelist/RCM/CL_SEX/~/SEX_T");
        Assert.Equal("SEX_T", Assert.Single(json.GetProperty("data").GetProperty("codelists")[0].GetProperty("codes").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_structure_resource_and_the_agency_and_concept_schemes_answer_too()
    {
        var everything = await XmlAsync("/sdmx/structure/RCM/all/latest");
        Assert.Equal(BuiltInDataflows.All.Count, Maintainables(everything, "DataStructure").Count());
        Assert.NotEmpty(Maintainables(everything, "Codelist"));
        Assert.Empty(Maintainables(everything, "AgencyScheme")); // maintained by SDMX, not RCM

        var agencies = await XmlAsync("/sdmx/agencyscheme/SDMX/AGENCIES/1.0");
        Assert.Equal(BuiltInDataflows.Agency, Assert.Single(Assert.Single(Maintainables(agencies, "AgencyScheme")).Elements(Str + "Agency")).Attribute("id")!.Value);

        var concepts = await JsonAsync("/sdmx/structure/conceptscheme");
        var ids = concepts.GetProperty("data").GetProperty("conceptSchemes")[0].GetProperty("concepts").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToArray();
        Assert.Equal(
            BuiltInDataflows.All.SelectMany(s => s.Dimensions.Select(d => d.Id).Concat(s.Attributes.Select(a => a.Id))).Append(DataStructure.TimeDimension).Append(DataStructure.PrimaryMeasure).Distinct().Order(),
            ids.Order());
    }

    [Theory]
    [InlineData("/sdmx/dataflow/RCM/DF_UNE_RT/1.0", HttpStatusCode.OK)]
    [InlineData("/sdmx/structure/dataflow/RCM/DF_UNE_RT/1.0+", HttpStatusCode.OK)]
    [InlineData("/sdmx/dataflow/RCM/DF_UNE_RT/2.0", HttpStatusCode.NotFound)]
    [InlineData("/sdmx/dataflow/RCM/DF_NOTHING", HttpStatusCode.NotFound)]
    [InlineData("/sdmx/codelist/ILO/CL_SEX", HttpStatusCode.NotFound)]
    [InlineData("/sdmx/codelist/RCM/CL_SEX/latest/SEX_Z", HttpStatusCode.NotFound)]
    [InlineData("/sdmx/hierarchicalcodelist", HttpStatusCode.NotImplemented)]
    [InlineData("/sdmx/structureset/RCM", HttpStatusCode.NotImplemented)]
    [InlineData("/sdmx/metadatastructure/all/all/latest", HttpStatusCode.NotImplemented)]
    [InlineData("/sdmx/contentconstraint", HttpStatusCode.NotImplemented)]
    [InlineData("/sdmx/provisionagreement", HttpStatusCode.NotImplemented)]
    [InlineData("/sdmx/schema/dataflow/RCM/DF_UNE_RT/1.0", HttpStatusCode.NotImplemented)]
    [InlineData("/sdmx/structure/hierarchy/RCM", HttpStatusCode.NotImplemented)]
    [InlineData("/sdmx/structure/valuelist", HttpStatusCode.NotImplemented)]
    [InlineData("/sdmx/dataflow?detail=raw", HttpStatusCode.NotImplemented)]
    [InlineData("/sdmx/dataflow?references=cousins", HttpStatusCode.BadRequest)]
    [InlineData("/sdmx/dataflow?detail=most", HttpStatusCode.BadRequest)]
    [InlineData("/sdmx/dataflow/RCM/DF_UNE_RT/latest/X", HttpStatusCode.BadRequest)]
    public async Task Structure_queries_answer_found_not_found_not_implemented_or_bad_syntax_as_sdmx_rest_says(string path, HttpStatusCode expected)
    {
        var (status, _, body) = await GetAsync(path);
        Assert.True(status == expected, $"{path}: {(int)status} {body}");
        if (expected == HttpStatusCode.OK)
        {
            return;
        }

        var error = XDocument.Parse(body).Root!;
        Assert.Equal(Mes + "Error", error.Name);
        Assert.Equal(expected == HttpStatusCode.BadRequest ? "140" : expected == HttpStatusCode.NotFound ? "100" : "501",
            error.Element(Mes + "ErrorMessage")!.Attribute("code")!.Value);

        var (_, type, json) = await GetAsync(path, "application/json");
        Assert.StartsWith("application/vnd.sdmx.structure+json", type, StringComparison.Ordinal);
        Assert.Equal(expected == HttpStatusCode.BadRequest ? 140 : expected == HttpStatusCode.NotFound ? 100 : 501,
            JsonDocument.Parse(json).RootElement.GetProperty("errors")[0].GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData(null, null, "application/vnd.sdmx.structure+xml; version=2.1")]
    [InlineData("application/xml", null, "application/vnd.sdmx.structure+xml; version=2.1")]
    [InlineData("text/xml", null, "application/vnd.sdmx.structure+xml; version=2.1")]
    [InlineData("application/vnd.sdmx.structure+xml;version=2.1", null, "application/vnd.sdmx.structure+xml; version=2.1")]
    [InlineData("application/json", null, "application/vnd.sdmx.structure+json; version=2.0.0")]
    [InlineData("application/vnd.sdmx.structure+json;version=2.0.0, application/xml;q=0.5", null, "application/vnd.sdmx.structure+json; version=2.0.0")]
    [InlineData(null, "sdmx-json", "application/vnd.sdmx.structure+json; version=2.0.0")]
    [InlineData("application/json", "structure", "application/vnd.sdmx.structure+xml; version=2.1")]
    [InlineData(null, "xml", "application/vnd.sdmx.structure+xml; version=2.1")]
    public async Task The_message_is_the_one_the_client_asked_for_by_accept_or_format(string? accept, string? format, string expected)
    {
        var (status, type, _) = await GetAsync("/sdmx/dataflow" + (format is null ? string.Empty : "?format=" + format), accept);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, type);
    }

    [Theory]
    [InlineData("text/csv", null)]
    [InlineData("application/vnd.sdmx.structure+json;version=1.0", null)]
    [InlineData(null, "csv")]
    public async Task A_message_kind_lmis_does_not_write_structures_in_is_refused_with_406(string? accept, string? format)
    {
        var (status, _, body) = await GetAsync("/sdmx/dataflow" + (format is null ? string.Empty : "?format=" + format), accept);

        Assert.Equal(HttpStatusCode.NotAcceptable, status);
        Assert.Contains("json", body, StringComparison.Ordinal); // it says what is offered
    }
}
