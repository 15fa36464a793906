using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsCheck;
using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Testing;

namespace Lmis.Taxonomy.Tests.Api;

/// <summary>
/// Classification files as publishers really send them when they are wrong, each case naming the rule it breaks:
/// the exact refusal over gRPC (INVALID_ARGUMENT, every bad row as field, value and reason) and over REST (the same
/// rows in a 400 problem), and every stored version of every scheme unchanged, with no new version.
/// </summary>
public sealed class CsvImportHostileCorpusTests(TaxonomyInProcess service) : IClassFixture<TaxonomyInProcess>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An ISCO-08 amendment adding one unit group under a minor group already released (711).</summary>
    private const string Concepts = "code,parent_code\n7113,711\n";

    private const string Labels = "code,language,kind,text\n"
        + "7113,en,preferred,\"Stonemasons, stone cutters, splitters and carvers\"\n"
        + "7113,es,preferred,\"Labrantes, tronzadores, labradores y grabadores de piedra\"\n";

    private const string ConceptColumns = "expected the columns code,parent_code,status,replaced_by (required: code)";
    private const string NotIsco = "not a valid isco08 code: expected 1 to 4 digits (ISCO-08)";

    /// <summary>The files of one import.</summary>
    public sealed record Files(string Concepts, string? Labels = null, string? Relations = null, string? Attributes = null, string Scheme = "isco08", bool Amend = true);

    /// <summary>A hostile import: the rule it breaks, the files, and every error the refusal must list, in order.</summary>
    private sealed record Case(string Rule, Files Files, params FieldError[] Expected);

    /// <summary>Text as a UTF-16 (little-endian) file reads when taken for UTF-8: a NUL after each ASCII letter.</summary>
    private static string Utf16(string text) => string.Concat(text.Select(c => $"{c}\0"));

    private static FieldError E(string field, string? value, string reason) => new(field, value, reason);

    private static int Column(string row, char c) => row.IndexOf(c, StringComparison.Ordinal) + 1;

    private static readonly string HugeCode = new('7', 100_000);
    private static readonly string HugeLabel = new('a', 1_000_000);
    private static readonly string HugeRow = "7113,711," + new string('x', 200_000);

    private const string UnclosedRow = "7113,fr,preferred,\"Tailleurs de pierre";
    private const string EarlyCloseRow = "7113,fr,preferred,\"Tailleurs\" de pierre";
    private const string StrayQuoteRow = "7113,fr,preferred,Tailleurs de pierre \"senior\"";

    private static readonly Case[] Cases =
    [
        // ---- The file: encoding, separator, header, rows ----
        new("the separator is a comma (Excel in a Spanish locale saves ';')", new("code;parent_code\r\n7113;711\r\n", Labels),
            E("concepts.csv:1", "code;parent_code", $"{ConceptColumns}; missing code; unknown code;parent_code; the separator must be a comma")),
        new("the separator is a comma (a tab-separated export)", new("code\tparent_code\n7113\t711\n", Labels),
            E("concepts.csv:1", "code\tparent_code", $"{ConceptColumns}; missing code; unknown code\tparent_code; the separator must be a comma")),
        new("the file is UTF-8 (UTF-16 without its byte order mark)", new(Utf16(Concepts), Labels),
            E("concepts.csv:1", Utf16("code,parent_code"), "NUL characters: the file is not UTF-8 (UTF-16 stores a NUL byte beside each letter); send it in UTF-8")),
        new("the file is UTF-8 (Latin-1 or Windows-1252 accents)", new(Concepts, Labels + "7113,es,alternative,Alba\uFFFDil de piedra\n"),
            E("labels.csv:4:text", "Alba\uFFFDil de piedra", "character 5: bytes that are not UTF-8 (U+FFFD); send the file in UTF-8, not Windows-1252 or Latin-1")),
        new("a column is named once", new("code,parent_code,code\n7113,711,7114\n", Labels),
            E("concepts.csv:1", "code,parent_code,code", $"{ConceptColumns}; named more than once: code")),
        new("the header names the required columns", new("parent_code,status\n711,active\n", Labels),
            E("concepts.csv:1", "parent_code,status", $"{ConceptColumns}; missing code")),
        new("the header names only documented columns", new("code,parent_code,label_en\n7113,711,Stonemasons\n", Labels),
            E("concepts.csv:1", "code,parent_code,label_en", $"{ConceptColumns}; unknown label_en")),
        new("a row has the header's fields (too many)", new("code,parent_code\n7113,711,7\n", Labels),
            E("concepts.csv:2", "7113,711,7", "3 fields where the header has 2")),
        new("a row has the header's fields (too few, named by the line the row starts on)",
            new(Concepts, Labels + "7113,en,definition,\"Stonemasons cut, split\nand carve stone\"\n7113,fr\n"),
            E("labels.csv:6", "7113,fr", "2 fields where the header has 4")),
        new("a required value is given (a row of separators only, as spreadsheets leave)", new(Concepts + ",\n", Labels),
            E("concepts.csv:3:code", null, "required")),
        new("a quote closes (never closed: nothing after it is read into the value)",
            new(Concepts, Labels + UnclosedRow + "\n7114,en,preferred,Concrete placers\n"),
            E("labels.csv:4", null, $"character {Column(UnclosedRow, '"')}: a quote opens here and is never closed; nothing after it was read")),
        new("a quote closes where its value ends", new(Concepts, Labels + EarlyCloseRow + "\n"),
            E("labels.csv:4", null, $"character {Column(EarlyCloseRow, '"')}: the quote that opens here closes before the value ends; a quote inside a quoted value is written twice (\"\")")),
        new("a quote closes where its value ends (an unclosed quote taken as closed by the next line's)",
            new(Concepts, Labels + UnclosedRow + "\n7114,en,preferred,\"Concrete placers\"\n"),
            E("labels.csv:4", null, $"character {Column(UnclosedRow, '"')}: the quote that opens here closes before the value ends; a quote inside a quoted value is written twice (\"\")")),
        new("a quote is only in a quoted value", new(Concepts, Labels + StrayQuoteRow + "\n"),
            E("labels.csv:4", null, $"character {Column(StrayQuoteRow, '"')}: a quote inside a value that is not quoted; quote the whole value and write the quote twice (\"\")")),
        new("a byte order mark only at the very start (two files joined)",
            new(Concepts + "\uFEFFcode,parent_code\n7114,711\n", Labels + "7114,en,preferred,Concrete placers\n"),
            E("concepts.csv:3:code", "\uFEFFcode", NotIsco)),
        new("a file is not empty", new(string.Empty, Labels),
            E("concepts.csv", null, "required: the concepts of the version, with a header row code,parent_code,status,replaced_by")),
        new("a file has a header row (only a byte order mark)", new("\uFEFF", Labels),
            E("concepts.csv:1", null, "no header row; expected code,parent_code,status,replaced_by")),
        new("a complete version has rows after the header", new("code,parent_code\n", Labels, Scheme: "skills", Amend: false),
            E("concepts.csv:2", null, "no rows after the header: a version needs at least one concept")),
        new("an amendment changes something (every file a header only)", new("code,parent_code\n\n\n", "code,language,kind,text\n"),
            E("concepts.csv:2", null, "no rows after the header: an amendment needs at least one row to change")),
        new("a code is short (an enormous field)", new("code,parent_code\n" + HugeCode + ",711\n"),
            E("concepts.csv:2:code", HugeCode[..80] + "…", NotIsco)),
        new("a label is at most 500 characters (an enormous field)", new(Concepts, Labels + "7113,en,alternative," + HugeLabel + "\n"),
            E("labels.csv:4:text", HugeLabel[..80] + "…", "1 to 500 characters")),
        new("a row has the header's fields (an enormous row)", new("code,parent_code\n" + HugeRow + "\n", Labels),
            E("concepts.csv:2", HugeRow[..80] + "…", "3 fields where the header has 2")),

        // ---- Codes and the hierarchy ----
        new("a code is given once", new(Concepts + "7113,711\n", Labels),
            E("concepts.csv:3:code", "7113", "duplicate code, already given at concepts.csv:2:code")),
        new("a parent is a concept of the version", new("code,parent_code\nS2,\nS3,S9\n", "code,language,kind,text\nS2,en,preferred,Masonry\nS3,en,preferred,Stone work\n", Scheme: "skills"),
            E("concepts.csv:3:parent_code", "S9", "unknown parent: no concept with that code in this version")),
        new("in ISCO-08 the parent is the code without its last digit", new("code,parent_code\n7113,71\n", Labels),
            E("concepts.csv:2:parent_code", "71", "in isco08 the parent of 7113 is 711")),
        new("ISCO-08 codes are 1 to 4 digits (a fifth level)", new(Concepts + "71131,7113\n", Labels),
            E("concepts.csv:3:code", "71131", NotIsco)),
        new("ISCO-08 codes are ASCII digits (Arabic-Indic digits)", new(Concepts + "\u0667\u0661\u0661\u0664,711\n", Labels),
            E("concepts.csv:3:code", "\u0667\u0661\u0661\u0664", NotIsco)),
        new("ISCO-08 codes are digits (a letter)", new(Concepts + "71A4,711\n", Labels),
            E("concepts.csv:3:code", "71A4", NotIsco)),
        new("parents do not loop", new("code,parent_code\nS2,S3\nS3,S2\n", "code,language,kind,text\nS2,en,preferred,Masonry\nS3,en,preferred,Stone work\n", Scheme: "skills"),
            E("concepts.csv:2:parent_code", "S3", "cycle: the chain of parents of this concept loops"),
            E("concepts.csv:3:parent_code", "S2", "cycle: the chain of parents of this concept loops")),
        new("a concept is not its own parent", new("code,parent_code\nS2,S2\n", "code,language,kind,text\nS2,en,preferred,Masonry\n", Scheme: "skills"),
            E("concepts.csv:2:parent_code", "S2", "cycle: the chain of parents of this concept loops")),
        new("a status is active or deprecated", new("code,parent_code,status\n7113,711,obsolete\n", Labels),
            E("concepts.csv:2:status", "obsolete", "status is active or deprecated")),
        new("only a deprecated concept is replaced", new("code,parent_code,status,replaced_by\n7113,711,active,7112\n", Labels),
            E("concepts.csv:2:replaced_by", "7112", "only a deprecated concept is replaced")),
        new("a scheme id is lower-case letters and digits", new(Concepts, Labels, Scheme: "ISCO-08"),
            E("scheme", "ISCO-08", "a scheme id is 2 to 32 lower-case letters and digits, starting with a letter, e.g. isco08")),

        // ---- Labels, relations, attributes ----
        new("a label is not empty", new(Concepts, Labels + "7113,fr,preferred,\"\"\n"),
            E("labels.csv:4:text", null, "required")),
        new("a label is not blank", new(Concepts, Labels + "7113,fr,preferred,\"   \"\n"),
            E("labels.csv:4:text", string.Empty, "1 to 500 characters")),
        new("a language is a BCP 47 tag (a language name)", new(Concepts, Labels + "7113,español,alternative,Canteros\n"),
            E("labels.csv:4:language", "español", "not a BCP 47 language tag such as en, es, fr or pt-BR")),
        new("a language is a BCP 47 tag (a locale with '_')", new(Concepts, Labels + "7113,es_MX,alternative,Canteros\n"),
            E("labels.csv:4:language", "es_MX", "not a BCP 47 language tag such as en, es, fr or pt-BR")),
        new("a label kind is preferred, alternative or definition", new(Concepts, Labels + "7113,fr,title,Tailleurs de pierre\n"),
            E("labels.csv:4:kind", "title", "kind is preferred, alternative or definition")),
        new("one preferred label per language", new(Concepts, Labels + "7113,en,preferred,Stonemasons\n"),
            E("labels.csv:4:kind", "preferred", "a second preferred label in 'en' for 7113")),
        new("a label names a concept of the version", new(Concepts, Labels + "9999,en,preferred,Nobody\n"),
            E("labels.csv:4:code", "9999", "no concept with that code in this version")),
        new("a label is text (a NUL byte)", new(Concepts, Labels + "7113,en,alternative,Stone\0mason\n"),
            E("labels.csv:4:text", "Stone\0mason", "character 6: the control character U+0000; a label is text, without control characters")),
        new("a label is text (a terminal escape sequence)", new(Concepts, Labels + "7113,en,alternative,\u001B[31mStonemason\n"),
            E("labels.csv:4:text", "\u001B[31mStonemason", "character 1: the control character U+001B; a label is text, without control characters")),
        new("a label is one line (only a definition has several)", new(Concepts, Labels + "7113,en,alternative,\"Stone\r\nmason\"\n"),
            E("labels.csv:4:text", "Stone\r\nmason", "character 6: a line break; only a definition may have several lines")),
        new("a relation's target scheme is released", new(Concepts, Labels, "code,relation,target_scheme,target_code\n7113,exact,soc2010,47-2022\n"),
            E("relations.csv:2:target_scheme", "soc2010", "unknown scheme: release it before relating concepts to it")),
        new("an attribute name is lower-case", new(Concepts, Labels, Attributes: "code,attribute,value\n7113,Skill Level,2\n"),
            E("attributes.csv:2:attribute", "Skill Level", "attribute names are lower-case letters, digits and '_'")),
        new("an attribute value is text (a NUL byte)", new(Concepts, Labels, Attributes: "code,attribute,value\n7113,skill_level,2\0\n"),
            E("attributes.csv:2:value", "2\0", "character 2: the control character U+0000; an attribute value is text, without control characters")),
    ];

    public static TheoryData<string> CaseNames() => new(Cases.Select(c => c.Rule));

    private static ImportSchemeVersionCsvRequest Request(Files f) => new()
    {
        Scheme = f.Scheme,
        ConceptsCsv = f.Concepts,
        LabelsCsv = f.Labels ?? string.Empty,
        RelationsCsv = f.Relations ?? string.Empty,
        AttributesCsv = f.Attributes ?? string.Empty,
        Amend = f.Amend,
    };

    private static object Body(Files f) => new
    {
        conceptsCsv = f.Concepts,
        labelsCsv = f.Labels ?? string.Empty,
        relationsCsv = f.Relations ?? string.Empty,
        attributesCsv = f.Attributes ?? string.Empty,
        amend = f.Amend,
    };

    private static string[] Shown(IEnumerable<FieldError> errors) => [.. errors.Select(e => $"{e.Field} {e.Description}")];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_hostile_csv_import_is_refused_naming_the_rule_and_changes_nothing_stored(string rule)
    {
        var c = Cases.Single(x => x.Rule == rule);
        var before = await service.StoredAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await service.Grpc().ImportSchemeVersionCsvAsync(Request(c.Files), cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(Shown(c.Expected), Shown(TaxonomyInProcess.Violations(refused)));
        Assert.Equal(c.Expected, TaxonomyInProcess.FieldErrors(refused));
        Assert.Equal(before, await service.StoredAsync());

        var (status, mediaType, problem) = await service.PostCsvAsync(c.Files.Scheme, Body(c.Files));
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (status, mediaType));
        Assert.Equal(c.Expected, TaxonomyInProcess.Errors(problem));
        Assert.Equal(before, await service.StoredAsync());
    }

    [Fact]
    public async Task Files_as_publishers_save_them_are_read_exactly_byte_order_mark_crlf_or_cr_lines_blank_lines_any_header_case_and_a_parent_after_its_child()
    {
        var released = await service.Grpc().ImportSchemeVersionCsvAsync(new ImportSchemeVersionCsvRequest
        {
            Scheme = "sinco2019",
            ConceptsCsv = "\uFEFFPARENT_CODE,Code\r\n71,711\r\n7,71\r\n,7\r\n\r\n\r\n",
            LabelsCsv = "code,language,kind,text\r7,es,preferred,Trabajadores artesanales\r71,es,preferred,Trabajadores de la construcción\r71,es,definition,\"Trabajadores en la\r\nconstrucción\"\r711,es,preferred,Albañiles\r711,es,alternative, \"Albañil, de obra\" \r\r",
        }, cancellationToken: Ct);
        var bricklayers = await service.Grpc().GetConceptAsync(new GetConceptRequest { Scheme = "sinco2019", Code = "711" }, cancellationToken: Ct);
        var builders = await service.Grpc().GetConceptAsync(new GetConceptRequest { Scheme = "sinco2019", Code = "71" }, cancellationToken: Ct);

        Assert.Equal((1, 3), (released.Version, released.ConceptCount));
        Assert.Equal(("71", 3, "Albañiles"), (bricklayers.ParentCode, bricklayers.Level, bricklayers.Labels["es"]));
        Assert.Equal("Trabajadores en la\r\nconstrucción", builders.Definitions["es"]);
        Assert.Equal(["Albañil, de obra"], bricklayers.AlternativeLabels["es"].Values);
    }

    [Fact]
    public async Task A_label_that_a_spreadsheet_would_run_as_a_formula_is_stored_and_read_back_as_the_text_it_is()
    {
        const string Formula = "=HYPERLINK(\"https://example.invalid/\",\"Stonemasons\")";
        var released = await service.Grpc().ImportSchemeVersionCsvAsync(new ImportSchemeVersionCsvRequest
        {
            Scheme = "skills",
            Amend = true,
            ConceptsCsv = "code,parent_code\nS1.2,S1\n",
            LabelsCsv = $"code,language,kind,text\nS1.2,en,preferred,\"{Formula.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\nS1.2,en,alternative,+1 stone\nS1.2,es,alternative,@cantero\n",
        }, cancellationToken: Ct);
        var concept = await service.Grpc().GetConceptAsync(new GetConceptRequest { Scheme = "skills", Code = "S1.2" }, cancellationToken: Ct);

        Assert.Equal(Formula, concept.Labels["en"]);
        Assert.Equal(["+1 stone"], concept.AlternativeLabels["en"].Values);
        Assert.Equal(["@cantero"], concept.AlternativeLabels["es"].Values);
        Assert.Equal(2, released.Version);
    }

    [Fact]
    public async Task An_enormous_scheme_id_is_refused_quoting_only_its_start()
    {
        var scheme = new string('X', 100_000);

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await service.Grpc().ImportSchemeVersionCsvAsync(new ImportSchemeVersionCsvRequest { Scheme = scheme, ConceptsCsv = Concepts, LabelsCsv = Labels }, cancellationToken: Ct));

        Assert.Equal(
            [$"scheme '{scheme[..80]}…': a scheme id is 2 to 32 lower-case letters and digits, starting with a letter, e.g. isco08"],
            Shown(TaxonomyInProcess.Violations(refused)));
    }

    [Fact]
    public async Task A_structured_import_is_held_to_the_same_text_rules_as_a_file()
    {
        var before = await service.StoredAsync();
        var request = IscoSample.ImportRequest([("7113", "711", "Stone\0masons", "Alba\uFFFDiles de piedra")]);

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await service.Grpc().ImportSchemeVersionAsync(request, cancellationToken: Ct));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(
            ["concepts[0].text 'Stone\0masons': character 6: the control character U+0000; a label is text, without control characters",
             "concepts[0].text 'Alba\uFFFDiles de piedra': character 5: bytes that are not UTF-8 (U+FFFD); send the file in UTF-8, not Windows-1252 or Latin-1",
             "concepts[0].code '7113': needs a preferred label in at least one language"],
            Shown(TaxonomyInProcess.Violations(refused)));
        Assert.Equal(before, await service.StoredAsync());
    }

    [Fact]
    public async Task Files_larger_than_a_message_and_json_that_is_not_utf8_are_refused_before_anything_is_read()
    {
        var before = await service.StoredAsync();
        var huge = "code,parent_code\n" + string.Concat(Enumerable.Repeat("7113,711\n", 600_000));

        var tooLarge = await Assert.ThrowsAsync<RpcException>(async () =>
            await service.Grpc().ImportSchemeVersionCsvAsync(new ImportSchemeVersionCsvRequest { Scheme = "isco08", ConceptsCsv = huge, Amend = true }, cancellationToken: Ct));
        var (restStatus, _, _) = await service.PostCsvAsync("isco08", new { conceptsCsv = huge, amend = true });
        using var latin1 = new ByteArrayContent([.. "{\"conceptsCsv\":\"code,parent_code\\n7113,711\",\"labelsCsv\":\"code,language,kind,text\\n7113,es,preferred,Alba"u8, 0xF1, .. "il\"}"u8])
        {
            Headers = { ContentType = new("application/json") },
        };
        using var notUtf8 = await service.Rest().PostAsync("/api/v1/taxonomy/schemes/isco08/versions:csv", latin1, Ct);

        Assert.Equal(StatusCode.ResourceExhausted, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, restStatus);
        Assert.Equal(HttpStatusCode.BadRequest, notUtf8.StatusCode);
        Assert.Equal(before, await service.StoredAsync());
    }

    // ---- Random bytes: never a server error ----

    [Fact]
    public async Task Random_bytes_sent_as_csv_over_grpc_never_give_an_internal_or_unknown_status() =>
        await Properties.HoldAsync(
            Gen.Select(
                Gen.Frequency((2, Gen.Byte.Array[0, 400].Select(b => Encoding.UTF8.GetString(b))), (2, Hostile.Text(200)), (1, Hostile.Text(200).Select(t => "code,parent_code\n" + t))),
                Gen.Frequency((2, Gen.Byte.Array[0, 200].Select(b => Encoding.UTF8.GetString(b))), (1, Hostile.Text(200).Select(t => "code,language,kind,text\n" + t))),
                Gen.OneOf("isco08", "skills", "pathways", "sinco2019"),
                Gen.Bool),
            async c =>
            {
                var (concepts, labels, scheme, amend) = c;
                try
                {
                    await service.Grpc().ImportSchemeVersionCsvAsync(
                        new ImportSchemeVersionCsvRequest { Scheme = scheme, ConceptsCsv = concepts, LabelsCsv = labels, RelationsCsv = labels, AttributesCsv = labels, Amend = amend },
                        cancellationToken: Ct);
                }
                catch (RpcException e)
                {
                    Assert.True(e.StatusCode is not (StatusCode.Internal or StatusCode.Unknown), $"{e.Status}: {JsonSerializer.Serialize(new { concepts, labels })}");
                }
            },
            iter: 150);

    [Fact]
    public async Task Random_bytes_posted_over_rest_never_give_a_server_error() =>
        await Properties.HoldAsync(
            Gen.Frequency(
                (2, Gen.Byte.Array[0, 400]),
                (2, Gen.Byte.Array[0, 300].Select(b => Encoding.UTF8.GetBytes("{\"conceptsCsv\":\"code,parent_code\\n").Concat(b).Concat("\"}"u8.ToArray()).ToArray())),
                (1, Hostile.Text(200).Select(t => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { conceptsCsv = "code,parent_code\n" + t, labelsCsv = t }))))),
            async body =>
            {
                using var content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
                using var response = await service.Rest().PostAsync("/api/v1/taxonomy/schemes/isco08/versions:csv", content, Ct);
                Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {Convert.ToBase64String(body)} {await response.Content.ReadAsStringAsync(Ct)}");
            },
            iter: 150);
}
