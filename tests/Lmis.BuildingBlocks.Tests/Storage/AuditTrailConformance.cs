using Lmis.BuildingBlocks.Audit;

namespace Lmis.BuildingBlocks.Tests.Storage;

/// <summary>
/// What every audit trail must do, whichever database holds it: entries come back newest first, exactly as written
/// (absent country, address and summary included), a page at a time from a stable position, filtered by country,
/// subject and time; the two entries of one write call share its call id.
/// </summary>
public abstract class AuditTrailConformance
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, 125, TimeSpan.Zero);

    protected abstract AuditTrail CreateTrail();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditEntry Entry(int minutes, string? country, string subject = "vacancy", string outcome = "OK", string? summary = "1 vacancy") => new(
        Guid.NewGuid(), Start.AddMinutes(minutes), "vacancies", "PublishVacancy", subject, "key_mex", "publisher",
        country, country is null ? null : "10.0.0.7", outcome, summary);

    [Fact]
    public async Task Entries_come_back_newest_first_exactly_as_written_and_a_call_keeps_its_two_entries_together()
    {
        var trail = CreateTrail();
        var started = Entry(0, "MEX", outcome: "STARTED", summary: null);
        var ended = Entry(0, "MEX") with { Call = started.Id };
        var anonymous = Entry(1, null, summary: null);
        foreach (var entry in new[] { started, ended, anonymous })
        {
            await trail.AppendAsync(entry, Ct);
        }

        var (entries, next) = await trail.ReadAsync(new AuditQuery(null, null, null, 10, null), Ct);

        Assert.Equal([anonymous, ended, started], entries);
        Assert.Equal(started.Id, entries[1].Call);
        Assert.Null(next);
    }

    [Fact]
    public async Task Pages_follow_each_other_without_gap_or_repeat_even_when_entries_are_appended_between_them()
    {
        var trail = CreateTrail();
        var written = Enumerable.Range(0, 7).Select(i => Entry(i, "PAN")).ToArray();
        foreach (var entry in written)
        {
            await trail.AppendAsync(entry, Ct);
        }

        var read = new List<AuditEntry>();
        long? after = null;
        var pages = 0;
        do
        {
            var (entries, next) = await trail.ReadAsync(new AuditQuery(null, null, null, 3, after), Ct);
            read.AddRange(entries);
            after = next;
            pages++;
            if (pages == 1)
            {
                // A write landing between two pages is on no later page: pages go back in time.
                await trail.AppendAsync(Entry(60, "PAN"), Ct);
            }
        }
        while (after is not null);

        Assert.Equal(3, pages);
        Assert.Equal(written.Reverse(), read);
    }

    [Fact]
    public async Task Entries_are_filtered_by_country_subject_and_time()
    {
        var trail = CreateTrail();
        var mexicoEarly = Entry(0, "MEX", subject: "vacancy");
        var panama = Entry(10, "PAN", subject: "vacancy");
        var mexicoDataset = Entry(20, "MEX", subject: "dataset");
        var mexicoLate = Entry(30, "MEX", subject: "vacancy");
        foreach (var entry in new[] { mexicoEarly, panama, mexicoDataset, mexicoLate })
        {
            await trail.AppendAsync(entry, Ct);
        }

        async Task<IEnumerable<Guid>> Read(string? country, string? subject, DateTimeOffset? since) =>
            (await trail.ReadAsync(new AuditQuery(country, subject, since, 10, null), Ct)).Entries.Select(e => e.Id);

        Assert.Equal([mexicoLate.Id, mexicoDataset.Id, mexicoEarly.Id], await Read("MEX", null, null));
        Assert.Equal([mexicoLate.Id, mexicoEarly.Id], await Read("MEX", "vacancy", null));
        Assert.Equal([mexicoLate.Id, mexicoDataset.Id], await Read("MEX", null, Start.AddMinutes(20)));
        Assert.Equal([panama.Id], await Read("PAN", "vacancy", Start));
        Assert.Empty(await Read("GTM", null, null));
    }
}
