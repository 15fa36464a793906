using Lmis.Statistics.Sdmx.Mappings;

namespace Lmis.Statistics.Sdmx;

/// <summary>
/// An upload read row by row into observations of one dataflow, whatever it is written in (SDMX-CSV or SDMX-ML): each
/// row checked by the same rules, refused rows with their errors by line.
/// </summary>
public interface IObservationReader
{
    /// <summary>The region's dataflow the rows are for, once known.</summary>
    DataStructure? Structure { get; }

    /// <summary>The dataflow reference the file names, as written (another agency's when read through a mapping).</summary>
    string? Named { get; }

    /// <summary>The mapping the file is read through, when it names another agency's dataflow.</summary>
    SourceMapping? Mapping { get; }

    /// <summary>
    /// True when reading stopped at a fault that leaves the rest of the file unread (XML that is not well-formed): the
    /// rows read before it are not to be stored either, as far as they are not stored already.
    /// </summary>
    bool Stopped { get; }

    /// <summary>The classification codes the valid rows use, by kind, for the caller to check.</summary>
    IReadOnlyDictionary<string, IReadOnlySet<string>> CodesToCheck { get; }

    IAsyncEnumerable<SdmxRow> ReadAsync(CancellationToken cancellationToken = default);
}
