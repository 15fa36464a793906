using System.Globalization;
using Lmis.Contracts.Events;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Storage;

namespace Lmis.Statistics.Datasets;

/// <summary>
/// What saving a batch of one dataflow decides, whichever store keeps it: an observation new to LMIS is added, one
/// that says something else than the value held (value or attributes) is revised, one that says the same is left
/// alone; and the events that announce the save — <see cref="DatasetPublished"/> for the new ones (with the periods
/// they span), <see cref="ObservationsRevised"/> for the revised series. A store reads what it holds, asks
/// <see cref="Decide"/>, writes, and reports each outcome it made durable.
/// </summary>
public sealed class ObservationSaveTally(DataStructure structure, IReadOnlyList<Observation> observations)
{
    private readonly SortedSet<string> _revisedSeries = new(StringComparer.Ordinal);
    private TimePeriod? _first;
    private TimePeriod? _last;

    public int Added { get; private set; }

    public int Revised { get; private set; }

    public int Unchanged { get; private set; }

    /// <summary>What a save does to an observation given what is held for its series and period (nothing: null).</summary>
    public static ObservationSaveOutcome Decide(Observation observation, StoredObservation? held) =>
        held is null ? ObservationSaveOutcome.Add
        : held.Value == observation.Value?.ToString(CultureInfo.InvariantCulture) && held.Attributes.SequenceEqual(observation.Attributes)
            ? ObservationSaveOutcome.Leave
        : ObservationSaveOutcome.Revise;

    /// <summary>Counts an outcome the store made durable.</summary>
    public void Record(Observation observation, ObservationSaveOutcome outcome)
    {
        switch (outcome)
        {
            case ObservationSaveOutcome.Add:
                Added++;
                _first = _first is { } first && first <= observation.Period ? first : observation.Period;
                _last = _last is { } last && last >= observation.Period ? last : observation.Period;
                break;
            case ObservationSaveOutcome.Revise:
                Revised++;
                _revisedSeries.Add(observation.SeriesKey);
                break;
            default:
                Unchanged++;
                break;
        }
    }

    /// <summary>The events announcing the save, to be written with it (outbox).</summary>
    public IReadOnlyList<IIntegrationEvent> Events(DateTimeOffset at)
    {
        var dataflow = structure.Reference.ToString();
        var country = observations.Count > 0 ? ReportingArea(observations[0]) : string.Empty;
        var events = new List<IIntegrationEvent>();
        if (Added > 0)
        {
            events.Add(new DatasetPublished(Guid.CreateVersion7(), at, dataflow, country, Added, _first!.Value.ToString(), _last!.Value.ToString()));
        }

        if (Revised > 0)
        {
            events.Add(new ObservationsRevised(Guid.CreateVersion7(), at, dataflow, country, Revised, [.. _revisedSeries]));
        }

        return events;
    }

    public ObservationsSaved Saved => new(Added, Revised, Unchanged, [.. _revisedSeries]);

    /// <summary>The reporting member state: REF_AREA, the first dimension of every dataflow of the region.</summary>
    public static string ReportingArea(Observation observation) => observation.Key[0];
}

/// <summary>What a save does to one observation.</summary>
public enum ObservationSaveOutcome
{
    /// <summary>New to LMIS: added.</summary>
    Add,

    /// <summary>Says something else than the value held: the held one is kept as a vintage, this one becomes the latest.</summary>
    Revise,

    /// <summary>Says the same as the value held: nothing is written.</summary>
    Leave,
}

/// <summary>
/// The value a store holds for one series and period, as written (5.10 is not 5.1: an office that writes another
/// figure has revised it), and its attributes.
/// </summary>
public sealed record StoredObservation(string? Value, IReadOnlyList<string?> Attributes);
