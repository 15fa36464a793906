using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Messages;
using Lmis.Statistics.Sdmx.Rest;
using Microsoft.Extensions.Primitives;

namespace Lmis.Statistics.Tests.Sdmx.Messages;

public sealed class DataMessageFormatsTests
{
    [Theory]
    [InlineData(null, "SDMX-CSV 2.0.0")]
    [InlineData("*/*", "SDMX-CSV 2.0.0")]
    [InlineData("application/vnd.sdmx.data+csv", "SDMX-CSV 2.0.0")]
    [InlineData("application/vnd.sdmx.data+csv;version=2.0.0", "SDMX-CSV 2.0.0")]
    [InlineData("application/vnd.sdmx.data+csv;version=1.0.0", "SDMX-CSV 1.0.0")]
    [InlineData("application/vnd.sdmx.data+csv; version=1.0.0; labels=both", "SDMX-CSV 1.0.0")]
    [InlineData("application/vnd.sdmx.data+json;version=2.0.0", "SDMX-JSON 2.0.0")]
    [InlineData("application/xml", "SDMX-ML 2.1 StructureSpecificData")]
    [InlineData("text/xml", "SDMX-ML 2.1 StructureSpecificData")]
    [InlineData("application/vnd.sdmx.structurespecificdata+xml;version=2.1", "SDMX-ML 2.1 StructureSpecificData")]
    [InlineData("application/vnd.sdmx.genericdata+xml;version=2.1", "SDMX-ML 2.1 GenericData")]
    public void Accept_chooses_the_message_and_its_version(string? accept, string expected)
    {
        var choice = SdmxNegotiation.Choose(DataMessageFormats.Offered, null, accept is null ? StringValues.Empty : new StringValues(accept), out var problem);

        Assert.Equal(expected, choice?.Kind.Name ?? problem);
    }

    [Theory]
    [InlineData("jsondata", "SDMX-JSON 2.0.0", Labels.Id)]
    [InlineData("csvfile", "SDMX-CSV 2.0.0", Labels.Id)]
    [InlineData("csvfilewithlabels", "SDMX-CSV 2.0.0 with labels", Labels.Both)]
    [InlineData("structurespecificdata", "SDMX-ML 2.1 StructureSpecificData", Labels.Id)]
    [InlineData("xml", "SDMX-ML 2.1 StructureSpecificData", Labels.Id)]
    [InlineData("genericdata", "SDMX-ML 2.1 GenericData", Labels.Id)]
    [InlineData("plain-csv", "plain CSV", Labels.Id)]
    public void The_format_aliases_tools_send_choose_the_message_and_its_labels(string format, string expected, Labels labels)
    {
        var choice = SdmxNegotiation.Choose(DataMessageFormats.Offered, format, StringValues.Empty, out _)!;

        Assert.Equal((expected, labels), (choice.Kind.Name, DataMessageFormats.LabelsOf(choice, out _)));
    }

    [Fact]
    public void The_content_type_of_sdmx_csv_names_the_labels_written()
    {
        var both = DataMessageOptions.Default with { Labels = Labels.Both };

        // Exactly as sdmx-rest's list of media types writes them: it compares them as text.
        Assert.Equal("application/vnd.sdmx.data+csv;version=1.0.0;labels=both", DataMessageFormats.ContentType(DataMessageFormats.SdmxCsv10, both));
        Assert.Equal("application/vnd.sdmx.data+csv;version=2.0.0;labels=both", DataMessageFormats.ContentType(DataMessageFormats.SdmxCsv20WithLabels, both));
        Assert.Equal("application/vnd.sdmx.data+csv;version=2.0.0", DataMessageFormats.ContentType(DataMessageFormats.SdmxCsv20, DataMessageOptions.Default));
        Assert.Equal(SdmxJsonWriter.MediaType, DataMessageFormats.ContentType(DataMessageFormats.SdmxJson20, both));
    }

    [Fact]
    public void What_a_message_cannot_carry_is_refused_with_the_reason_and_the_formats_that_can()
    {
        var history = DataMessageOptions.Default with { IncludeHistory = true };
        var byArea = DataMessageOptions.Default with { DimensionAtObservation = "REF_AREA" };
        var flatKeys = DataMessageOptions.Default with { DimensionAtObservation = DataMessageOptions.AllDimensions, Detail = DataDetail.SeriesKeysOnly };

        Assert.False(DataMessageFormats.CanWrite(DataMessageFormats.SdmxCsv20, history, out var csvHistory));
        Assert.Contains("SDMX-JSON or SDMX-ML", csvHistory, StringComparison.Ordinal);
        Assert.False(DataMessageFormats.CanWrite(DataMessageFormats.SdmxCsv10, history, out _));
        Assert.True(DataMessageFormats.CanWrite(DataMessageFormats.SdmxJson20, history, out _));
        Assert.True(DataMessageFormats.CanWrite(DataMessageFormats.SdmxMlGeneric, history, out _));

        Assert.False(DataMessageFormats.CanWrite(DataMessageFormats.SdmxJson20, byArea, out var json));
        Assert.StartsWith("dimensionAtObservation=REF_AREA", json, StringComparison.Ordinal);
        Assert.False(DataMessageFormats.CanWrite(DataMessageFormats.SdmxMlStructureSpecific, byArea, out _));
        Assert.True(DataMessageFormats.CanWrite(DataMessageFormats.SdmxCsv20, byArea, out _)); // SDMX-CSV is flat whatever is asked

        Assert.False(DataMessageFormats.CanWrite(DataMessageFormats.SdmxJson20, flatKeys, out var keys));
        Assert.Contains("has none", keys, StringComparison.Ordinal);
        Assert.False(DataMessageFormats.CanWrite(DataMessageFormats.PlainCsv, DataMessageOptions.Default with { Detail = DataDetail.NoData }, out _));
    }
}
