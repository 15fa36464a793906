using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Routing;

namespace Lmis.BuildingBlocks.ApiDocument;

/// <summary>
/// Schema names that cannot clash: a proto message is named by its full proto name (<c>lmis.vacancies.v1.Vacancy</c>,
/// what gRPC clients know it as); any other type by its .NET name.
/// </summary>
internal static class SchemaIds
{
    public static string For(Type type)
    {
        if (typeof(IMessage).IsAssignableFrom(type)
            && type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is MessageDescriptor message)
        {
            return message.FullName;
        }

        if (type.DeclaringType is { Name: "Types", DeclaringType: { } container } && typeof(IMessage).IsAssignableFrom(container))
        {
            // A proto enum nested in a message is generated as Message.Types.Enum: name it under the message, as proto does.
            return For(container) + "." + type.Name;
        }

        var name = type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "Of" + string.Concat(type.GetGenericArguments().Select(For)) : type.Name;
        return type.Namespace?.StartsWith("Lmis.Contracts", StringComparison.Ordinal) == true
            ? ProtoPackage(type) + "." + name
            : name;
    }

    /// <summary>The proto package of a generated type's namespace: <c>Lmis.Contracts.Vacancies.V1</c> → <c>lmis.vacancies.v1</c>.</summary>
    private static string ProtoPackage(Type type) => "lmis" + type.Namespace!["Lmis.Contracts".Length..].ToLowerInvariant();
}

/// <summary>
/// An operation is named by its gRPC method (<c>PublishVacancy</c>), so REST and gRPC callers speak of the same thing;
/// a hand-written endpoint by the name it is mapped with (<c>WithName</c>).
/// </summary>
internal static class OperationIds
{
    /// <summary>Method names more than one LMIS service has (ListAuditRecords): those are named with their service too.</summary>
    private static readonly Lazy<HashSet<string>> SharedMethodNames = new(() =>
        Lmis.Contracts.PublicContract.Files()
            .Where(f => f.Package.StartsWith("lmis.", StringComparison.Ordinal))
            .SelectMany(f => f.Service.SelectMany(s => s.Method.Select(m => m.Name)))
            .GroupBy(name => name)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal));

    public static string? For(ApiDescription api)
    {
        var metadata = api.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<GrpcMethodMetadata>().FirstOrDefault() is { } grpc)
        {
            var method = grpc.Method;
            // lmis.taxonomy.v1.TaxonomyService → Taxonomy + ListAuditRecords.
            return SharedMethodNames.Value.Contains(method.Name)
                ? method.ServiceName[(method.ServiceName.LastIndexOf('.') + 1)..].Replace("Service", string.Empty, StringComparison.Ordinal) + method.Name
                : method.Name;
        }

        return metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName;
    }
}

/// <summary>Operations are grouped by the service that answers them: the gRPC service, or the tag an endpoint is mapped with.</summary>
internal static class OperationTags
{
    public static IList<string> For(ApiDescription api)
    {
        var metadata = api.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<GrpcMethodMetadata>().FirstOrDefault() is { } grpc)
        {
            return [grpc.Method.ServiceName];
        }

        var tags = metadata.OfType<ITagsMetadata>().SelectMany(t => t.Tags).Distinct().ToList();
        return tags.Count > 0 ? tags : ["lmis"];
    }
}
