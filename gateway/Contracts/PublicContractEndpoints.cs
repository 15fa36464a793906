using Lmis.BuildingBlocks.ApiDocument;
using Lmis.Contracts;

namespace Lmis.Gateway.Contracts;

/// <summary>
/// <c>GET /contracts/lmis.protoset</c>: the public contract as a self-contained descriptor set, a public read, for
/// gRPC clients in any language (<c>grpcurl -protoset</c>, <c>@grpc/proto-loader</c>, Python's descriptor pool).
/// </summary>
public static class PublicContractEndpoints
{
    public static WebApplication MapPublicContract(this WebApplication app)
    {
        app.MapGet(PublicContract.DescriptorSetPath, () => Results.Bytes(PublicContract.DescriptorSet(), "application/octet-stream", "lmis.protoset"))
            .Describe("GetContractDescriptorSet", "contracts", "The gRPC contract as a self-contained descriptor set")
            .WithDescription("Every LMIS proto with its comments and everything it imports, as one google.protobuf.FileDescriptorSet "
                + "(grpcurl -protoset, @grpc/proto-loader, Python's descriptor pool): docs/clients.md.")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/octet-stream");
        return app;
    }
}
