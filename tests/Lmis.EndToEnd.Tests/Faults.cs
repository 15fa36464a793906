using Grpc.Core;
using Grpc.Net.Client;
using Lmis.Contracts.Audit.V1;
using Lmis.Contracts.Statistics.V1;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// What a fault test counts for one member state: vacancies the answers said were stored, vacancies stored,
/// vacancies counted by the statistics service, and the feed calls in the audit trail.
/// </summary>
public sealed record FaultTally(long Promised, long Stored, long Counted, int CallsStarted, int CallsEnded)
{
    public override string ToString() =>
        $"promised {Promised}, stored {Stored}, counted {Counted}, audited calls {CallsStarted} started / {CallsEnded} ended";
}

/// <summary>The calls a fault test makes on a running stack (the gateway or the standalone host).</summary>
public static class FaultCalls
{
    public static readonly TimeSpan CatchUpDeadline = TimeSpan.FromSeconds(90);

    public static async Task ImportOccupationsAsync(IRunningStack stack, CancellationToken ct)
    {
        using var admin = stack.Grpc(stack.SecretariatKey);
        await new TaxonomyService.TaxonomyServiceClient(admin).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: ct);
    }

    public static PublishVacancyRequest Item(string country, string prefix, int i) => new()
    {
        Vacancy = new Vacancy
        {
            Country = country,
            SourceId = $"{prefix}-{i:D5}",
            Title = "Trabajador agrícola",
            OccupationCode = "6111",
            Positions = 1 + (i % 3),
        },
    };

    /// <summary>A whole feed, completed; returns how many the answer says were created.</summary>
    public static async Task<int> FeedAsync(IRunningStack stack, string key, string country, string prefix, int count, CancellationToken ct)
    {
        using var channel = stack.Grpc(key);
        using var call = new VacanciesService.VacanciesServiceClient(channel).PublishVacancies(cancellationToken: ct);
        for (var i = 0; i < count; i++)
        {
            await call.RequestStream.WriteAsync(Item(country, prefix, i), ct);
        }

        await call.RequestStream.CompleteAsync();
        var answer = await call;
        Assert.Equal(0, answer.Rejected);
        return answer.Created;
    }

    /// <summary>
    /// Starts a feed, sends <paramref name="count"/> items without completing it, runs <paramref name="fault"/>
    /// while the feed is still open, and returns once the call has ended (it cannot succeed).
    /// </summary>
    public static async Task FeedCutShortAsync(IRunningStack stack, string key, string country, string prefix, int count, Func<Task> fault, CancellationToken ct)
    {
        using var channel = stack.Grpc(key);
        using var call = new VacanciesService.VacanciesServiceClient(channel).PublishVacancies(cancellationToken: ct);
        for (var i = 0; i < count; i++)
        {
            await call.RequestStream.WriteAsync(Item(country, prefix, i), ct);
        }

        // Give the service a moment to read and store what was sent (it commits in batches as it reads).
        await Task.Delay(1500, ct);
        await fault();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await call.RequestStream.CompleteAsync();
            await call;
        });
    }

    /// <summary>Waits until the statistics service counts what is stored, then tallies; fails with the tally if it never does.</summary>
    public static async Task<FaultTally> SettledTallyAsync(IRunningStack stack, string country, long promised, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + CatchUpDeadline;
        FaultTally tally;
        do
        {
            tally = await TallyAsync(stack, country, promised, ct);
            if (tally.Counted == tally.Stored && tally.Stored >= promised)
            {
                // Settled: check it stays so (nothing counted twice arrives late).
                await Task.Delay(1000, ct);
                var again = await TallyAsync(stack, country, promised, ct);
                if (again == tally)
                {
                    return tally;
                }
            }

            await Task.Delay(500, ct);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{country}: the statistics never caught up within {CatchUpDeadline.TotalSeconds} s: {tally}\n{stack.Output()}");
        return tally;
    }

    public static async Task<FaultTally> TallyAsync(IRunningStack stack, string country, long promised, CancellationToken ct)
    {
        using var admin = stack.Grpc(stack.SecretariatKey);
        var vacancies = new VacanciesService.VacanciesServiceClient(admin);
        var stored = await vacancies.SearchVacanciesAsync(
            new SearchVacanciesRequest { Country = country, Status = "open", PageSize = 1, IncludeTotal = true }, cancellationToken: ct);
        var counted = await new StatisticsService.StatisticsServiceClient(admin).GetVacancyCountsAsync(
            new GetVacancyCountsRequest { Country = country }, cancellationToken: ct);
        var audit = await AuditOfFeedsAsync(vacancies, country, ct);
        var started = audit.Where(r => r.Outcome == "STARTED").Select(r => r.CallId).ToHashSet();
        var ended = audit.Where(r => r.Outcome != "STARTED" && started.Contains(r.CallId)).Select(r => r.CallId).ToHashSet();
        return new FaultTally(promised, stored.Total, counted.TotalOpenVacancies, started.Count, ended.Count);
    }

    public static async Task<IReadOnlyList<AuditRecord>> AuditOfFeedsAsync(VacanciesService.VacanciesServiceClient vacancies, string country, CancellationToken ct)
    {
        var page = await vacancies.ListAuditRecordsAsync(new ListAuditRecordsRequest { Country = country, PageSize = 1000 }, cancellationToken: ct);
        return [.. page.Records.Where(r => r.Action.EndsWith("/PublishVacancies", StringComparison.Ordinal))];
    }

    public static void Report(string fault, FaultTally tally) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"{fault}: {tally}");
}

/// <summary>The standalone host as its own process, so a test can kill it and start it again on the same data.</summary>
public sealed class KillableStandalone : IRunningStack, IAsyncDisposable
{
    private readonly TempDirectory? _ownData;
    private readonly StackKeys _keys = new();

    private KillableStandalone(TempDirectory? ownData) => _ownData = ownData;

    public ServiceProcess Process { get; private set; } = null!;

    public string HttpUrl => Process.HttpUrl;

    public string GrpcUrl => Process.GrpcUrl;

    public string SecretariatKey => _keys.Secretariat;

    public Task<string> PublisherKeyAsync(string country) => _keys.PublisherAsync(this, country);

    public string Output() => Process.Output(200);

    /// <summary>Starts the standalone host on <paramref name="dataDirectory"/> (a fresh folder when null).</summary>
    public static async Task<KillableStandalone> StartAsync(string? dataDirectory = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var own = dataDirectory is null ? new TempDirectory("killable") : null;
        var standalone = new KillableStandalone(own);
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Lmis__DataDirectory"] = dataDirectory ?? own!.Path,
            ["Lmis__Access__SecretariatKey"] = standalone.SecretariatKey,
            // Frequent readings of the change feed are not what heals a crash here: the reading at start is.
            ["Lmis__Statistics__CatchUpInterval"] = "01:00:00",
        };
        standalone.Process = ServiceProcess.Start("standalone", Repository.Binary("apphost/Lmis.Standalone", "Lmis.Standalone"), environment);
        try
        {
            await standalone.Process.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await standalone.DisposeAsync();
            throw;
        }

        return standalone;
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _ownData?.Dispose();
    }
}

/// <summary>
/// The standalone host killed (SIGKILL) while its in-memory bus still held events, and in the middle of a feed.
/// After it starts again, the statistics service counts exactly what the vacancies service stored, by itself, and
/// every feed — the one cut short too — has its audit entry.
/// </summary>
public sealed class StandaloneCrashTests
{
    [Fact]
    public async Task After_the_standalone_host_is_killed_every_stored_vacancy_is_counted_once_and_every_feed_is_audited()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var standalone = await KillableStandalone.StartAsync();
        await FaultCalls.ImportOccupationsAsync(standalone, ct);
        var mexico = await standalone.PublisherKeyAsync("MEX");

        // A whole feed answered, then the host killed at once: many of its events were still in memory.
        var promised = await FaultCalls.FeedAsync(standalone, mexico, "MEX", "STPS-A", 4_000, ct);
        // A second feed, killed while it is still being sent: what it committed is stored, nothing was promised.
        await FaultCalls.FeedCutShortAsync(standalone, mexico, "MEX", "STPS-B", 3_000,
            () => standalone.Process.RestartAsync(TimeSpan.FromSeconds(60)), ct);

        var tally = await FaultCalls.SettledTallyAsync(standalone, "MEX", promised, ct);
        FaultCalls.Report("standalone killed after a feed and during one", tally);

        using var admin = standalone.Grpc(standalone.SecretariatKey);
        var audit = await FaultCalls.AuditOfFeedsAsync(new VacanciesService.VacanciesServiceClient(admin), "MEX", ct);

        Assert.Equal(4_000, promised);
        Assert.True(tally.Stored >= promised, tally.ToString());
        Assert.Equal(tally.Stored, tally.Counted);
        Assert.Equal(2, tally.CallsStarted);
        Assert.Equal(1, tally.CallsEnded);
        // The answered feed ended OK; the one cut short has only its STARTED entry, naming who sent it.
        Assert.Equal(["OK", "STARTED", "STARTED"], audit.Select(r => r.Outcome).Order(StringComparer.Ordinal));
        Assert.All(audit, r => Assert.Equal("ministry of labour MEX", r.Subject));
    }
}

/// <summary>
/// A distributed stack of its own, on a RabbitMQ node of its own: killing its processes disturbs no other test, and
/// its member states' counts are its tests' alone.
/// </summary>
public sealed class PrivateDistributedStack : IAsyncLifetime
{
    private readonly RabbitMqBroker _broker = new();

    public DistributedStack Stack { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await _broker.InitializeAsync();
        Stack = new DistributedStack(_broker);
        await Stack.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Stack.DisposeAsync();
        await _broker.DisposeAsync();
    }
}

/// <summary>
/// The distributed stack with a process killed in the middle of the flow: the vacancies service, the taxonomy service
/// and the gateway during a feed, the statistics service while its events are queued. Each test uses its own member state, so counts are exact.
/// </summary>
public sealed class ServiceCrashTests(PrivateDistributedStack fixture) : IClassFixture<PrivateDistributedStack>
{
    private readonly DistributedStack _stack = fixture.Stack;

    [Fact]
    public async Task When_the_vacancies_service_is_killed_during_a_feed_what_it_stored_is_counted_and_the_feed_is_audited()
    {
        var tally = await KilledDuringAFeedAsync(_stack.Vacancies, "NIC", "MITRAB");
        FaultCalls.Report("vacancies service killed during a feed", tally);
        Assert.Equal(tally.Stored, tally.Counted);
        Assert.True(tally.Stored >= 500, tally.ToString());
        Assert.Equal(2, tally.CallsStarted);
        Assert.Equal(1, tally.CallsEnded);
    }

    [Fact]
    public async Task When_the_statistics_service_is_killed_while_events_wait_for_it_every_vacancy_is_counted_once()
    {
        _stack.RequireRunning();
        var ct = TestContext.Current.CancellationToken;
        await FaultCalls.ImportOccupationsAsync(_stack, ct);
        var salvador = await _stack.PublisherKeyAsync("SLV");

        var promised = await FaultCalls.FeedAsync(_stack, salvador, "SLV", "MTPS", 3_000, ct);
        await _stack.Statistics.RestartAsync(TimeSpan.FromSeconds(60));
        promised += await FaultCalls.FeedAsync(_stack, salvador, "SLV", "MTPS-2", 500, ct);

        var tally = await FaultCalls.SettledTallyAsync(_stack, "SLV", promised, ct);
        FaultCalls.Report("statistics service killed with events queued", tally);
        Assert.Equal(3_500, tally.Stored);
        Assert.Equal(3_500, tally.Counted);
        Assert.Equal((2, 2), (tally.CallsStarted, tally.CallsEnded));
    }

    [Fact]
    public async Task When_the_taxonomy_service_is_killed_during_a_feed_no_vacancy_is_stored_unchecked_or_lost()
    {
        _stack.RequireRunning();
        var ct = TestContext.Current.CancellationToken;
        var honduras = await _stack.PublisherKeyAsync("HND");
        // A code never looked up before for every item, so each item asks the taxonomy service and none is answered
        // from what the vacancies service remembers.
        // Before the fault the service has checked 6111 and remembers it; 2221 and 7112 it has never checked, so an item
        // coded with them must ask the taxonomy service.
        await FaultCalls.ImportOccupationsAsync(_stack, ct);
        await Task.Delay(1000, ct); // the new version's event makes the service forget what it checked: let it pass first
        static PublishVacancyRequest ItemWithCode(int i)
        {
            var item = FaultCalls.Item("HND", "STSS", i);
            item.Vacancy.OccupationCode = i < 100 || i % 2 == 0 ? "6111" : i % 4 == 1 ? "2221" : "7112";
            return item;
        }

        PublishVacanciesResponse answer;
        using (var channel = _stack.Grpc(honduras))
        using (var call = new VacanciesService.VacanciesServiceClient(channel).PublishVacancies(cancellationToken: ct))
        {
            for (var i = 0; i < 100; i++)
            {
                await call.RequestStream.WriteAsync(ItemWithCode(i), ct);
            }

            await Task.Delay(1500, ct);
            await _stack.Taxonomy.KillAsync();
            for (var i = 100; i < 200; i++)
            {
                await call.RequestStream.WriteAsync(ItemWithCode(i), ct);
            }

            // Let the service read these while the taxonomy is away.
            await Task.Delay(1500, ct);
            await _stack.Taxonomy.StartAgainAsync(TimeSpan.FromSeconds(60));
            for (var i = 200; i < 300; i++)
            {
                await call.RequestStream.WriteAsync(ItemWithCode(i), ct);
            }

            await call.RequestStream.CompleteAsync();
            answer = await call;
        }

        var refused = answer.Results.Where(r => r.Errors.Count > 0).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"taxonomy killed during a feed: sent 300, created {answer.Created}, refused {answer.Rejected} ({string.Join(", ", refused.Select(r => r.Index).Take(5))}...)");
        Assert.Equal(300, answer.Received);
        Assert.Equal(300, answer.Created + answer.Rejected);
        // An item whose code could not be checked while the taxonomy was away waits for it (the call to it is retried
        // for a while) or, if it stays away too long, is refused saying why and that nothing was stored: only those
        // read during the outage with a code not checked before can be, never one the service could check.
        Assert.All(refused, r => Assert.True(r.Index is >= 100 and < 200 && r.Index % 2 == 1, $"item {r.Index} refused"));
        Assert.All(refused, r =>
        {
            Assert.Contains("taxonomy service could not check", r.Errors[0].Reason, StringComparison.Ordinal);
            Assert.Contains("send the vacancy again", r.Errors[0].Reason, StringComparison.Ordinal);
        });

        // The publisher sends the refused ones again, as the answer says, and they are stored.
        using (var channel = _stack.Grpc(honduras))
        using (var call = new VacanciesService.VacanciesServiceClient(channel).PublishVacancies(cancellationToken: ct))
        {
            foreach (var item in refused)
            {
                await call.RequestStream.WriteAsync(ItemWithCode(item.Index), ct);
            }

            await call.RequestStream.CompleteAsync();
            var again = await call;
            Assert.Equal((refused.Count, 0), (again.Created, again.Rejected));
        }

        var tally = await FaultCalls.SettledTallyAsync(_stack, "HND", 300, ct);
        FaultCalls.Report("taxonomy service killed during a feed", tally);
        Assert.Equal((300, 300), (tally.Stored, tally.Counted));
        Assert.Equal((2, 2), (tally.CallsStarted, tally.CallsEnded));
    }

    [Fact]
    public async Task When_the_gateway_is_killed_during_a_feed_what_was_stored_is_counted_and_the_feed_is_audited()
    {
        // The second feed uses the key issued before the crash: the gateway keeps its keys on disk.
        var tally = await KilledDuringAFeedAsync(_stack.Gateway, "CRI", "MTSS");
        FaultCalls.Report("gateway killed during a feed", tally);
        Assert.Equal(500, tally.Promised);
        Assert.Equal(tally.Stored, tally.Counted);
        Assert.True(tally.Stored >= 500, tally.ToString());
        // The vacancies service outlived the gateway, so it saw the cut-short call end and audited how.
        Assert.Equal((2, 2), (tally.CallsStarted, tally.CallsEnded));
    }

    /// <summary>
    /// A feed of 3,000 cut short by killing <paramref name="killed"/> (then started again), then a whole feed of 500
    /// from the same publisher; the tally once the statistics have caught up.
    /// </summary>
    private async Task<FaultTally> KilledDuringAFeedAsync(ServiceProcess killed, string country, string prefix)
    {
        _stack.RequireRunning();
        var ct = TestContext.Current.CancellationToken;
        await FaultCalls.ImportOccupationsAsync(_stack, ct);
        var publisher = await _stack.PublisherKeyAsync(country);

        await FaultCalls.FeedCutShortAsync(_stack, publisher, country, prefix, 3_000, () => killed.RestartAsync(TimeSpan.FromSeconds(60)), ct);
        var promised = await FaultCalls.FeedAsync(_stack, publisher, country, prefix + "-2", 500, ct);
        return await FaultCalls.SettledTallyAsync(_stack, country, promised, ct);
    }
}

/// <summary>
/// A first deployment: the vacancies service is up and publishing before the statistics service has ever run, so
/// its events went to an exchange with no statistics queue behind it — or, worse, before the broker itself was ever
/// reachable, so not even the exchange existed. Once the statistics service starts, it counts every vacancy by
/// itself — no rebuild by hand.
/// </summary>
public sealed class FirstDeploymentTests : IAsyncLifetime
{
    private readonly RabbitMqBroker _broker = new();
    private readonly ServiceProcessSet _processes = new("first-deployment");
    private readonly string _gatewayTokenKey = TestCaller.NewGatewayTokenKey();

    public ValueTask InitializeAsync() => _broker.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await _processes.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Vacancies_published_before_the_statistics_service_first_ran_are_counted_once_it_starts()
    {
        var counted = await FirstDeploymentAsync(brokerUpFromTheStart: true);
        FaultCalls.Report("events published before the statistics queue existed", counted);
        Assert.Equal((300, 300, 300, 1, 1), (counted.Promised, counted.Stored, counted.Counted, counted.CallsStarted, counted.CallsEnded));
    }

    [Fact]
    public async Task Vacancies_published_before_the_broker_was_ever_reachable_are_counted_once_it_and_the_statistics_service_are_up()
    {
        _broker.RequireConnectionString();
        if (!_broker.OwnsNode)
        {
            Assert.Skip("LMIS_TEST_RABBITMQ names a broker these tests cannot stop and start; this test needs the private node.");
        }

        var counted = await FirstDeploymentAsync(brokerUpFromTheStart: false);
        FaultCalls.Report("broker down on the first deployment", counted);
        Assert.Equal((300, 300, 300, 1, 1), (counted.Promised, counted.Stored, counted.Counted, counted.CallsStarted, counted.CallsEnded));
    }

    /// <summary>
    /// Starts the taxonomy and vacancies services (with the broker stopped unless <paramref name="brokerUpFromTheStart"/>),
    /// publishes 300 Guatemalan vacancies, then starts the broker if needed and the statistics service, and waits
    /// until it counts them.
    /// </summary>
    private async Task<FaultTally> FirstDeploymentAsync(bool brokerUpFromTheStart)
    {
        var broker = _broker.RequireConnectionString();
        var ct = TestContext.Current.CancellationToken;
        if (!brokerUpFromTheStart)
        {
            await _broker.StopAsync();
        }

        var shared = _processes.Shared(broker, _gatewayTokenKey);
        var taxonomy = _processes.Start("taxonomy", "services/Taxonomy", "Lmis.Taxonomy", shared);
        var vacancies = _processes.Start("vacancies", "services/Vacancies", "Lmis.Vacancies",
            new Dictionary<string, string>(shared) { ["services__taxonomy__grpc__0"] = taxonomy.GrpcUrl });
        await Task.WhenAll(taxonomy.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)), vacancies.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)));
        using var taxonomyChannel = TestCaller.Secretariat.ChannelTo(taxonomy.GrpcUrl, _gatewayTokenKey);
        using var vacanciesChannel = TestCaller.Publisher("GTM").ChannelTo(vacancies.GrpcUrl, _gatewayTokenKey);
        var vacanciesClient = new VacanciesService.VacanciesServiceClient(vacanciesChannel);
        await new TaxonomyService.TaxonomyServiceClient(taxonomyChannel).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: ct);
        int created;
        using (var call = vacanciesClient.PublishVacancies(cancellationToken: ct))
        {
            for (var i = 0; i < 300; i++)
            {
                await call.RequestStream.WriteAsync(FaultCalls.Item("GTM", "MINTRAB", i), ct);
            }

            await call.RequestStream.CompleteAsync();
            created = (await call).Created;
        }

        if (brokerUpFromTheStart)
        {
            // Let the outbox hand every event to the broker, where no statistics queue takes them.
            await Task.Delay(2000, ct);
        }
        else
        {
            // The events wait in the outbox while the broker is away; some time passes before it is reachable.
            await Task.Delay(3000, ct);
            await _broker.StartAgainAsync();
        }

        var statistics = _processes.Start("statistics", "services/Statistics", "Lmis.Statistics",
            new Dictionary<string, string>(shared) { ["services__vacancies__grpc__0"] = vacancies.GrpcUrl, ["services__taxonomy__grpc__0"] = taxonomy.GrpcUrl });
        await statistics.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using var statisticsChannel = GrpcChannel.ForAddress(statistics.GrpcUrl);
        var counts = new StatisticsService.StatisticsServiceClient(statisticsChannel);

        var deadline = DateTime.UtcNow + FaultCalls.CatchUpDeadline;
        GetVacancyCountsResponse counted;
        do
        {
            counted = await counts.GetVacancyCountsAsync(new GetVacancyCountsRequest { Country = "GTM" }, cancellationToken: ct);
            if (counted.TotalOpenVacancies >= 300)
            {
                // Settled: nothing counted twice arrives late.
                await Task.Delay(2000, ct);
                counted = await counts.GetVacancyCountsAsync(new GetVacancyCountsRequest { Country = "GTM" }, cancellationToken: ct);
                break;
            }

            await Task.Delay(250, ct);
        }
        while (DateTime.UtcNow < deadline);

        using var secretariatChannel = TestCaller.Secretariat.ChannelTo(vacancies.GrpcUrl, _gatewayTokenKey);
        var secretariat = new VacanciesService.VacanciesServiceClient(secretariatChannel);
        var stored = await secretariat.SearchVacanciesAsync(
            new SearchVacanciesRequest { Country = "GTM", Status = "open", PageSize = 1, IncludeTotal = true }, cancellationToken: ct);
        var audit = await FaultCalls.AuditOfFeedsAsync(secretariat, "GTM", ct);
        Assert.Equal(600, counted.TotalOpenPositions);
        return new FaultTally(created, stored.Total, counted.TotalOpenVacancies,
            audit.Count(r => r.Outcome == "STARTED"), audit.Count(r => r.Outcome != "STARTED"));
    }
}

/// <summary>
/// The disk under the standalone host's data fills up (a small tmpfs made by the test). Every write is refused in
/// the caller's protocol — UNAVAILABLE / 503 with Retry-After, saying the storage is full — nothing stored is lost,
/// <c>/health</c> says what is wrong, and writes work again once there is room.
/// </summary>
public sealed class DiskFullTests
{
    [Fact]
    public async Task On_a_full_disk_writes_are_refused_saying_so_health_reports_it_and_nothing_stored_is_lost()
    {
        var ct = TestContext.Current.CancellationToken;
        using var mount = SmallDisk.TryMount(megabytes: 48);
        if (mount.Unavailable is { } why)
        {
            Assert.Skip(why);
        }

        await using var standalone = await KillableStandalone.StartAsync(
            mount.Path, new Dictionary<string, string> { ["Lmis__Storage__MinimumFreeBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await FaultCalls.ImportOccupationsAsync(standalone, ct);
        var mexico = await standalone.PublisherKeyAsync("MEX");
        var promised = await FaultCalls.FeedAsync(standalone, mexico, "MEX", "STPS", 200, ct);
        var before = await FaultCalls.SettledTallyAsync(standalone, "MEX", promised, ct);

        mount.Fill();
        using var http = standalone.Http(mexico);
        using var rest = await http.PostAsync("/api/v1/vacancies", new StringContent(
            """{"country":"MEX","sourceId":"STPS-FULL-1","title":"Albañil","occupationCode":"7112"}""", System.Text.Encoding.UTF8, "application/json"), ct);
        var restBody = await rest.Content.ReadAsStringAsync(ct);
        using var channel = standalone.Grpc(mexico);
        var grpc = await Assert.ThrowsAsync<RpcException>(async () => await new VacanciesService.VacanciesServiceClient(channel)
            .PublishVacancyAsync(FaultCalls.Item("MEX", "STPS-FULL", 2), cancellationToken: ct));
        using var anonymous = standalone.Http();
        using var health = await anonymous.GetAsync("/health", ct);
        var healthBody = await health.Content.ReadAsStringAsync(ct);
        var during = await FaultCalls.TallyAsync(standalone, "MEX", promised, ct);

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, rest.StatusCode);
        Assert.Contains("storage is full", restBody, StringComparison.Ordinal);
        Assert.Equal("application/problem+json", rest.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(rest.Headers.RetryAfter);
        Assert.Equal(StatusCode.Unavailable, grpc.StatusCode);
        Assert.Contains("storage is full", grpc.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal((200, 200), (before.Stored, before.Counted));
        Assert.Equal((200L, 200L), (during.Stored, during.Counted));

        mount.Free();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        System.Net.HttpStatusCode again;
        do
        {
            using var probe = await anonymous.GetAsync("/health", ct);
            again = probe.StatusCode;
            if (again == System.Net.HttpStatusCode.OK)
            {
                break;
            }

            await Task.Delay(500, ct);
        }
        while (DateTime.UtcNow < deadline);

        using var retried = await http.PostAsync("/api/v1/vacancies", new StringContent(
            """{"country":"MEX","sourceId":"STPS-FULL-1","title":"Albañil","occupationCode":"7112"}""", System.Text.Encoding.UTF8, "application/json"), ct);
        var after = await FaultCalls.SettledTallyAsync(standalone, "MEX", promised + 1, ct);
        FaultCalls.Report("disk full: 2 writes refused, then room again and 1 write", after);
        Assert.Equal(System.Net.HttpStatusCode.OK, again);
        Assert.True(retried.IsSuccessStatusCode, await retried.Content.ReadAsStringAsync(ct));
        Assert.Equal((201L, 201L), (after.Stored, after.Counted));
        Assert.Contains("Storage is full or nearly so", healthBody, StringComparison.Ordinal);
    }

    /// <summary>A tmpfs of a few megabytes, mounted for one test (needs root; otherwise the test says why it skipped).</summary>
    private sealed class SmallDisk : IDisposable
    {
        private SmallDisk(string path, string? unavailable)
        {
            Path = path;
            Unavailable = unavailable;
        }

        public string Path { get; }

        public string? Unavailable { get; }

        private string Filler => System.IO.Path.Combine(Path, "filler.bin");

        public static SmallDisk TryMount(int megabytes)
        {
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lmis-full-{Guid.NewGuid():N}"[..30]);
            Directory.CreateDirectory(path);
            var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
            if (code != 0 && Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException($"A tmpfs could not be mounted for the disk-full test: {output}");
            }

            return new SmallDisk(path, code == 0 ? null : $"A small tmpfs could not be mounted (needs root): {output.Trim()}");
        }

        /// <summary>Writes a file until the disk has no room left.</summary>
        public void Fill()
        {
            using var file = new FileStream(Filler, FileMode.Create, FileAccess.Write);
            var block = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    file.Write(block);
                    file.Flush();
                }
            }
            catch (IOException)
            {
                // Full.
            }

            try
            {
                // Whatever partial block is left, so not even a page fits.
                for (var i = 0; i < 16; i++)
                {
                    file.Write(block, 0, 4096);
                    file.Flush();
                }
            }
            catch (IOException)
            {
            }
        }

        public void Free() => File.Delete(Filler);

        public void Dispose()
        {
            if (Unavailable is null)
            {
                Run("umount", "-l", Path);
            }

            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static (int Code, string Output) Run(string command, params string[] arguments)
        {
            var start = new System.Diagnostics.ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            try
            {
                using var process = System.Diagnostics.Process.Start(start)!;
                var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                return (process.ExitCode, output);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return (-1, e.Message);
            }
        }
    }
}
