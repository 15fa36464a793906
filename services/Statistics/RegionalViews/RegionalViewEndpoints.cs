using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Statistics.V1;

namespace Lmis.Statistics.RegionalViews;

/// <summary>
/// The secretariat's regional views, public reads: <c>GET /api/v1/statistics/shortages?period=2025[&amp;country=MEX,GTM]</c>
/// (every occupation's vacancies, jobseekers, their ratio and its flag, per member state) and
/// <c>GET /api/v1/statistics/complementarity?period=2025</c> (occupations in shortage in one member state and in
/// surplus in another, strongest first, with the pathways that connect them) and
/// <c>GET /api/v1/statistics/corridors?dataflow=DF_MIG_PERMITS&amp;period=2025</c> (origin → destination flows, largest first).
/// Each takes <c>language</c> (en, the default; es; fr) for the ISCO-08 titles shown beside the occupation codes and
/// the pathways' names.
/// </summary>
public static class RegionalViewEndpoints
{
    public static IEndpointRouteBuilder MapRegionalViews(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/statistics/shortages", ShortagesAsync)
            .AsRegionalView("GetShortages", "Labour shortages and surpluses by occupation",
                "For a period (e.g. 2025), each member state's occupations (ISCO-08 code and title) with their vacancies, jobseekers, the ratio "
                + "and its flag (shortage, balanced, surplus), and the method and thresholds used. country: member states, comma-separated. "
                + Language);
        endpoints.MapGet("/api/v1/statistics/complementarity", ComplementarityAsync)
            .AsRegionalView("GetComplementarity", "Occupations in shortage in one member state and in surplus in another",
                "For a period, the pairs strongest first, each occupation with its ISCO-08 code and title, with the labour-mobility pathways "
                + "that connect the two member states. " + Language);
        endpoints.MapGet("/api/v1/statistics/corridors", CorridorsAsync)
            .AsRegionalView("GetCorridors", "Migration corridors",
                "Origin → destination flows of a migration dataflow (e.g. DF_MIG_PERMITS) for a period, largest first, with the pathways "
                + "in force along them. " + Language);
        return endpoints;
    }

    private const string Language = "language: en (the default), es or fr, for the occupation titles and pathway names.";

    private static RouteHandlerBuilder AsRegionalView(this RouteHandlerBuilder endpoint, string name, string summary, string description) =>
        endpoint.Describe(name, StatisticsService.Descriptor.FullName, summary).WithDescription(description)
            .Produces(StatusCodes.Status200OK, contentType: "application/json");

    private static async Task<IResult> ShortagesAsync(
        string? period, string? country, string? language, LabourShortages shortages, ShortageThresholds thresholds, Region region,
        CancellationToken cancellationToken) =>
        await AnswerAsync(async () =>
        {
            var countries = new List<string>();
            foreach (var code in (country ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                countries.Add(region.Find(code)?.Alpha3 ?? throw new ValidationFailedException("Shortages query", [new FieldError("country", code, $"not a member state of {region.Id}")]));
            }

            var balances = await shortages.ForPeriodAsync(Required(period), countries, language, cancellationToken);
            return new { period, language = Shown(language), method = Method(thresholds), occupations = balances };
        });

    private static async Task<IResult> ComplementarityAsync(
        string? period, string? language, Complementarity complementarity, ShortageThresholds thresholds, CancellationToken cancellationToken) =>
        await AnswerAsync(async () => new
        {
            period,
            language = Shown(language),
            method = Method(thresholds),
            pairs = await complementarity.ForPeriodAsync(Required(period), language, cancellationToken),
        });

    private static async Task<IResult> CorridorsAsync(
        string? dataflow, string? period, string? language, MigrationCorridors corridors, CancellationToken cancellationToken) =>
        await AnswerAsync(async () => new
        {
            dataflow,
            period,
            language = Shown(language),
            corridors = await corridors.ForPeriodAsync(
                string.IsNullOrWhiteSpace(dataflow) ? "DF_MIG_PERMITS" : dataflow.Trim(), Required(period), language, cancellationToken),
        });

    /// <summary>The language the answer is in (a language not offered is refused by the view itself, with its other errors).</summary>
    private static string Shown(string? language) => OccupationTitles.Language(language).Language;

    private static object Method(ShortageThresholds t) => new
    {
        indicator = "open vacancies (DF_VAC_OCU) per registered jobseeker (DF_JSK_OCU, both sexes), same occupation and period",
        shortageAtOrAbove = t.ShortageRatio,
        surplusAtOrBelow = t.SurplusRatio,
        minimumCount = t.MinimumCount,
    };

    private static string Required(string? period) =>
        string.IsNullOrWhiteSpace(period)
            ? throw new ValidationFailedException("Regional view", [new FieldError("period", null, "required, e.g. 2025 or 2025-Q4")])
            : period.Trim();

    private static async Task<IResult> AnswerAsync(Func<Task<object>> answer)
    {
        try
        {
            return Results.Json(await answer());
        }
        catch (ValidationFailedException e)
        {
            return e.ToProblem();
        }
    }
}
