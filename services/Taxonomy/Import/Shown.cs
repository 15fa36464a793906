using Lmis.BuildingBlocks.Errors;

namespace Lmis.Taxonomy.Import;

/// <summary>Values as a refusal quotes them: enough to find the row, never the whole of an enormous field sent back.</summary>
public static class Shown
{
    public const int MaxValueLength = 80;

    public static FieldError Briefly(FieldError error) =>
        error.Value is { Length: > MaxValueLength } value ? error with { Value = value[..MaxValueLength] + "…" } : error;
}
