namespace Lmis.Statistics.Sdmx.Messages;

/// <summary>How coded values are shown in a message that can carry names (SDMX-CSV's <c>labels</c>).</summary>
public enum Labels
{
    /// <summary>Codes only: <c>SEX_F</c>.</summary>
    Id,

    /// <summary>Code and name: <c>SEX_F: Female</c>.</summary>
    Both,

    /// <summary>Names only: <c>Female</c>.</summary>
    Name,
}

/// <summary>How much of the data a message holds (SDMX REST's <c>detail</c> for data).</summary>
public enum DataDetail
{
    /// <summary>Series keys, observations and attributes.</summary>
    Full,

    /// <summary>Series keys and observation values, no attributes.</summary>
    DataOnly,

    /// <summary>Series keys only: which series there are.</summary>
    SeriesKeysOnly,

    /// <summary>Series keys and attributes, no observations.</summary>
    NoData,
}

/// <summary>
/// What shapes a data message beyond its observations, as an SDMX REST data query asks for it.
/// </summary>
/// <param name="Labels">Codes, names, or both (SDMX-CSV).</param>
/// <param name="Detail">How much of the data to write.</param>
/// <param name="DimensionAtObservation">
/// <c>TIME_PERIOD</c> (series of observations over time, the default), <c>AllDimensions</c> (a flat list of
/// observations), or another dimension's id.
/// </param>
/// <param name="IncludeHistory">
/// The observations come with their <see cref="Observation.Vintage"/>, ordered by vintage first: each run of one
/// vintage is written as a data set of its own, valid from when it was recorded until it was superseded.
/// </param>
/// <param name="Prepared">When the message was prepared; now when null.</param>
/// <param name="Sender">The sender's id: the region.</param>
/// <param name="Language">The language of names (en, es, fr).</param>
public sealed record DataMessageOptions(
    Labels Labels = Labels.Id,
    DataDetail Detail = DataDetail.Full,
    string DimensionAtObservation = DataStructure.TimeDimension,
    bool IncludeHistory = false,
    DateTimeOffset? Prepared = null,
    string Sender = BuiltInDataflows.Agency,
    string Language = "en")
{
    public const string AllDimensions = "AllDimensions";

    public static DataMessageOptions Default { get; } = new();
}
