using Lmis.BuildingBlocks.Errors;

namespace Lmis.Statistics.Sdmx;

/// <summary>
/// The errors found in one row, each named by its line and column (<c>line 7, OBS_VALUE</c>); starts with those a
/// mapping found while translating the row, if any.
/// </summary>
internal sealed class RowFaults(int line, string[] header, List<FieldError>? errors)
{
    /// <summary>Every error so far, or null when the row has none.</summary>
    public List<FieldError>? Errors { get; private set; } = errors;

    public void Add(int column, string? value, string reason) => Add(header[column], value, reason);

    /// <summary>An error for a column the file does not have, named by its id.</summary>
    public void Add(string columnName, string? value, string reason) =>
        (Errors ??= []).Add(new FieldError($"line {line}, {columnName}", value, reason));
}
