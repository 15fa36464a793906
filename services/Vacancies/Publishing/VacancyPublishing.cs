using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Events;
using Lmis.Vacancies.Storage;

namespace Lmis.Vacancies.Publishing;

/// <summary>The outcome of one item of a feed: what happened to it, or every reason it was refused.</summary>
public sealed record ItemOutcome(int Index, string? SourceId, PublishOutcome? Outcome, Vacancy? Vacancy, IReadOnlyList<FieldError> Errors)
{
    /// <summary>What to check in an accepted item; a warning never changed or refused it.</summary>
    public IReadOnlyList<FieldError> Warnings { get; init; } = [];

    /// <summary>A feed in one line, for the audit trail: "feed of 500: 480 created, 12 unchanged, 8 refused".</summary>
    public static string Summary(IReadOnlyList<ItemOutcome> outcomes) =>
        $"feed of {outcomes.Count}: " + string.Join(", ", outcomes
            .GroupBy(o => o.Outcome?.ToString().ToLowerInvariant() ?? "refused")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key}"));
}

/// <summary>
/// Publishing vacancies: validate, then create or update by (country, source id). Sending the same vacancy again
/// changes nothing and announces nothing; a changed one becomes its next version; a feed row marked filled or
/// withdrawn closes it. In a feed every item stands on its own: a bad one is reported and the good ones stored,
/// in batches that each commit whole (never a half-written record). A publisher writes its own member state's
/// vacancies only: <c>publisher</c> is the country its credential is bound to.
/// </summary>
public sealed class VacancyPublishing(VacancyValidation validation, IVacancyStore store, Region region, TimeProvider time, VacancyMetrics metrics)
{
    /// <summary>
    /// Items per transaction. Each commit rewrites every index page it touched (the country/occupation and expiry
    /// indexes are touched in hundreds of places by any batch), so larger batches write far less per vacancy.
    /// </summary>
    private const int BatchSize = 2000;

    /// <summary>Publishes one vacancy: what became of it, and what its publisher should check (warnings).</summary>
    public async Task<(Vacancy Vacancy, PublishOutcome Outcome, IReadOnlyList<FieldError> Warnings)> PublishAsync(
        VacancySubmission submission, string publisher, CancellationToken cancellationToken)
    {
        metrics.Received(publisher);
        try
        {
            if (NotOwnCountry(submission, publisher) is { } refusal)
            {
                throw new AccessDeniedException(refusal.Reason);
            }

            var valid = await validation.ValidateAsync(submission, cancellationToken);
            var (vacancy, outcome) = await store.UpsertAsync(Write(valid), time.GetUtcNow(), cancellationToken);
            return (vacancy, outcome, valid.Warnings);
        }
        catch (Exception exception) when (VacancyMetrics.ReasonOf(exception) is { } reason)
        {
            metrics.Refused(publisher, reason);
            throw;
        }
    }

    public async Task<(Vacancy Vacancy, PublishOutcome Outcome)> CloseAsync(
        string country, string sourceId, string reason, string publisher, CancellationToken cancellationToken)
    {
        if (country != publisher)
        {
            throw new AccessDeniedException($"A credential of {publisher} closes {publisher}'s vacancies only, not {country}'s.");
        }

        if (!VacancyStatus.ClosingReasons.Contains(reason))
        {
            throw new ValidationFailedException("Closing", [new FieldError("reason", reason, "filled or withdrawn")]);
        }

        return await store.CloseAsync(country, sourceId, reason, time.GetUtcNow(), cancellationToken)
            ?? throw new NotFoundException($"No vacancy '{sourceId}' published by {country}.");
    }

    /// <summary>
    /// Checks one vacancy by every rule publishing applies (its member state, the rules, occupation coding and its
    /// warnings) and stores nothing: a ministry tries a feed before publishing it. Throws as publishing would refuse.
    /// </summary>
    public async Task<IReadOnlyList<FieldError>> CheckAsync(VacancySubmission submission, string publisher, CancellationToken cancellationToken)
    {
        if (NotOwnCountry(submission, publisher) is { } refusal)
        {
            throw new AccessDeniedException(refusal.Reason);
        }

        var valid = await validation.ValidateAsync(submission, cancellationToken);
        return valid.Warnings;
    }

    /// <summary>Publishes a whole feed, item by item, and reports each item's outcome in feed order.</summary>
    public Task<IReadOnlyList<ItemOutcome>> PublishFeedAsync(
        IAsyncEnumerable<(int Index, VacancySubmission? Submission, IReadOnlyList<FieldError> ReadErrors)> feed, string publisher, CancellationToken cancellationToken) =>
        FeedAsync(feed, publisher, checkOnly: false, cancellationToken);

    /// <summary>Checks a whole feed as <see cref="PublishFeedAsync"/> would publish it, storing nothing: each accepted item is <see cref="PublishOutcome.Valid"/>.</summary>
    public Task<IReadOnlyList<ItemOutcome>> CheckFeedAsync(
        IAsyncEnumerable<(int Index, VacancySubmission? Submission, IReadOnlyList<FieldError> ReadErrors)> feed, string publisher, CancellationToken cancellationToken) =>
        FeedAsync(feed, publisher, checkOnly: true, cancellationToken);

    private async Task<IReadOnlyList<ItemOutcome>> FeedAsync(
        IAsyncEnumerable<(int Index, VacancySubmission? Submission, IReadOnlyList<FieldError> ReadErrors)> feed, string publisher, bool checkOnly, CancellationToken cancellationToken)
    {
        // A check is no publication: the publishing meters count what publishers sent to be stored.
        var meters = checkOnly ? null : metrics;
        var outcomes = new List<ItemOutcome>();
        var pending = new List<(int Index, VacancyWrite Write, IReadOnlyList<FieldError> Warnings)>();
        await foreach (var (index, submission, readErrors) in feed.WithCancellation(cancellationToken))
        {
            meters?.FeedItemRead(publisher);
            meters?.Received(publisher);
            if (submission is null)
            {
                meters?.Refused(publisher, VacancyMetrics.Unreadable);
                outcomes.Add(new ItemOutcome(index, null, null, null, readErrors));
                continue;
            }

            if (NotOwnCountry(submission, publisher) is { } refusal)
            {
                meters?.Refused(publisher, VacancyMetrics.OtherMemberState);
                outcomes.Add(new ItemOutcome(index, submission.SourceId, null, null, [refusal]));
                continue;
            }

            try
            {
                var valid = await validation.ValidateAsync(submission, cancellationToken);
                pending.Add((index, Write(valid), valid.Warnings));
            }
            catch (ValidationFailedException e)
            {
                meters?.Refused(publisher, VacancyMetrics.Invalid);
                outcomes.Add(new ItemOutcome(index, submission.SourceId, null, null, e.Errors));
            }
            catch (DependencyUnavailableException e)
            {
                meters?.Refused(publisher, VacancyMetrics.TaxonomyUnavailable);
                outcomes.Add(new ItemOutcome(index, submission.SourceId, null, null, [new FieldError("vacancy", null, e.Message)]));
            }

            if (pending.Count >= BatchSize)
            {
                outcomes.AddRange(checkOnly ? Checked(pending) : await StoreAsync(pending, cancellationToken));
                pending.Clear();
            }
        }

        outcomes.AddRange(checkOnly ? Checked(pending) : await StoreAsync(pending, cancellationToken));
        return [.. outcomes.OrderBy(o => o.Index)];
    }

    private async Task<IEnumerable<ItemOutcome>> StoreAsync(
        List<(int Index, VacancyWrite Write, IReadOnlyList<FieldError> Warnings)> pending, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return [];
        }

        var stored = await store.UpsertAsync([.. pending.Select(p => p.Write)], time.GetUtcNow(), cancellationToken);
        return [.. pending.Select((p, i) => new ItemOutcome(p.Index, stored[i].Vacancy.SourceId, stored[i].Outcome, stored[i].Vacancy, [])
        {
            Warnings = p.Warnings,
        })];
    }

    private static IEnumerable<ItemOutcome> Checked(List<(int Index, VacancyWrite Write, IReadOnlyList<FieldError> Warnings)> pending) =>
        [.. pending.Select(p => new ItemOutcome(p.Index, p.Write.SourceId, PublishOutcome.Valid, null, []) { Warnings = p.Warnings })];

    private static VacancyWrite Write(ValidVacancy valid) => new(valid.Country.Alpha3, valid.SourceId, valid.Content, valid.Closing);

    /// <summary>Refuses a vacancy of another member state than the publisher's; an unknown country is the rules' to report.</summary>
    private FieldError? NotOwnCountry(VacancySubmission submission, string publisher) =>
        region.Find(submission.Country?.Trim()) is { } country && country.Alpha3 != publisher
            ? new FieldError("country", submission.Country, $"a credential of {publisher} publishes {publisher}'s vacancies only")
            : null;
}
