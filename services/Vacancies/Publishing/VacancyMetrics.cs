using System.Diagnostics.Metrics;
using Lmis.BuildingBlocks.Errors;

namespace Lmis.Vacancies.Publishing;

/// <summary>
/// What an operator watches of publishing, per member state (<c>country</c>, the publisher's ISO alpha-3 code):
/// vacancies received and refused (with the <c>reason</c> class), and feed items read — their rate is the feed
/// rows per second. Meter <c>Lmis.Vacancies</c>.
/// </summary>
public sealed class VacancyMetrics
{
    public const string MeterName = "Lmis.Vacancies";

    /// <summary>The refusal classes: the rules, another member state's vacancy, an unreadable item, the taxonomy away.</summary>
    public const string Invalid = "invalid";
    public const string OtherMemberState = "other_member_state";
    public const string Unreadable = "unreadable";
    public const string TaxonomyUnavailable = "taxonomy_unavailable";

    private readonly Counter<long> _received;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _feedItems;

    public VacancyMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>(
            "lmis.vacancies.received", "{vacancy}", "Vacancies a member state sent, whether stored, unchanged or refused.");
        _refused = meter.CreateCounter<long>(
            "lmis.vacancies.refused", "{vacancy}", "Vacancies refused, by reason: invalid, other_member_state, unreadable, taxonomy_unavailable.");
        _feedItems = meter.CreateCounter<long>(
            "lmis.vacancies.feed.items", "{item}", "Items read from vacancy feeds (gRPC streams and CSV uploads); its rate is the feed rows per second.");
    }

    public void Received(string country, int count = 1) =>
        _received.Add(count, new KeyValuePair<string, object?>("country", country));

    public void Refused(string country, string reason) =>
        _refused.Add(1, new KeyValuePair<string, object?>("country", country), new KeyValuePair<string, object?>("reason", reason));

    public void FeedItemRead(string country) =>
        _feedItems.Add(1, new KeyValuePair<string, object?>("country", country));

    /// <summary>The refusal class of what publishing a single vacancy threw; null when it is no refusal of the vacancy.</summary>
    public static string? ReasonOf(Exception exception) => exception switch
    {
        ValidationFailedException => Invalid,
        AccessDeniedException => OtherMemberState,
        DependencyUnavailableException => TaxonomyUnavailable,
        _ => null,
    };
}
