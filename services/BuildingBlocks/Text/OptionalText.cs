namespace Lmis.BuildingBlocks.Text;

/// <summary>Optional text fields: a value that is empty or only white space was not given.</summary>
public static class OptionalText
{
    /// <summary>The value without surrounding white space, or null when nothing else is left.</summary>
    public static string? TrimmedOrNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The value exactly as given, or null when it is empty or only white space.</summary>
    public static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
