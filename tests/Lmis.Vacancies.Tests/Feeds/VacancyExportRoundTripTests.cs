using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsCheck;
using CsvHelper;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;
using Lmis.Vacancies.Feeds;
using Lmis.Vacancies.Grpc;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Tests.Api;
using Lmis.Vacancies.Tests.Publishing;

namespace Lmis.Vacancies.Tests.Feeds;

/// <summary>The vacancy export is a feed: sent back as it came, it changes nothing.</summary>
public sealed class VacancyExportRoundTripTests : IAsyncLifetime
{
    private readonly VacanciesInProcess _service = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServiceHost<VacanciesGrpcService> Vacancies => _service.Vacancies;

    public ValueTask InitializeAsync() => _service.InitializeAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    /// <summary>Valid vacancies of one member state, some with cells a spreadsheet would take for formulas.</summary>
    private static readonly Gen<VacancySubmission[]> Feeds =
        Gen.Select(VacancyGenerators.Valid, Gen.OneOf(string.Empty, "=", "+", "-", "@"), (v, formula) => v with
        {
            Country = "PAN",
            Title = formula + v.Title!.Trim(),
            EmployerName = formula + "Constructora, S.A.",
            LocationSubdivision = null, // generated for the vacancy's own country, which this replaces
        }).Array[1, 6];

    private static string Csv(IEnumerable<VacancySubmission> feed)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using var csv = new CsvWriter(text, CultureInfo.InvariantCulture);
        foreach (var column in VacancyCsv.Columns)
        {
            csv.WriteField(column);
        }

        csv.NextRecord();
        foreach (var vacancy in feed)
        {
            foreach (var column in VacancyCsv.Columns)
            {
                csv.WriteField(VacancyGenerators.Get(vacancy, column));
            }

            csv.NextRecord();
        }

        return text.ToString();
    }

    [Fact]
    public async Task For_random_valid_vacancies_the_export_sent_back_as_a_feed_is_unchanged_row_for_row()
    {
        var http = Vacancies.CreateClient(TestCaller.Publisher("PAN"));
        var batch = 0;
        await Properties.HoldAsync(Feeds, async feed =>
        {
            batch++;
            // Source ids unique across batches, so each export holds what this batch stored and all before it.
            var numbered = feed.Select((v, i) => v with { SourceId = $"{v.SourceId!.Trim()}~{batch}.{i}" }).ToArray();
            using var published = await http.PostAsync("/api/v1/vacancies:csv", new StringContent(Csv(numbered), Encoding.UTF8, "text/csv"), Ct);
            Assert.Equal(0, (await published.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("rejected").GetInt32());

            var export = await http.GetStringAsync("/api/v1/vacancies:csv?country=PAN", Ct);
            using var resent = await http.PostAsync("/api/v1/vacancies:csv", new StringContent(export, Encoding.UTF8, "text/csv"), Ct);
            var answer = await resent.Content.ReadFromJsonAsync<JsonElement>(Ct);

            Assert.True(answer.GetProperty("unchanged").GetInt32() == answer.GetProperty("received").GetInt32(), answer.ToString());
        }, iter: 25);
    }
}
