using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Lmis.BuildingBlocks.ApiDocument;

/// <summary>
/// The comments written in the protos, for messages, their fields and enum values, read from the descriptor set the
/// build makes with source info (<see cref="Lmis.Contracts.PublicContract"/>): the proto stays the one place a field
/// is explained, for gRPC and REST callers alike.
/// </summary>
internal static class ProtoComments
{
    // Field numbers in descriptor.proto that source-info paths are made of.
    private const int FileMessages = 4, FileEnums = 5, MessageFields = 2, MessageNested = 3, MessageEnums = 4, EnumValues = 2;

    private static readonly Lazy<Dictionary<string, string>> ByFullName = new(Read);

    /// <summary>The comment on a message, field or enum value, by its full proto name (<c>lmis.vacancies.v1.Vacancy.country</c>).</summary>
    public static string? For(string fullName) => ByFullName.Value.GetValueOrDefault(fullName);

    private static Dictionary<string, string> Read()
    {
        var comments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Lmis.Contracts.PublicContract.Files())
        {
            if (file.SourceCodeInfo is null)
            {
                continue;
            }

            var byPath = file.SourceCodeInfo.Location
                .Where(l => !string.IsNullOrWhiteSpace(l.LeadingComments) || !string.IsNullOrWhiteSpace(l.TrailingComments))
                .GroupBy(l => string.Join('.', l.Path))
                .ToDictionary(g => g.Key, g => Clean(g.First()), StringComparer.Ordinal);
            void Add(string fullName, IEnumerable<int> path)
            {
                if (byPath.TryGetValue(string.Join('.', path), out var comment))
                {
                    comments[fullName] = comment;
                }
            }

            void Message(DescriptorProto message, string scope, int[] path)
            {
                var name = scope + "." + message.Name;
                Add(name, path);
                for (var i = 0; i < message.Field.Count; i++)
                {
                    Add(name + "." + message.Field[i].Name, [.. path, MessageFields, i]);
                }

                for (var i = 0; i < message.NestedType.Count; i++)
                {
                    Message(message.NestedType[i], name, [.. path, MessageNested, i]);
                }

                for (var i = 0; i < message.EnumType.Count; i++)
                {
                    Enum(message.EnumType[i], name, [.. path, MessageEnums, i]);
                }
            }

            void Enum(EnumDescriptorProto @enum, string scope, int[] path)
            {
                var name = scope + "." + @enum.Name;
                Add(name, path);
                for (var i = 0; i < @enum.Value.Count; i++)
                {
                    Add(name + "." + @enum.Value[i].Name, [.. path, EnumValues, i]);
                }
            }

            for (var i = 0; i < file.MessageType.Count; i++)
            {
                Message(file.MessageType[i], file.Package, [FileMessages, i]);
            }

            for (var i = 0; i < file.EnumType.Count; i++)
            {
                Enum(file.EnumType[i], file.Package, [FileEnums, i]);
            }
        }

        return comments;
    }

    /// <summary>Proto comments keep the space after <c>//</c> and their line breaks: one paragraph, as written.</summary>
    private static string Clean(SourceCodeInfo.Types.Location location) =>
        string.Join(' ', (location.LeadingComments + "\n" + location.TrailingComments)
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>Gives each proto message's schema, its properties and its enum values the comments of the proto.</summary>
internal sealed class ProtoCommentSchemas : ISchemaFilter
{
    public void Apply(OpenApiSchema schema, SchemaFilterContext context)
    {
        if (typeof(IMessage).IsAssignableFrom(context.Type)
            && context.Type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is MessageDescriptor message)
        {
            schema.Description ??= ProtoComments.For(message.FullName);
            foreach (var field in message.Fields.InDeclarationOrder())
            {
                if (schema.Properties.TryGetValue(field.JsonName, out var property) && ProtoComments.For(field.FullName) is { } comment)
                {
                    // A property that refers to another schema carries its own words beside the reference only in
                    // OpenAPI 3.1; in 3.0 the reference's description stands.
                    if (property.Reference is null)
                    {
                        property.Description ??= comment;
                    }
                }
            }
        }
        else if (context.Type.IsEnum
            && context.Type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetCustomAttribute<OriginalNameAttribute>()).OfType<OriginalNameAttribute>().ToList() is { Count: > 0 } values)
        {
            var described = values.Select(v => (v.Name, Comment: EnumValueComment(context.Type, v.Name))).Where(v => v.Comment is not null).ToList();
            if (described.Count > 0 && schema.Description is null)
            {
                schema.Description = string.Join("; ", described.Select(v => $"{v.Name}: {v.Comment}"));
            }
        }
    }

    /// <summary>An enum value's comment, by the value's full proto name (lmis.vacancies.v1.PublishOutcome.PUBLISH_OUTCOME_CREATED).</summary>
    private static string? EnumValueComment(Type type, string value) => ProtoComments.For(SchemaIds.For(type) + "." + value);
}
