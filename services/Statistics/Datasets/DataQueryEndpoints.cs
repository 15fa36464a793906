using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Statistics.V1;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Messages;
using Lmis.Statistics.Sdmx.Rest;
using Lmis.Statistics.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Lmis.Statistics.Datasets;

/// <summary>
/// SDMX REST data queries, in the SDMX 2.1 form <c>/sdmx/data/{flowRef}/{key}/{providerRef}</c> and the SDMX 3.0
/// form <c>/sdmx/data/dataflow/{agency}/{id}/{version}/{key}</c> (see <see cref="DataQuery"/> and
/// <see cref="DataQueryParameters"/>), GET and HEAD, in the message kind negotiated from <c>format</c> and Accept.
/// Statuses as SDMX REST gives them: 400 for what cannot be read, 404 when nothing matches, 406, 501 for what LMIS
/// does not do, 304 for a copy that is still current — each error in the kind of message the client asked for.
/// </summary>
public static class DataQueryEndpoints
{
    public const string Sdmx3Context = "{context:regex(^(dataflow|datastructure|provisionagreement|\\*)$)}";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>Every media type a data query answers in, for the API document.</summary>
    private static readonly string[] MediaTypes = [.. DataMessageFormats.Offered.Select(k => k.MediaType).Distinct()];

    public static IEndpointRouteBuilder MapDataQueries(this IEndpointRouteBuilder endpoints)
    {
        const string Sdmx21 = DataUploadEndpoints.DataPath + "/{flowRef}/{key?}/{providerRef?}";
        const string Sdmx30 = DataUploadEndpoints.DataPath + "/" + Sdmx3Context + "/{agencyID}/{resourceID}/{version?}/{key?}";
        foreach (var method in GetAndHead)
        {
            var head = method == HttpMethods.Head ? "Head" : string.Empty;
            Document(endpoints.MapMethods(Sdmx21, [method], Sdmx21Async)
                .Describe($"{head}GetSdmxData", StatisticsService.Descriptor.FullName,
                    head.Length > 0 ? "The headers a data query would answer with (SDMX 2.1 form)" : "Read the observations of a dataflow (SDMX 2.1 form)")
                .WithDescription("flowRef: RCM,DF_UNE_RT,1.0, RCM,DF_UNE_RT or DF_UNE_RT (version latest = the latest); key: the series key, "
                    + "dimension codes separated by dots, alternatives by + (e.g. MEX+GTM.A..), an empty position or * for any, all for everything; "
                    + "providerRef: all, or a member state (RCM,MEX) whose figures only."));
            Document(endpoints.MapMethods(Sdmx30, [method], Sdmx30Async)
                .Describe($"{head}GetSdmxData3", StatisticsService.Descriptor.FullName,
                    head.Length > 0 ? "The headers a data query would answer with (SDMX 3.0 form)" : "Read the observations of a dataflow (SDMX 3.0 form)")
                .WithDescription("context: dataflow (or *); agencyID: RCM or *; resourceID: the dataflow, e.g. DF_UNE_RT; version: 1.0, * or ~ (latest); "
                    + "key: dimension codes separated by dots, * for any, trailing positions may be left out, several keys separated by commas.")
                .WithMetadata(new DocumentedQuery("c[DIMENSION]", "SDMX 3.0 component filter: c[FREQ]=A,M; c[TIME_PERIOD]=ge:2020+le:2025.")));
        }

        return endpoints;
    }

    private static RouteHandlerBuilder Document(RouteHandlerBuilder endpoint) => endpoint
        .WithMetadata(
            new DocumentedQuery(DataQueryParameters.StartPeriod, "First period, e.g. 2021 or 2021-Q1."),
            new DocumentedQuery(DataQueryParameters.EndPeriod, "Last period; not before startPeriod."),
            new DocumentedQuery(DataQueryParameters.UpdatedAfter, "Only values recorded (added or revised) after this time (RFC 3339): what changed since a mirror last pulled."),
            new DocumentedQuery(DataQueryParameters.FirstN, "At most this many observations of each series, from its first."),
            new DocumentedQuery(DataQueryParameters.LastN, "At most this many observations of each series, back from its most recent."),
            new DocumentedQuery(DataQueryParameters.DimensionAtObservation, "TIME_PERIOD (default), AllDimensions, or a dimension's id."),
            new DocumentedQuery(DataQueryParameters.Detail, "full (default), dataonly, serieskeysonly or nodata."),
            new DocumentedQuery(DataQueryParameters.IncludeHistory, "true: every value kept, each vintage a data set of its own."),
            new DocumentedQuery(DataQueryParameters.AsOf, "The figures as they stood at this time (RFC 3339): earlier revisions."),
            new DocumentedQuery(DataQueryParameters.Format,
                string.Join(", ", DataMessageFormats.Offered.SelectMany(k => k.Aliases)) + " (the .Stat Suite's names among them); otherwise from Accept."))
        .Produces<string>(StatusCodes.Status200OK, MediaTypes[0], MediaTypes[1..])
        .Produces(StatusCodes.Status304NotModified)
        .Produces(StatusCodes.Status400BadRequest)
        .Produces(StatusCodes.Status404NotFound)
        .Produces(StatusCodes.Status406NotAcceptable)
        .Produces(StatusCodes.Status501NotImplemented);

    private static Task Sdmx21Async(
        HttpContext context, string flowRef, string? key, string? providerRef, IObservationStore store, Region region, CancellationToken cancellationToken) =>
        AnswerAsync(context, store, errors =>
        {
            var filter = DataQuery.Key(DataQuery.Dataflow(flowRef), key, sdmx3: false, region, errors);
            return DataQueryParameters.ReadData(DataQuery.Provider(filter, providerRef, region, errors), context.Request.Query, errors);
        }, cancellationToken);

    private static Task Sdmx30Async(
        HttpContext context, [FromRoute(Name = "context")] string structureContext, string agencyID, string resourceID, string? version, string? key, IObservationStore store, Region region,
        CancellationToken cancellationToken) =>
        AnswerAsync(context, store, errors =>
        {
            var filter = DataQuery.Key(DataQuery.Dataflow(structureContext, agencyID, resourceID, version), key, sdmx3: true, region, errors);
            return DataQueryParameters.ReadData(filter, context.Request.Query, errors);
        }, cancellationToken);

    private static async Task AnswerAsync(HttpContext context, IObservationStore store, Func<List<FieldError>, DataRequest> read, CancellationToken cancellationToken)
    {
        var choice = SdmxNegotiation.Choose(DataMessageFormats.Offered, context.Request.Query[DataQueryParameters.Format], context.Request.Headers.Accept, out var notAcceptable);
        if (choice is null)
        {
            await SdmxErrors.WriteAsync(context, null, StatusCodes.Status406NotAcceptable, notAcceptable!);
            return;
        }

        var labels = DataMessageFormats.LabelsOf(choice, out var badLabels);
        if (labels is null)
        {
            await SdmxErrors.WriteAsync(context, null, StatusCodes.Status406NotAcceptable, badLabels!);
            return;
        }

        var request = await ReadAsync(context, choice, read);
        if (request is null)
        {
            return;
        }

        var options = new DataMessageOptions(labels.Value, request.Detail, request.DimensionAtObservation, request.Query.IncludeHistory);
        if (!DataMessageFormats.CanWrite(choice.Kind, options, out var notImplemented))
        {
            await SdmxErrors.WriteAsync(context, choice, StatusCodes.Status501NotImplemented, notImplemented!);
            return;
        }

        var structure = request.Query.Structure;
        var validators = new ConditionalGet(context.Request, choice.Kind.MediaType + ";labels=" + labels, await store.LastChangedAsync(structure, cancellationToken));
        if (validators.IsCurrent(context.Request))
        {
            validators.Apply(context.Response);
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var observations = store.ReadAsync(request.Query, cancellationToken);
        if (request.FirstObservations is not null || request.LastObservations is not null)
        {
            observations = ObservationStreams.PerSeries(observations, request.FirstObservations, request.LastObservations, request.Query.IncludeHistory, cancellationToken);
        }

        await using var found = await ObservationStreams.PeekAsync(observations, cancellationToken);
        if (found is null)
        {
            await SdmxErrors.WriteAsync(context, choice, StatusCodes.Status404NotFound, $"No observations of {structure} match the query.");
            return;
        }

        validators.Apply(context.Response);
        context.Response.ContentType = DataMessageFormats.ContentType(choice.Kind, options);
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await DataMessageFormats.WriteAsync(choice.Kind, context.Response.Body, structure, found, options, cancellationToken);
    }

    /// <summary>Reads the query, or answers why not (400, 404 or 501, in the kind of message asked for) and returns null.</summary>
    internal static async Task<T?> ReadAsync<T>(HttpContext context, SdmxChoice choice, Func<List<FieldError>, T> read)
        where T : class
    {
        try
        {
            var errors = new List<FieldError>();
            var request = read(errors);
            return errors.Count > 0 ? throw new ValidationFailedException("Data query", errors) : request;
        }
        catch (ValidationFailedException e)
        {
            await SdmxErrors.WriteAsync(context, choice, StatusCodes.Status400BadRequest, e.Message, e.Errors);
        }
        catch (NotFoundException e)
        {
            await SdmxErrors.WriteAsync(context, choice, StatusCodes.Status404NotFound, e.Message);
        }
        catch (QueryNotImplementedException e)
        {
            await SdmxErrors.WriteAsync(context, choice, StatusCodes.Status501NotImplemented, e.Message, e.Errors);
        }

        return null;
    }
}
