using System.Globalization;

namespace Lmis.Taxonomy.Import;

/// <summary>
/// Where a submitted row came from, so an error can point at it: a CSV file and line (reported as
/// <c>labels.csv:12:text</c>), or an item of a structured request (<c>concepts[3].parent_code</c>).
/// </summary>
public sealed record RowRef(string Source, int Position, bool IsFile)
{
    public static RowRef Line(string file, int line) => new(file, line, true);

    public static RowRef Item(string list, int index) => new(list, index, false);

    public string Field(string column) => IsFile
        ? string.Create(CultureInfo.InvariantCulture, $"{Source}:{Position}:{column}")
        : string.Create(CultureInfo.InvariantCulture, $"{Source}[{Position}].{column}");
}

public sealed record ConceptRow(RowRef Ref, string Code, string? ParentCode, string? Status, string? ReplacedBy);

public sealed record LabelRow(RowRef Ref, string Code, string Language, string Kind, string Text);

public sealed record RelationRow(RowRef Ref, string Code, string Relation, string TargetScheme, string TargetCode);

public sealed record AttributeRow(RowRef Ref, string Code, string Name, string Value);

/// <summary>
/// A scheme version as submitted, row by row, before any check: concepts, their labels, their relations to other
/// schemes (crosswalks, skills) and their attributes. A complete version lists every concept; an amendment lists
/// only the concepts it adds or changes, and every other concept of the latest version carries over unchanged.
/// </summary>
public sealed record SchemeVersionDraft(
    string Scheme,
    IReadOnlyList<ConceptRow> Concepts,
    IReadOnlyList<LabelRow> Labels,
    IReadOnlyList<RelationRow> Relations,
    IReadOnlyList<AttributeRow> Attributes,
    bool Amend = false);
