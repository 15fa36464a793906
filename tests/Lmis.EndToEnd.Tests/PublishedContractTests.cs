using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Lmis.Contracts.Access.V1;
using Lmis.Contracts.Statistics.V1;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;
using Microsoft.Playwright;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// A ministry's IT team integrates from the published OpenAPI document alone, with the tools they already use:
/// Redocly lints the gateway's document, openapi-typescript generates a typed client from it that the TypeScript
/// compiler checks and Node.js runs against the gateway, and the interactive reference opens in a browser.
/// </summary>
[Collection(DistributedStackCollection.Name)]
public sealed class PublishedContractTests(DistributedStack stack, StandaloneStack standalone) : IClassFixture<StandaloneStack>
{
    private static readonly NodePackages Redocly = new("redocly", "@redocly/cli@2.77.0");

    private static readonly NodePackages TypeScriptClient = new(
        "openapi-typescript", "openapi-typescript@7.13.0", "openapi-fetch@0.17.0", "typescript@5.9.3", "@types/node@20.19.9");

    /// <summary>
    /// A first integration written against the generated types only: publish a vacancy, find it, read it, and read a
    /// refusal. The TypeScript compiler fails the test if a path, a parameter or a body member is not as the document says.
    /// </summary>
    private const string Client = """
        import createClient from "openapi-fetch";
        import type { components, paths } from "./lmis";

        async function main(): Promise<void> {
          const [baseUrl, apiKey, country, sourceId, occupationCode, validThrough] = process.argv.slice(2);
          const lmis = createClient<paths>({ baseUrl });

          const published = await lmis.POST("/api/v1/vacancies", {
            headers: { "x-api-key": apiKey },
            body: { country, sourceId, title: "Albañil", description: "Obra en Monterrey", occupationCode, positions: 2, validThrough },
          });
          if (published.error !== undefined) {
            throw new Error(`publish refused: ${JSON.stringify(published.error)}`);
          }

          const found = await lmis.GET("/api/v1/vacancies", { params: { query: { country, text: "albañil", pageSize: 100 } } });
          if (found.error !== undefined) {
            throw new Error(`search refused: ${JSON.stringify(found.error)}`);
          }

          // The vacancy's own path answers JSON, or JobPosting JSON-LD when Accept asks for it: the types say both.
          const one = await lmis.GET("/api/v1/vacancies/{country}/{sourceId}", { params: { path: { country, sourceId } } });
          const vacancy = one.data as components["schemas"]["lmis.vacancies.v1.Vacancy"] | undefined;

          const refused = await lmis.POST("/api/v1/vacancies", {
            headers: { "x-api-key": apiKey },
            body: { country, sourceId: sourceId + "-refused", title: "Albañil", occupationCode: "9999", validThrough },
          });
          const problem: components["schemas"]["ProblemDetails"] | undefined = refused.error;

          console.log(JSON.stringify({
            outcome: published.data.outcome,
            version: published.data.version,
            found: (found.data.vacancies ?? []).map(v => v.sourceId),
            title: vacancy?.title,
            refusedStatus: refused.response.status,
            refusedErrors: problem?.errors ?? [],
          }));
        }

        main().catch(error => { console.error(error); process.exit(1); });
        """;

    private const string TsConfig = """
        { "compilerOptions": { "strict": true, "target": "es2022", "module": "commonjs", "esModuleInterop": true,
            "outDir": "out", "types": ["node"] }, "files": ["client.ts"] }
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Redocly_lints_the_gateway_s_API_document_with_no_errors()
    {
        stack.RequireRunning();
        var folder = Redocly.WorkFolder("lint");
        var file = Path.Combine(folder, "lmis-openapi.json");
        await File.WriteAllTextAsync(file, await DocumentJsonAsync(stack), Ct);
        await Redocly.InstallAsync(Ct);

        // The recommended rules (Redocly's default); the JSON report is the first value printed (a Node.js notice may follow).
        var (_, output) = await Redocly.RunToolAsync("redocly", ["lint", "--format=json", file], folder, Ct);
        var report = FirstJsonValue(output);
        var problems = report.GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()}")
            .ToList();
        TestContext.Current.SendDiagnosticMessage("Redocly lint of the gateway's document: " + report.GetProperty("totals").ToString() + "\n" + string.Join("\n", problems));
        Assert.True(report.GetProperty("totals").GetProperty("errors").GetInt32() == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task The_gateway_s_document_is_the_whole_public_surface_the_same_as_the_standalone_host_s()
    {
        stack.RequireRunning();
        using var gateway = stack.Http();
        var merged = await ApiDocumentChecks.ReadAsync(gateway, Ct);
        ApiDocumentChecks.HasEveryHttpRule(merged, TaxonomyService.Descriptor, VacanciesService.Descriptor, StatisticsService.Descriptor, AccessService.Descriptor);
        Assert.Equal(stack.HttpUrl.TrimEnd('/'), Assert.Single(merged.Servers).Url);

        // Each service's own document is in the gateway's whole.
        foreach (var service in new[] { stack.Taxonomy, stack.Vacancies, stack.Statistics })
        {
            using var direct = new HttpClient { BaseAddress = new Uri(service.HttpUrl) };
            var own = ApiDocumentChecks.Operations(await ApiDocumentChecks.ReadAsync(direct, Ct));
            Assert.Empty(own.Except(ApiDocumentChecks.Operations(merged)));
        }

        // The standalone host serves the same public surface from one process.
        using var single = standalone.Http();
        var standaloneDocument = await ApiDocumentChecks.ReadAsync(single, Ct);
        Assert.Equal(ApiDocumentChecks.Operations(standaloneDocument).Order(), ApiDocumentChecks.Operations(merged).Order());
        Assert.Equal(standaloneDocument.Components.Schemas.Keys.Order(), merged.Components.Schemas.Keys.Order());
    }

    [Fact]
    public async Task A_TypeScript_client_generated_from_the_gateway_s_document_publishes_finds_and_reads_a_refusal()
    {
        stack.RequireRunning();
        using (var admin = stack.Grpc(stack.SecretariatKey))
        {
            await new TaxonomyService.TaxonomyServiceClient(admin).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: Ct);
        }

        var mexico = await stack.PublisherKeyAsync("MEX");
        await TypeScriptClient.InstallAsync(Ct);
        var folder = TypeScriptClient.WorkFolder("client");
        var document = Path.Combine(folder, "lmis-openapi.json");
        await File.WriteAllTextAsync(document, await DocumentJsonAsync(stack), Ct);

        var (generated, generation) = await TypeScriptClient.RunToolAsync("openapi-typescript", [document, "-o", Path.Combine(folder, "lmis.d.ts")], folder, Ct);
        Assert.True(generated == 0, generation);
        await File.WriteAllTextAsync(Path.Combine(folder, "client.ts"), Client, Ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "tsconfig.json"), TsConfig, Ct);
        var (compiled, compilation) = await TypeScriptClient.RunToolAsync("tsc", ["-p", folder], folder, Ct);
        Assert.True(compiled == 0, "The generated client does not type-check:\n" + compilation);

        var sourceId = $"STPS-OPENAPI-{Guid.NewGuid():N}";
        var validThrough = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (exit, output) = await NodePackages.RunAsync("node", [Path.Combine(folder, "out", "client.js"), stack.HttpUrl, mexico, "MEX", sourceId, "7112", validThrough], folder, Ct);
        Assert.True(exit == 0, output + stack.Output());

        var answer = NodePackages.LastLine(output);
        Assert.Equal("PUBLISH_OUTCOME_CREATED", answer.GetProperty("outcome").GetString());
        Assert.Equal(1, answer.GetProperty("version").GetInt32());
        Assert.Contains(sourceId, answer.GetProperty("found").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("Albañil", answer.GetProperty("title").GetString());
        Assert.Equal(400, answer.GetProperty("refusedStatus").GetInt32());
        // The refusal as the document's ProblemDetails says: the field, the value sent and the reason.
        var refusal = Assert.Single(answer.GetProperty("refusedErrors").EnumerateArray());
        Assert.Equal("9999", refusal.GetProperty("value").GetString());
        Assert.Contains("occupation", refusal.GetProperty("field").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ISCO-08", refusal.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_API_reference_opens_in_a_browser_with_every_operation_and_nothing_fetched_from_outside()
    {
        const string Chromium = "/usr/bin/chromium";
        if (!File.Exists(Chromium))
        {
            Assert.Skip("The API reference test needs Debian's chromium package (./test.sh installs it when run as root).");
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Args = ["--no-sandbox", "--disable-gpu", "--disable-quic"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var elsewhere = new List<string>();
        var origin = new Uri(standalone.HttpUrl).GetLeftPart(UriPartial.Authority);
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                elsewhere.Add(request.Url);
            }
        };

        var response = await page.GotoAsync(standalone.HttpUrl.TrimEnd('/') + "/api/reference/v1");
        Assert.Equal((int)HttpStatusCode.OK, response?.Status);
        // Scalar renders each operation's summary from the document it fetched from /openapi/v1.json.
        await page.GetByText("Creates or updates a vacancy").First.WaitForAsync(new() { Timeout = 30_000 });
        await page.GetByText("Publish a feed of vacancies as a CSV file").First.WaitForAsync(new() { Timeout = 10_000 });
        Assert.Contains("LMIS", await page.TitleAsync(), StringComparison.Ordinal);
        Assert.Empty(elsewhere);

        // Kept with the test results (docs/images/api-reference.png is one of these).
        await page.GetByText("Creates or updates a vacancy").First.ScrollIntoViewIfNeededAsync();
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var png = await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "api-reference.png") });
        TestContext.Current.AddAttachment("api-reference", png, "image/png");
    }

    private static async Task<string> DocumentJsonAsync(IRunningStack running)
    {
        using var http = running.Http();
        using var response = await http.GetAsync(ApiDocumentChecks.Path, Ct);
        var json = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        return json;
    }

    private static JsonElement FirstJsonValue(string output)
    {
        var start = output.IndexOf('{', StringComparison.Ordinal);
        Assert.True(start >= 0, output);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(output[start..]));
        return JsonDocument.ParseValue(ref reader).RootElement.Clone();
    }
}
