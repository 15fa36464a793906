using System.Runtime.CompilerServices;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Storage;

namespace Lmis.Vacancies.ChangeFeed;

/// <summary>
/// The change feed mirrors follow (JobTech JobStream is the model): a snapshot of every open vacancy with the
/// cursor of its moment, then every change after a cursor, in change order, each vacancy as it is now. Resuming
/// after the last cursor received misses nothing and repeats nothing, however long the mirror was away.
/// </summary>
public sealed class VacancyChangeFeed(IVacancyStore store, Region region, TimeProvider time)
{
    private const int Page = 500;
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(250);

    public IAsyncEnumerable<(long Cursor, Vacancy Vacancy)> SnapshotAsync(string? country, CancellationToken cancellationToken) =>
        store.SnapshotAsync(Country(country), cancellationToken);

    public async IAsyncEnumerable<Vacancy> ChangesAsync(
        long after, string? country, bool follow, int maxChanges, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var alpha3 = Country(country);
        var sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var want = maxChanges > 0 ? Math.Min(Page, maxChanges - sent) : Page;
            var changes = await store.ChangesAsync(after, alpha3, want, cancellationToken);
            foreach (var vacancy in changes)
            {
                yield return vacancy;
                after = vacancy.Cursor;
                sent++;
            }

            if (maxChanges > 0 && sent >= maxChanges)
            {
                yield break;
            }

            if (changes.Count < want)
            {
                if (!follow)
                {
                    yield break;
                }

                await Task.Delay(FollowPoll, time, cancellationToken);
            }
        }
    }

    private string? Country(string? code) => region.MemberFilter(code, "Change feed");
}
