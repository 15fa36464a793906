using Lmis.BuildingBlocks.Text;

namespace Lmis.BuildingBlocks.Tests.Text;

public sealed class CsvQuotesTests
{
    [Theory]
    [InlineData("HN,X,\"Albañil,7112\nHN,Y,Cocinero,5120\n", 1, 6, CsvQuotes.Problem.NeverClosed)]
    [InlineData("HN,X,Albañil,\"7112\r\nHN,Y,Cocinero,5120", 1, 14, CsvQuotes.Problem.NeverClosed)]
    [InlineData("HN,X,\"Alba\"ñil\",7112", 1, 6, CsvQuotes.Problem.ClosedEarly)]
    [InlineData("HN,X,\"Enfermera\nturno noche,7112\nHN,Y,\"Cocinero\",5120", 1, 6, CsvQuotes.Problem.ClosedEarly)]
    [InlineData("HN,\"a\nb\",\"c", 2, 4, CsvQuotes.Problem.NeverClosed)]
    [InlineData("HN,X,Alba\"ñil,2221", 1, 10, CsvQuotes.Problem.InUnquotedValue)]
    public void A_misplaced_quote_is_found_where_it_is(string raw, int line, int column, CsvQuotes.Problem problem) =>
        Assert.Equal((line, column, problem), CsvQuotes.Find(raw));

    [Theory]
    [InlineData("HN,X,\"Enfermera, turno noche\",2221\n")]
    [InlineData("HN,X,\"dice \"\"hola\"\"\",2221")]
    [InlineData("HN,X,\"dos\nlíneas\",2221\r\n")]
    [InlineData("HN,X, \"Albañil\" ,2221")]
    [InlineData("")]
    public void Quotes_placed_as_rfc_4180_says_are_not_reported(string raw) =>
        Assert.Null(CsvQuotes.Find(raw));
}
