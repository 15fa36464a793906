namespace Lmis.Architecture.Tests;

public sealed class AssemblyReferenceTests
{
    public static TheoryData<string> Services => new(Lmis.Services);

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_references_no_other_service_it_talks_to_them_through_contracts_and_events(string service) =>
        Assert.Empty(Lmis.References(service).Intersect(Lmis.Services.Where(s => s != service)));

    [Theory]
    [InlineData(Lmis.BuildingBlocks)]
    [InlineData(Lmis.ServiceDefaults)]
    public void Shared_plumbing_references_no_service_and_not_the_gateway(string shared) =>
        Assert.Empty(Lmis.References(shared).Intersect([.. Lmis.Services, Lmis.Gateway]));

    [Fact]
    public void The_contracts_reference_no_other_lmis_assembly() =>
        Assert.Empty(Lmis.References(Lmis.Contracts));

    [Fact]
    public void The_gateway_references_no_service_but_access_which_it_hosts() =>
        Assert.Empty(Lmis.References(Lmis.Gateway).Intersect(Lmis.Services.Where(s => s != Lmis.Access)));
}
