using System.Text.Json;
using Lmis.BuildingBlocks.Errors;

namespace Lmis.BuildingBlocks.Tests.Errors;

public sealed class FieldErrorShapesTests
{
    private static readonly FieldError[] Errors =
    [
        new("occupation_code", "9999", "not an ISCO-08 occupation known to the taxonomy"),
        new("title", new string('a', 301), "at most 300 characters, got 301"),
        new("source_id", null, "required"),
        new("labels.csv:4:text", string.Empty, "1 to 500 characters"),
    ];

    [Fact]
    public void A_problem_lists_field_value_and_reason_apart_with_a_long_value_shortened_and_no_value_as_null()
    {
        var json = FieldErrorShapes.ToProblemErrors(Errors).ToJsonString();

        Assert.Equal(
            """[{"field":"occupation_code","value":"9999","reason":"not an ISCO-08 occupation known to the taxonomy"},"""
            + $$"""{"field":"title","value":"{{new string('a', 80)}}\u2026","reason":"at most 300 characters, got 301"},"""
            + """{"field":"source_id","value":null,"reason":"required"},"""
            + """{"field":"labels.csv:4:text","value":"","reason":"1 to 500 characters"}]""",
            json);
    }

    [Fact]
    public void The_grpc_detail_gives_back_the_same_errors_as_shown_and_tells_no_value_from_an_empty_one()
    {
        var detail = FieldErrorShapes.ToDetail(Errors);
        var read = FieldErrorShapes.FromDetail(Contracts.Errors.V1.FieldErrors.Parser.ParseFrom(Google.Protobuf.MessageExtensions.ToByteArray(detail)));

        Assert.Equal(Errors.Select(e => e with { Value = e.ShownValue }), read);
        Assert.Equal("'" + new string('a', 80) + "…': at most 300 characters, got 301", Errors[1].Description);
        Assert.Equal("required", Errors[2].Description);
    }

    [Fact]
    public void A_validation_problem_carries_the_same_errors()
    {
        var problem = new ValidationFailedException("Vacancy", Errors).ToProblem();

        var extensions = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>(problem).ProblemDetails.Extensions;
        Assert.Equal(FieldErrorShapes.ToProblemErrors(Errors).ToJsonString(), JsonSerializer.Serialize(extensions["errors"]));
    }
}
