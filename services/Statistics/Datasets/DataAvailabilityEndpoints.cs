using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Statistics.V1;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Rest;
using Lmis.Statistics.Storage;
using Lmis.Statistics.Structures;
using Microsoft.AspNetCore.Mvc;

namespace Lmis.Statistics.Datasets;

/// <summary>
/// SDMX REST availability: which codes of each dimension have data for a (partial) key, and the time range, so a
/// query form offers only choices that answer something. SDMX 2.1 <c>/sdmx/availableconstraint/{flowRef}/{key}/{providerRef}/{componentID}</c>
/// (SDMX-ML 2.1 by default) and SDMX 3.0 <c>/sdmx/availability/dataflow/{agency}/{id}/{version}/{key}/{componentId}</c>
/// (SDMX-JSON 2.0 by default). <c>mode=exact</c> (default): the codes of the data the query would answer;
/// <c>mode=available</c>: for each dimension, the codes that would still answer something if chosen instead.
/// </summary>
public static class DataAvailabilityEndpoints
{
    public const string Sdmx21Path = "/sdmx/availableconstraint";
    public const string Sdmx30Path = "/sdmx/availability";

    private static readonly SdmxMessageKind[] XmlFirst = [StructureMessageFormats.SdmxMl21, StructureMessageFormats.SdmxJson20];
    private static readonly SdmxMessageKind[] JsonFirst = [StructureMessageFormats.SdmxJson20, StructureMessageFormats.SdmxMl21];

    public static IEndpointRouteBuilder MapDataAvailability(this IEndpointRouteBuilder endpoints)
    {
        Document(endpoints.MapGet(Sdmx21Path + "/{flowRef}/{key?}/{providerRef?}/{componentID?}", Sdmx21Async)
            .Describe("GetSdmxAvailableConstraint", StatisticsService.Descriptor.FullName, "Which codes have data for a key (SDMX 2.1 form)")
            .WithDescription("flowRef and key as for data queries; providerRef: all or a member state; componentID: all, a dimension, or TIME_PERIOD. "
                + "A ContentConstraint (Actual) whose cube region lists the codes of each dimension with data, and the time range."));
        Document(endpoints.MapGet(Sdmx30Path + "/" + DataQueryEndpoints.Sdmx3Context + "/{agencyID}/{resourceID}/{version?}/{key?}/{componentId?}", Sdmx30Async)
            .Describe("GetSdmxAvailability", StatisticsService.Descriptor.FullName, "Which codes have data for a key (SDMX 3.0 form)")
            .WithDescription("context, agencyID, resourceID, version and key as for SDMX 3.0 data queries; componentId: *, a dimension, or TIME_PERIOD.")
            .WithMetadata(new DocumentedQuery("c[DIMENSION]", "SDMX 3.0 component filter: c[FREQ]=A,M; c[TIME_PERIOD]=ge:2020+le:2025.")));
        return endpoints;
    }

    private static RouteHandlerBuilder Document(RouteHandlerBuilder endpoint) => endpoint
        .WithMetadata(
            new DocumentedQuery(DataQueryParameters.Mode, "exact (default): the codes the query's data have; available: the codes that would still answer something."),
            new DocumentedQuery(DataQueryParameters.StartPeriod, "First period, e.g. 2021."),
            new DocumentedQuery(DataQueryParameters.EndPeriod, "Last period."),
            new DocumentedQuery(DataQueryParameters.UpdatedAfter, "Only data recorded after this time (RFC 3339)."),
            new DocumentedQuery(DataQueryParameters.AsOf, "The data as they stood at this time (RFC 3339)."),
            new DocumentedQuery(DataQueryParameters.References, "none (the only one implemented)."),
            new DocumentedQuery(DataQueryParameters.Format, "json or xml; otherwise from Accept."))
        .Produces<string>(StatusCodes.Status200OK, StructureMessageFormats.SdmxMl21.MediaType, StructureMessageFormats.SdmxJson20.MediaType)
        .Produces(StatusCodes.Status400BadRequest)
        .Produces(StatusCodes.Status404NotFound)
        .Produces(StatusCodes.Status406NotAcceptable)
        .Produces(StatusCodes.Status501NotImplemented);

    private static Task Sdmx21Async(
        HttpContext context, string flowRef, string? key, string? providerRef, string? componentID, IObservationStore store, Region region,
        CancellationToken cancellationToken) =>
        AnswerAsync(context, XmlFirst, store, region, componentID, errors =>
        {
            var filter = DataQuery.Key(DataQuery.Dataflow(flowRef), key, sdmx3: false, region, errors);
            return DataQuery.Provider(filter, providerRef, region, errors);
        }, cancellationToken);

    private static Task Sdmx30Async(
        HttpContext context, [FromRoute(Name = "context")] string structureContext, string agencyID, string resourceID, string? version, string? key,
        string? componentId, IObservationStore store, Region region, CancellationToken cancellationToken) =>
        AnswerAsync(context, JsonFirst, store, region, componentId,
            errors => DataQuery.Key(DataQuery.Dataflow(structureContext, agencyID, resourceID, version), key, sdmx3: true, region, errors),
            cancellationToken);

    private static async Task AnswerAsync(
        HttpContext context, SdmxMessageKind[] offered, IObservationStore store, Region region, string? component, Func<List<FieldError>, SeriesKeyFilter> key,
        CancellationToken cancellationToken)
    {
        var choice = SdmxNegotiation.Choose(offered, context.Request.Query[DataQueryParameters.Format], context.Request.Headers.Accept, out var notAcceptable);
        if (choice is null)
        {
            await SdmxErrors.WriteAsync(context, null, StatusCodes.Status406NotAcceptable, notAcceptable!);
            return;
        }

        var request = await DataQueryEndpoints.ReadAsync(context, choice, errors =>
        {
            var (query, filter, available) = DataQueryParameters.ReadAvailability(key(errors), context.Request.Query, errors);
            var components = Components(filter.Structure, component, errors);
            return new AvailabilityRequest(query, filter, available, components);
        });
        if (request is null)
        {
            return;
        }

        var availability = await ComputeAsync(store, request, cancellationToken);
        if (availability is null)
        {
            await SdmxErrors.WriteAsync(context, choice, StatusCodes.Status404NotFound, $"No observations of {request.Query.Structure} match the query.");
            return;
        }

        context.Response.ContentType = choice.Kind.MediaType;
        await AvailabilityMessages.WriteAsync(choice.Kind, context.Response.Body, availability, region.Id, cancellationToken);
    }

    /// <summary>The dimensions (by index) asked about, and whether the time range is: componentID all or *, one dimension, or TIME_PERIOD.</summary>
    private static (int[] Dimensions, bool Time) Components(DataStructure structure, string? component, List<FieldError> errors)
    {
        if (component is null or "all" or "*")
        {
            return ([.. Enumerable.Range(0, structure.Dimensions.Count)], true);
        }

        if (component == DataStructure.TimeDimension)
        {
            return ([], true);
        }

        var index = structure.DimensionIndex(component);
        if (index < 0)
        {
            errors.Add(new FieldError("componentID", component,
                $"all, TIME_PERIOD or a dimension of {structure.Id}: {string.Join(", ", structure.Dimensions.Select(d => d.Id))}"));
        }

        return ([index], false);
    }

    /// <summary>
    /// Reads the observations once: with mode=exact those the query answers; with mode=available the dataflow's
    /// (same periods and times), a code of a dimension counting when the rest of the key would match it.
    /// </summary>
    private static async Task<Availability?> ComputeAsync(IObservationStore store, AvailabilityRequest request, CancellationToken cancellationToken)
    {
        var structure = request.Query.Structure;
        var read = request.Available ? request.Query with { Areas = [], Series = _ => true, SeriesKeys = null } : request.Query;
        var codes = structure.Dimensions.Select(_ => new SortedSet<string>(StringComparer.Ordinal)).ToArray();
        var series = new HashSet<string>(StringComparer.Ordinal);
        long observations = 0;
        TimePeriod? first = null, last = null;
        await foreach (var observation in store.ReadAsync(read, cancellationToken))
        {
            var matches = request.Key.Matches(observation.Key);
            if (matches)
            {
                observations++;
                series.Add(observation.SeriesKey);
                first = first is { } f && f.Start <= observation.Period.Start ? f : observation.Period;
                last = last is { } l && l.End >= observation.Period.End ? l : observation.Period;
            }

            foreach (var d in request.Components.Dimensions)
            {
                if (matches || (request.Available && request.Key.MatchesExcept(observation.Key, d)))
                {
                    codes[d].Add(observation.Key[d]);
                }
            }
        }

        return observations == 0 ? null : new Availability(
            structure,
            [.. request.Components.Dimensions.Select(d => new DimensionValues(structure.Dimensions[d].Id, [.. codes[d]]))],
            request.Components.Time ? first : null,
            request.Components.Time ? last : null,
            series.Count,
            observations);
    }

    private sealed record AvailabilityRequest(ObservationQuery Query, SeriesKeyFilter Key, bool Available, (int[] Dimensions, bool Time) Components);
}
