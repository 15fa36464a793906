namespace Lmis.Contracts;

/// <summary>
/// The public contract as one <c>google.protobuf.FileDescriptorSet</c>: every LMIS proto with its source comments and
/// everything it imports (<c>google/api/annotations.proto</c>, <c>google/api/http.proto</c>,
/// <c>google/protobuf/*</c>), built from the protos by the project, so that a client in any language loads it
/// without the .NET packages (docs/clients.md).
/// </summary>
public static class PublicContract
{
    /// <summary>Where the gateway and the standalone host serve it.</summary>
    public const string DescriptorSetPath = "/contracts/lmis.protoset";

    private const string ResourceName = "Lmis.Contracts.lmis.protoset";

    private static readonly Lazy<byte[]> Bytes = new(Read);

    private static readonly Lazy<IReadOnlyList<Google.Protobuf.Reflection.FileDescriptorProto>> ParsedFiles =
        new(() => [.. Google.Protobuf.Reflection.FileDescriptorSet.Parser.ParseFrom(Bytes.Value).File]);

    /// <summary>The serialized descriptor set (not to be modified).</summary>
    public static byte[] DescriptorSet() => Bytes.Value;

    /// <summary>The descriptor set's files, with their source comments, read once (not to be modified).</summary>
    public static IReadOnlyList<Google.Protobuf.Reflection.FileDescriptorProto> Files() => ParsedFiles.Value;

    private static byte[] Read()
    {
        using var stream = typeof(PublicContract).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(PublicContract).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
