using System.Globalization;
using Grpc.Core;
using Lmis.BuildingBlocks.Audit;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Audit.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Vacancies.ChangeFeed;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Search;
using Lmis.Vacancies.Storage;
using Microsoft.AspNetCore.Authorization;

namespace Lmis.Vacancies.Grpc;

/// <summary>
/// Translates between the public protocol and the vacancy domain. The rules live in <see cref="VacancyPublishing"/>
/// and <see cref="VacancyValidation"/>, searching in <see cref="VacancySearch"/>, the feed in <see cref="VacancyChangeFeed"/>.
/// Writes are a publisher's, for its own member state; reads are public; the audit trail is the secretariat's.
/// </summary>
public sealed class VacanciesGrpcService(
    VacancyPublishing publishing, VacancySearch search, VacancyChangeFeed changes, IVacancyStore store, Region region,
    ServiceLimits limits, [FromKeyedServices(VacanciesModule.Service)] AuditTrail audit)
    : VacanciesService.VacanciesServiceBase
{
    [Write(AccessRoles.Publisher)]
    public override async Task<PublishVacancyResponse> PublishVacancy(PublishVacancyRequest request, ServerCallContext context)
    {
        var vacancy = request.Vacancy ?? throw new ValidationFailedException("Vacancy", [new BuildingBlocks.Errors.FieldError("vacancy", null, "required")]);
        if (request.ValidateOnly)
        {
            context.AuditSummary($"check of vacancy {vacancy.Country}/{vacancy.SourceId} (nothing stored)");
            var found = await publishing.CheckAsync(VacancyMessages.ToSubmission(vacancy), PublisherOf(context), context.CancellationToken);
            context.AuditSummary($"check of vacancy {vacancy.Country}/{vacancy.SourceId}: valid (nothing stored)");
            var answer = new PublishVacancyResponse { Outcome = Contracts.Vacancies.V1.PublishOutcome.Valid };
            answer.Warnings.AddRange(found.Select(VacancyMessages.ToMessage));
            return answer;
        }

        context.AuditSummary($"vacancy {vacancy.Country}/{vacancy.SourceId}");
        var (stored, outcome, warnings) = await publishing.PublishAsync(VacancyMessages.ToSubmission(vacancy), PublisherOf(context), context.CancellationToken);
        context.AuditSummary($"vacancy {stored.Country}/{stored.SourceId} version {stored.Version}: {outcome}");
        var response = Response(stored, outcome);
        response.Warnings.AddRange(warnings.Select(VacancyMessages.ToMessage));
        return response;
    }

    [Write(AccessRoles.Publisher)]
    public override async Task<PublishVacanciesResponse> PublishVacancies(IAsyncStreamReader<PublishVacancyRequest> requestStream, ServerCallContext context)
    {
        var feed = new FeedReading(requestStream, limits);
        await feed.StartAsync(context.CancellationToken);
        var outcomes = feed.ValidateOnly
            ? await publishing.CheckFeedAsync(feed.ItemsAsync(context.CancellationToken), PublisherOf(context), context.CancellationToken)
            : await publishing.PublishFeedAsync(feed.ItemsAsync(context.CancellationToken), PublisherOf(context), context.CancellationToken);
        context.AuditSummary((feed.ValidateOnly ? "check (nothing stored) of " : string.Empty) + ItemOutcome.Summary(outcomes));

        // Only now, with every item read stored or refused, may the call end early: the status says exactly what
        // became of the items read.
        if (feed.EndedEarly(outcomes) is { } ended)
        {
            throw new RpcException(ended);
        }

        return VacancyMessages.ToResponse(outcomes);
    }

    [Write(AccessRoles.Publisher)]
    public override async Task<PublishVacancyResponse> CloseVacancy(CloseVacancyRequest request, ServerCallContext context)
    {
        context.AuditSummary($"close vacancy {request.Country}/{request.SourceId} ({request.Reason})");
        var country = region.Find(request.Country)
            ?? throw new NotFoundException($"'{request.Country}' is not a member state of {region.Id}.");
        var (stored, outcome) = await publishing.CloseAsync(
            country.Alpha3, request.SourceId, request.Reason.Trim().ToLowerInvariant(), PublisherOf(context), context.CancellationToken);
        return Response(stored, outcome);
    }

    [Authorize(Policy = AccessPolicies.Secretariat)]
    public override Task<ListAuditRecordsResponse> ListAuditRecords(ListAuditRecordsRequest request, ServerCallContext context) =>
        audit.ListAsync(request, region, context.CancellationToken);

    /// <summary>The member state the caller's credential is bound to; the publisher policy guarantees there is one.</summary>
    private static string PublisherOf(ServerCallContext context) =>
        Caller.From(context.GetHttpContext()).PublisherCountry;

    public override async Task<Contracts.Vacancies.V1.Vacancy> GetVacancy(GetVacancyRequest request, ServerCallContext context)
    {
        var country = region.Find(request.Country)
            ?? throw new NotFoundException($"'{request.Country}' is not a member state of {region.Id}.");
        var vacancy = await store.FindAsync(country.Alpha3, request.SourceId, context.CancellationToken)
            ?? throw new NotFoundException($"No vacancy '{request.SourceId}' published by {country.Alpha3}.");
        return VacancyMessages.ToMessage(vacancy);
    }

    public override async Task<SearchVacanciesResponse> SearchVacancies(SearchVacanciesRequest request, ServerCallContext context)
    {
        var page = await search.SearchAsync(
            new SearchRequest
            {
                Countries = request.Country,
                Occupation = request.Occupation,
                Sector = request.Sector,
                Status = request.Status,
                EmploymentType = request.EmploymentType,
                ForeignWorkersEligible = request.HasForeignWorkersEligible ? request.ForeignWorkersEligible : null,
                OriginCountry = request.OriginCountry,
                PathwayId = request.PathwayId,
                FeeFreeOnly = request.FeeFreeOnly,
                WageMin = request.WageMin == 0 ? null : (decimal)request.WageMin,
                WageMax = request.WageMax == 0 ? null : (decimal)request.WageMax,
                WageCurrency = request.WageCurrency,
                PostedSince = request.PostedSince,
                Text = request.Text,
                Order = request.Order,
                PageSize = request.PageSize,
                PageToken = request.PageToken,
                IncludeTotal = request.IncludeTotal,
            },
            context.CancellationToken);
        return new SearchVacanciesResponse
        {
            Vacancies = { page.Vacancies.Select(VacancyMessages.ToMessage) },
            NextPageToken = page.NextPageToken ?? string.Empty,
            Total = page.Total ?? 0,
        };
    }

    public override async Task GetSnapshot(GetSnapshotRequest request, IServerStreamWriter<VacancyChange> responseStream, ServerCallContext context)
    {
        await foreach (var (cursor, vacancy) in changes.SnapshotAsync(request.Country, context.CancellationToken))
        {
            await responseStream.WriteAsync(new VacancyChange { Cursor = cursor, Vacancy = VacancyMessages.ToMessage(vacancy) }, context.CancellationToken);
        }
    }

    public override async Task StreamChanges(StreamChangesRequest request, IServerStreamWriter<VacancyChange> responseStream, ServerCallContext context)
    {
        if (request.After < 0 || request.MaxChanges < 0)
        {
            throw new ValidationFailedException("Change feed", [new BuildingBlocks.Errors.FieldError("after", request.After.ToString(CultureInfo.InvariantCulture), "cursors and limits are not negative")]);
        }

        try
        {
            await foreach (var vacancy in changes.ChangesAsync(request.After, request.Country, request.Follow, request.MaxChanges, context.CancellationToken))
            {
                await responseStream.WriteAsync(
                    new VacancyChange { Cursor = vacancy.Cursor, Removed = !vacancy.IsOpen, Vacancy = VacancyMessages.ToMessage(vacancy) },
                    context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The follower went away: the end of a followed stream.
        }
    }

    private static PublishVacancyResponse Response(Publishing.Vacancy vacancy, Publishing.PublishOutcome outcome) => new()
    {
        Id = vacancy.Id.ToString(),
        Version = vacancy.Version,
        Outcome = VacancyMessages.ToMessage(outcome),
    };
}
