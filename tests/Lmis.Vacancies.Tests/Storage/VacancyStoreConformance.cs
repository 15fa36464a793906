using Lmis.Contracts.Events;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Search;
using Lmis.Vacancies.Storage;

namespace Lmis.Vacancies.Tests.Storage;

/// <summary>What every vacancy store must do; each adapter runs this suite.</summary>
public abstract class VacancyStoreConformance
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    protected abstract IVacancyStore CreateStore();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static VacancyContent Content(string title = "Albañil", int positions = 2, string occupation = "7112") =>
        new(title, "Obra en Monterrey", "es", occupation, positions, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 31));

    private static async Task<List<IIntegrationEvent>> EventsAsync(IVacancyStore store) =>
        [.. (await store.Outbox.ReadPendingAsync(1000, Ct)).Select(m => (IIntegrationEvent)m.ToEvent())];

    [Fact]
    public async Task A_new_vacancy_is_created_with_its_published_event()
    {
        var store = CreateStore();

        var (vacancy, outcome) = await store.UpsertAsync("MEX", "STPS-1", Content(), Now, Ct);

        Assert.Equal((PublishOutcome.Created, 1, VacancyStatus.Open), (outcome, vacancy.Version, vacancy.Status));
        Assert.Equal(vacancy, await store.FindAsync("MEX", "STPS-1", Ct));
        var published = Assert.IsType<VacancyPublished>(Assert.Single(await EventsAsync(store)));
        Assert.Equal((vacancy.Id, "MEX", "STPS-1", 1, "7112", 2), (published.Vacancy.VacancyId, published.Vacancy.Country,
            published.Vacancy.SourceId, published.Vacancy.Version, published.Vacancy.OccupationCode, published.Vacancy.Positions));
    }

    [Fact]
    public async Task The_dispatcher_gets_each_event_as_it_was_stored_whether_handed_over_in_memory_or_read_back()
    {
        var store = CreateStore();
        await store.UpsertAsync([new VacancyWrite("MEX", "STPS-1", Content()), new VacancyWrite("GTM", "MT-1", Content())], Now, Ct);

        var pending = await store.Outbox.ReadPendingAsync(10, Ct);

        Assert.Equal(2, pending.Count);
        Assert.All(pending, message =>
        {
            var stored = (VacancyPublished)message.ToEvent();
            var dispatched = Assert.IsType<VacancyPublished>(store.Outbox.EventOf(message));
            Assert.Equal((stored.EventId, stored.OccurredAt, stored.Vacancy), (dispatched.EventId, dispatched.OccurredAt, dispatched.Vacancy));
            // Taken once: a second dispatch of the same message (after a failed publish) reads it back from the store.
            Assert.Equal(stored.Vacancy, Assert.IsType<VacancyPublished>(store.Outbox.EventOf(message)).Vacancy);
        });
    }

    [Fact]
    public async Task Each_event_keeps_the_trace_context_of_the_call_that_wrote_it_and_the_backlog_is_measured()
    {
        var store = CreateStore();
        var empty = await store.Outbox.MeasureAsync(Ct);
        using (var call = new System.Diagnostics.Activity("publish feed").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start())
        {
            call.TraceStateString = "lmis=feed";
            await store.UpsertAsync([new VacancyWrite("MEX", "STPS-1", Content()), new VacancyWrite("MEX", "STPS-2", Content())], Now, Ct);
            await store.UpsertAsync("GTM", "MT-1", Content(), Now.AddMinutes(1), Ct);
            var pending = await store.Outbox.ReadPendingAsync(10, Ct);

            Assert.Equal(3, pending.Count);
            Assert.All(pending, m => Assert.Equal((call.Id, "lmis=feed", call.TraceId), (m.TraceParent, m.TraceState, m.TraceContext?.TraceId)));
        }

        Assert.Equal(OutboxBacklogOf(0, null), empty);
        Assert.Equal(OutboxBacklogOf(3, Now), await store.Outbox.MeasureAsync(Ct));
    }

    private static BuildingBlocks.Outbox.OutboxBacklog OutboxBacklogOf(long pending, DateTimeOffset? oldest) => new(pending, oldest);

    [Fact]
    public async Task All_of_a_vacancy_is_kept()
    {
        var store = CreateStore();
        var content = Content() with
        {
            NationalOccupationScheme = "sinco2019",
            NationalOccupationCode = "7121",
            SectorCode = "F",
            EmployerName = "Constructora del Norte",
            LocationSubdivision = "MX-NLE",
            LocationLocality = "Monterrey",
            EmploymentType = "temporary",
            WorkingTime = "full_time",
            HoursPerWeek = 48,
            Wage = new WageRange(9000m, 12500.5m, "MXN", "month"),
            EducationLevel = "2",
            ExperienceMonths = 24,
            RequiredLanguages = ["es"],
            RequiredSkills = ["lay bricks", "read drawings"],
            ForeignWorkersEligible = true,
            EligibleOriginCountries = ["GTM", "HND"],
            PathwayId = "mex-tvtf",
            WorkerPaysRecruitmentFees = false,
            RecruiterName = "Agencia Ética",
            RecruiterCertification = "IRIS",
        };

        var (stored, _) = await store.UpsertAsync("MEX", "STPS-9", content, Now, Ct);
        var read = await store.FindAsync("MEX", "STPS-9", Ct);

        Assert.Equal(content.Fingerprint(), read!.Content.Fingerprint());
        Assert.Equal(["GTM", "HND"], read.Content.EligibleOriginCountries);
        Assert.Equal(12500.5m, read.Content.Wage!.Max);
        Assert.Equal(stored.Cursor, read.Cursor);
    }

    [Fact]
    public async Task Publishing_the_same_content_again_changes_nothing_and_announces_nothing()
    {
        var store = CreateStore();
        var (first, _) = await store.UpsertAsync("MEX", "STPS-1", Content(), Now, Ct);

        var (again, outcome) = await store.UpsertAsync("MEX", "STPS-1", Content(), Now.AddHours(1), Ct);

        Assert.Equal(PublishOutcome.Unchanged, outcome);
        Assert.Equal(first, again);
        Assert.Single(await EventsAsync(store));
    }

    [Fact]
    public async Task A_changed_vacancy_becomes_its_next_version_with_an_updated_event()
    {
        var store = CreateStore();
        var (first, _) = await store.UpsertAsync("MEX", "STPS-1", Content(), Now, Ct);

        var (second, outcome) = await store.UpsertAsync("MEX", "STPS-1", Content(positions: 5), Now.AddHours(1), Ct);

        Assert.Equal(PublishOutcome.Updated, outcome);
        Assert.Equal((first.Id, 2, 5, first.PublishedAt, Now.AddHours(1)), (second.Id, second.Version, second.Content.Positions, second.PublishedAt, second.UpdatedAt));
        Assert.True(second.Cursor > first.Cursor);
        var events = await EventsAsync(store);
        Assert.IsType<VacancyPublished>(events[0]);
        Assert.Equal(2, Assert.IsType<VacancyUpdated>(events[1]).Vacancy.Version);
    }

    [Fact]
    public async Task A_batch_is_stored_in_order_with_one_event_per_change()
    {
        var store = CreateStore();
        VacancyWrite[] writes =
        [
            new("GTM", "A", Content()),
            new("GTM", "B", Content(occupation: "2221")),
            new("GTM", "A", Content(positions: 9)),
            new("GTM", "B", Content(occupation: "2221")),
        ];

        var results = await store.UpsertAsync(writes, Now, Ct);

        Assert.Equal([PublishOutcome.Created, PublishOutcome.Created, PublishOutcome.Updated, PublishOutcome.Unchanged], results.Select(r => r.Outcome));
        Assert.Equal(9, (await store.FindAsync("GTM", "A", Ct))!.Content.Positions);
        Assert.Equal(3, (await EventsAsync(store)).Count);
    }

    [Fact]
    public async Task Closing_announces_the_reason_once_and_a_closed_vacancy_stays_closed()
    {
        var store = CreateStore();
        var (open, _) = await store.UpsertAsync("CRI", "MTSS-1", Content(), Now, Ct);

        var closed = await store.CloseAsync("CRI", "MTSS-1", VacancyStatus.Filled, Now.AddDays(3), Ct);
        var again = await store.CloseAsync("CRI", "MTSS-1", VacancyStatus.Withdrawn, Now.AddDays(4), Ct);
        var missing = await store.CloseAsync("CRI", "NOPE", VacancyStatus.Filled, Now, Ct);

        Assert.Equal((PublishOutcome.Closed, VacancyStatus.Filled, 2), (closed!.Value.Outcome, closed.Value.Vacancy.Status, closed.Value.Vacancy.Version));
        Assert.Equal(Now.AddDays(3), closed.Value.Vacancy.ClosedAt);
        Assert.Equal((PublishOutcome.Unchanged, VacancyStatus.Filled), (again!.Value.Outcome, again.Value.Vacancy.Status));
        Assert.Null(missing);
        var event_ = Assert.IsType<VacancyClosed>((await EventsAsync(store))[^1]);
        Assert.Equal(("filled", open.Id, "filled"), (event_.Reason, event_.Vacancy.VacancyId, event_.Vacancy.Status));
    }

    [Fact]
    public async Task A_vacancy_sent_closed_is_one_write_one_version_and_one_closed_event_whether_new_open_or_already_closed()
    {
        var store = CreateStore();
        await store.UpsertAsync("MEX", "STPS-2", Content(), Now, Ct);
        var before = (await EventsAsync(store)).Count;

        var (history, historyOutcome) = await store.UpsertAsync(new VacancyWrite("MEX", "STPS-1", Content(), VacancyStatus.Filled), Now, Ct);
        var (closed, closedOutcome) = await store.UpsertAsync(new VacancyWrite("MEX", "STPS-2", Content(), VacancyStatus.Withdrawn), Now, Ct);
        var (again, againOutcome) = await store.UpsertAsync(new VacancyWrite("MEX", "STPS-1", Content(), VacancyStatus.Filled), Now, Ct);
        var events = (await EventsAsync(store)).Skip(before).Cast<VacancyClosed>().ToArray();

        Assert.Equal((PublishOutcome.Closed, 1, VacancyStatus.Filled, "filled"), (historyOutcome, history.Version, history.Status, history.ClosedReason));
        Assert.Equal((PublishOutcome.Closed, 2, VacancyStatus.Withdrawn), (closedOutcome, closed.Version, closed.Status));
        Assert.Equal((PublishOutcome.Unchanged, 1), (againOutcome, again.Version));
        Assert.Equal([("STPS-1", 1, "filled"), ("STPS-2", 2, "withdrawn")], events.Select(e => (e.Vacancy.SourceId, e.Vacancy.Version, e.Reason)));
        Assert.Equal(history, await store.FindAsync("MEX", "STPS-1", Ct));
    }

    [Fact]
    public async Task Vacancies_past_their_closing_date_expire()
    {
        var store = CreateStore();
        await store.UpsertAsync("PAN", "old", Content() with { ValidThrough = new DateOnly(2026, 11, 20) }, Now, Ct);
        await store.UpsertAsync("PAN", "today", Content() with { ValidThrough = new DateOnly(2026, 11, 23) }, Now, Ct);
        await store.UpsertAsync("PAN", "open-ended", Content() with { ValidThrough = null }, Now, Ct);

        var expired = await store.ExpireAsync(new DateOnly(2026, 11, 23), Now, 100, Ct);

        Assert.Equal(1, expired);
        Assert.Equal(VacancyStatus.Expired, (await store.FindAsync("PAN", "old", Ct))!.Status);
        Assert.Equal(VacancyStatus.Open, (await store.FindAsync("PAN", "today", Ct))!.Status);
        Assert.Equal("expired", Assert.IsType<VacancyClosed>((await EventsAsync(store))[^1]).Reason);
        Assert.Equal(0, await store.ExpireAsync(new DateOnly(2026, 11, 23), Now, 100, Ct));
    }

    [Fact]
    public async Task Searches_filter_by_country_occupation_group_status_text_and_mobility()
    {
        var store = CreateStore();
        await store.UpsertAsync("MEX", "1", Content("Albañil de obra negra"), Now, Ct);
        await store.UpsertAsync("MEX", "2", Content("Enfermera general", occupation: "2221") with { ForeignWorkersEligible = true, EligibleOriginCountries = ["GTM"] }, Now, Ct);
        await store.UpsertAsync("MEX", "3", Content("Técnico en enfermería", occupation: "3221") with { WorkerPaysRecruitmentFees = true }, Now, Ct);
        await store.UpsertAsync("GTM", "4", Content("Enfermero", occupation: "2221") with { Wage = new WageRange(4000, 6000, "GTQ", "month") }, Now, Ct);
        await store.UpsertAsync("MEX", "5", Content("Albañil", occupation: "7112"), Now, Ct);
        await store.CloseAsync("MEX", "5", VacancyStatus.Filled, Now, Ct);

        async Task<string[]> Find(VacancyQuery query) =>
            [.. (await store.SearchAsync(query, Ct)).Vacancies.Select(v => v.SourceId).Order(StringComparer.Ordinal)];

        Assert.Equal(["1", "2", "3"], await Find(new VacancyQuery { Countries = ["MEX"] }));
        Assert.Equal(["2", "4"], await Find(new VacancyQuery { OccupationPrefix = "22" }));
        Assert.Equal(["3"], await Find(new VacancyQuery { Text = "enfermeria" }));
        Assert.Equal(["2"], await Find(new VacancyQuery { Text = "general ENFERMERA" }));
        Assert.Equal(["1", "5"], await Find(new VacancyQuery { Text = "ALBAÑIL", Statuses = [] }));
        Assert.Equal(["5"], await Find(new VacancyQuery { Statuses = [VacancyStatus.Filled] }));
        Assert.Equal(["2"], await Find(new VacancyQuery { OriginCountry = "GTM" }));
        Assert.Equal(["1", "2"], await Find(new VacancyQuery { Countries = ["MEX"], FeeFreeOnly = true }));
        Assert.Equal(["4"], await Find(new VacancyQuery { WageCurrency = "GTQ", WageMin = 5000 }));
        Assert.Empty(await Find(new VacancyQuery { WageCurrency = "GTQ", WageMin = 7000 }));
        Assert.Equal(["2"], await Find(new VacancyQuery { ForeignWorkersEligible = true }));
    }

    [Fact]
    public async Task Words_with_filters_find_the_vacancies_that_have_both_wherever_they_lie_and_never_match_a_country_code_or_status()
    {
        var store = CreateStore();
        // The matches of one country lie far behind many newer matches of another.
        await store.UpsertAsync("GTM", "old-1", Content("Cocinero turno nocturno", occupation: "5120"), Now, Ct);
        await store.UpsertAsync("GTM", "old-2", Content("Enfermera turno nocturno", occupation: "2221"), Now, Ct);
        await store.UpsertAsync("GTM", "old-3", Content("Enfermera de día", occupation: "2221"), Now, Ct);
        await store.UpsertAsync("GTM", "old-4", Content("Enfermera turno nocturno", occupation: "2222"), Now, Ct);
        await store.CloseAsync("GTM", "old-4", VacancyStatus.Filled, Now, Ct);
        await store.UpsertAsync([.. Enumerable.Range(0, 120).Select(i => new VacancyWrite("MEX", $"new-{i:D3}", Content("Enfermera turno nocturno", occupation: "2221")))], Now, Ct);
        await store.UpsertAsync("MEX", "word", Content("Vendedor open mex gtm", occupation: "5223"), Now, Ct);

        async Task<string[]> Find(VacancyQuery query) =>
            [.. (await store.SearchAsync(query with { PageSize = 200 }, Ct)).Vacancies.Select(v => v.SourceId).Order(StringComparer.Ordinal)];

        Assert.Equal(["old-1", "old-2"], await Find(new VacancyQuery { Countries = ["GTM"], Text = "turno nocturno" }));
        Assert.Equal(["old-2"], await Find(new VacancyQuery { Countries = ["GTM"], Text = "nocturno", OccupationPrefix = "22" }));
        Assert.Equal(["old-2", "old-3"], await Find(new VacancyQuery { Countries = ["GTM"], Text = "enfermera", OccupationPrefix = "2221" }));
        Assert.Equal(["old-4"], await Find(new VacancyQuery { Countries = ["GTM"], Text = "enfermera", Statuses = [VacancyStatus.Filled] }));
        Assert.Equal(["old-2", "old-3", "old-4"], await Find(new VacancyQuery { Countries = ["GTM", "PAN"], Text = "ENFERMERA", Statuses = [] }));
        Assert.Equal(121, (await Find(new VacancyQuery { Countries = ["MEX", "GTM"], Text = "nocturno", OccupationPrefix = "2" })).Length);
        Assert.Empty(await Find(new VacancyQuery { Countries = ["PAN"], Text = "nocturno" }));
        // A country code or a status given as a word is looked for in title and description only.
        Assert.Equal(["word"], await Find(new VacancyQuery { Text = "mex" }));
        Assert.Equal(["word"], await Find(new VacancyQuery { Text = "gtm open" }));
        Assert.Empty(await Find(new VacancyQuery { Text = "filled" }));
    }

    [Fact]
    public async Task Pages_follow_each_other_without_gap_or_repeat_while_vacancies_are_added()
    {
        var store = CreateStore();
        for (var i = 0; i < 25; i++)
        {
            await store.UpsertAsync("HND", $"S-{i:D2}", Content(), Now, Ct);
        }

        var seen = new List<string>();
        long? after = null;
        var pages = 0;
        do
        {
            var page = await store.SearchAsync(new VacancyQuery { Countries = ["HND"], PageSize = 10, After = after, IncludeTotal = pages == 0 }, Ct);
            if (pages == 0)
            {
                Assert.Equal(25, page.Total);
                await store.UpsertAsync("HND", "late", Content(), Now, Ct);
            }

            seen.AddRange(page.Vacancies.Select(v => v.SourceId));
            after = page.Next;
            pages++;
        }
        while (after is not null);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"S-{i:D2}").Reverse(), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_mirror_resuming_from_its_last_cursor_misses_nothing_and_repeats_nothing()
    {
        var store = CreateStore();
        await store.UpsertAsync("SLV", "a", Content(), Now, Ct);
        await store.UpsertAsync("SLV", "b", Content(), Now, Ct);
        await store.UpsertAsync("DOM", "c", Content(), Now, Ct);

        var snapshot = new List<(long Cursor, Vacancy Vacancy)>();
        await foreach (var item in store.SnapshotAsync("SLV", Ct))
        {
            snapshot.Add(item);
        }

        await store.UpsertAsync("SLV", "a", Content(positions: 7), Now, Ct);
        await store.CloseAsync("SLV", "b", VacancyStatus.Withdrawn, Now, Ct);
        await store.UpsertAsync("SLV", "d", Content(), Now, Ct);
        var cursor = snapshot[0].Cursor;
        var first = await store.ChangesAsync(cursor, "SLV", 2, Ct);
        var rest = await store.ChangesAsync(first[^1].Cursor, "SLV", 100, Ct);

        Assert.Equal(["a", "b"], snapshot.Select(s => s.Vacancy.SourceId));
        Assert.All(snapshot, s => Assert.Equal(cursor, s.Cursor));
        Assert.Equal([("a", 7, "open"), ("b", 2, "withdrawn"), ("d", 2, "open")],
            first.Concat(rest).Select(v => (v.SourceId, v.SourceId == "b" ? v.Version : v.Content.Positions, v.Status)));
        Assert.Empty(await store.ChangesAsync(rest[^1].Cursor, "SLV", 100, Ct));
    }
}
