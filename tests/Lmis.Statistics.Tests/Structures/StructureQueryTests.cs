using Lmis.Statistics.Structures;
using Microsoft.AspNetCore.Http;

namespace Lmis.Statistics.Tests.Structures;

/// <summary>How a structure query's URL is read, in SDMX REST's 2.1 form and its 3.0 form.</summary>
public sealed class StructureQueryTests
{
    private static readonly ArtefactKey UnemploymentFlow = new(StructureType.Dataflow, "RCM", "DF_UNE_RT", "1.0");

    [Fact]
    public void The_2_1_form_takes_lists_joined_by_plus_and_all_for_any_and_defaults_to_the_latest_version()
    {
        var query = StructureQuery.Parse21("dataflow", "ILO+RCM", "DF_UNE_RT+DF_EMP_OCU", null, null, null, null);

        Assert.Equal(["ILO", "RCM"], query.Agencies);
        Assert.Equal(["DF_UNE_RT", "DF_EMP_OCU"], query.Ids);
        Assert.Equal(["latest"], query.Versions);
        Assert.True(query.Names(UnemploymentFlow));
        Assert.False(query.Names(UnemploymentFlow with { Type = StructureType.DataStructure }));
        Assert.False(query.Names(UnemploymentFlow with { Id = "DF_VAC_OCU" }));
        Assert.True(StructureQuery.Parse21("dataflow", "all", "all", "all", null, null, null).Names(UnemploymentFlow with { Id = "DF_VAC_OCU" }));
    }

    [Fact]
    public void The_3_0_form_takes_lists_joined_by_commas_and_star_for_any_and_defaults_to_the_latest_stable_version()
    {
        var query = StructureQuery.Parse30("*", "RCM", "DF_UNE_RT,DF_EMP_OCU", null, null, "codelist,conceptscheme", "referencestubs");

        Assert.Equal(Enum.GetValues<StructureType>().ToHashSet(), query.Types);
        Assert.Equal(["RCM"], query.Agencies);
        Assert.Equal(["DF_UNE_RT", "DF_EMP_OCU"], query.Ids);
        Assert.Equal(["~"], query.Versions);
        Assert.Equal(References.Types, query.References);
        Assert.Equal(new HashSet<StructureType> { StructureType.Codelist, StructureType.ConceptScheme }, query.ReferencedTypes);
        Assert.Equal(StructureDetail.ReferenceStubs, query.Detail);
        Assert.True(query.Names(UnemploymentFlow with { Type = StructureType.Codelist, Id = "DF_EMP_OCU" }));
    }

    [Theory]
    [InlineData("2.1", "latest", "2.0")]
    [InlineData("3.0", "~", "2.0")]
    [InlineData("2.1", "all", "1.0 1.9 1.10 2.0")]
    [InlineData("3.0", "*", "1.0 1.9 1.10 2.0")]
    [InlineData("2.1", "1.9", "1.9")]
    [InlineData("2.1", "1.9+2.0", "1.9 2.0")]
    [InlineData("3.0", "1.9,2.0", "1.9 2.0")]
    [InlineData("3.0", "1.0+", "1.10")]
    [InlineData("3.0", "2.0+", "2.0")]
    [InlineData("2.1", "3.0", "")]
    public void Versions_are_chosen_as_asked_and_ordered_by_number_not_text(string form, string asked, string expected)
    {
        var query = form == "2.1"
            ? StructureQuery.Parse21("codelist", null, null, asked, null, null, null)
            : StructureQuery.Parse30("codelist", null, null, asked, null, null, null);

        var chosen = query.Chosen(["1.10", "1.0", "2.0", "1.9"]);

        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(), chosen.Order());
    }

    [Fact]
    public void Every_2_1_structure_resource_lmis_has_none_of_is_not_implemented_rather_than_unknown()
    {
        Assert.All(StructureQuery.NotImplemented21, resource => Assert.Equal(StatusCodes.Status501NotImplemented,
            Assert.Throws<StructureQueryException>(() => StructureQuery.Parse21(resource, null, null, null, null, null, null)).Status));
        Assert.All(StructureQuery.NotImplemented30, type => Assert.Equal(StatusCodes.Status501NotImplemented,
            Assert.Throws<StructureQueryException>(() => StructureQuery.Parse30(type, null, null, null, null, null, null)).Status));
        Assert.Equal(StatusCodes.Status400BadRequest,
            Assert.Throws<StructureQueryException>(() => StructureQuery.Parse30("dataflows", null, null, null, null, null, null)).Status);
    }

    [Theory]
    [InlineData("none", References.None)]
    [InlineData("parents", References.Parents)]
    [InlineData("parentsandsiblings", References.ParentsAndSiblings)]
    [InlineData("ancestors", References.Ancestors)]
    [InlineData("children", References.Children)]
    [InlineData("descendants", References.Descendants)]
    [InlineData("all", References.All)]
    [InlineData("datastructure", References.Types)]
    [InlineData("hierarchicalcodelist", References.Types)]
    public void References_are_read_by_their_sdmx_names(string value, References expected) =>
        Assert.Equal(expected, StructureQuery.Parse21("codelist", null, null, null, null, value, null).References);

    [Fact]
    public void A_structure_without_items_refuses_an_item_id_and_the_3_0_type_names_are_told_from_an_agency()
    {
        Assert.Equal(StatusCodes.Status400BadRequest,
            Assert.Throws<StructureQueryException>(() => StructureQuery.Parse21("dataflow", "RCM", "DF_UNE_RT", "1.0", "X", null, null)).Status);
        Assert.True(StructureQuery.IsStructureType30("codelist"));
        Assert.True(StructureQuery.IsStructureType30("hierarchy"));
        Assert.False(StructureQuery.IsStructureType30("RCM"));
    }
}
