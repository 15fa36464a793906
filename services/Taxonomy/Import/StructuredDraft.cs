using Lmis.Contracts.Taxonomy.V1;

namespace Lmis.Taxonomy.Import;

/// <summary>A scheme version sent as structured concepts (gRPC, or JSON over REST), row by row like the CSV files.</summary>
public static class StructuredDraft
{
    public static SchemeVersionDraft From(ImportSchemeVersionRequest request)
    {
        var concepts = new List<ConceptRow>();
        var labels = new List<LabelRow>();
        var relations = new List<RelationRow>();
        var attributes = new List<AttributeRow>();
        for (var i = 0; i < request.Concepts.Count; i++)
        {
            var input = request.Concepts[i];
            var at = RowRef.Item("concepts", i);
            concepts.Add(new ConceptRow(at, input.Code, input.ParentCode, input.Status, input.ReplacedBy));
            labels.AddRange(input.Labels.Select(l => new LabelRow(at, input.Code, l.Key, "preferred", l.Value)));
            labels.AddRange(input.AlternativeLabels.Select(l => new LabelRow(at, input.Code, l.Language, "alternative", l.Text)));
            labels.AddRange(input.Definitions.Select(l => new LabelRow(at, input.Code, l.Key, "definition", l.Value)));
            relations.AddRange(input.Relations.Select(r => new RelationRow(at, input.Code, r.Relation, r.TargetScheme, r.TargetCode)));
            attributes.AddRange(input.Attributes.Select(a => new AttributeRow(at, input.Code, a.Name, a.Value)));
        }

        return new SchemeVersionDraft(request.Scheme, concepts, labels, relations, attributes, request.Amend);
    }
}
