using Lmis.BuildingBlocks.Text;

namespace Lmis.BuildingBlocks.Tests.Text;

public sealed class CsvLinesTests
{
    [Theory]
    [InlineData("HN,X,\"Albañil,7112\nHN,Y,Cocinero,5120\n", 1, 6)]
    [InlineData("HN,X,Albañil,\"7112\r\nHN,Y,Cocinero,5120", 1, 14)]
    [InlineData("HN,X,\"Alba\"ñil\",7112", 1, 6)]
    [InlineData("HN,X,\"Enfermera\nturno noche,7112\nHN,Y,\"Cocinero\",5120", 1, 6)]
    [InlineData("HN,\"a\nb\",\"c", 2, 4)]
    public void A_quote_that_does_not_close_is_found_where_it_opened(string raw, int line, int column) =>
        Assert.Equal((line, column), CsvLines.UnclosedQuote(raw));

    [Theory]
    [InlineData("HN,X,\"Enfermera, turno noche\",2221\n")]
    [InlineData("HN,X,\"dice \"\"hola\"\"\",2221")]
    [InlineData("HN,X,\"dos\nlíneas\",2221\r\n")]
    [InlineData("HN,X,Alba\"ñil,2221")]
    [InlineData("")]
    public void Quotes_that_close_as_rfc_4180_says_are_not_reported(string raw) =>
        Assert.Null(CsvLines.UnclosedQuote(raw));
}
