using Lmis.BuildingBlocks.Errors;
using Lmis.Taxonomy.Import;

namespace Lmis.Taxonomy.Tests.Import;

public sealed class CsvDraftReaderTests
{
    private static FieldError[] Errors(string concepts, string? labels = null) =>
        [.. Assert.Throws<ValidationFailedException>(() => CsvDraftReader.Read("isco08", concepts, labels, null, null)).Errors];

    [Fact]
    public void Quoted_fields_a_byte_order_mark_and_any_column_order_are_read()
    {
        var draft = CsvDraftReader.Read(
            "isco08",
            "\uFEFFparent_code,code\r\n,7\r\n7,71\r\n",
            "code,kind,language,text\n71,preferred,en,\"Building and related trades workers, excluding \"\"electricians\"\"\"\n",
            null,
            null);

        Assert.Equal([("7", null), ("71", "7")], draft.Concepts.Select(c => (c.Code, c.ParentCode)));
        Assert.Equal("Building and related trades workers, excluding \"electricians\"", Assert.Single(draft.Labels).Text);
        Assert.Equal("labels.csv:2:text", draft.Labels[0].Ref.Field("text"));
    }

    [Fact]
    public void A_missing_concepts_file_is_reported()
    {
        var error = Assert.Single(Errors(""));
        Assert.Equal("concepts.csv", error.Field);
    }

    [Fact]
    public void A_wrong_header_is_reported_with_what_was_expected()
    {
        var error = Assert.Single(Errors("code,parent,colour\n7,,red\n"));

        Assert.Equal("concepts.csv:1", error.Field);
        Assert.Contains("unknown parent,colour", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_semicolon_separated_file_is_told_to_use_commas()
    {
        var error = Assert.Single(Errors("code;parent_code\n7;\n"));
        Assert.Contains("the separator must be a comma", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_with_the_wrong_number_of_fields_or_missing_values_are_reported_by_line()
    {
        var errors = Errors("code,parent_code\n7,\n71,7,extra\n,7\n", "code,language,kind,text\n7,en,preferred\n");

        Assert.Equal(["concepts.csv:3", "concepts.csv:4:code", "labels.csv:2"], errors.Select(e => e.Field));
        Assert.Contains("3 fields where the header has 2", errors[0].Reason, StringComparison.Ordinal);
    }
}
