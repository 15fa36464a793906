namespace Lmis.Taxonomy.Schemes;

/// <summary>A concept of a scheme version: its code, broader concept, depth and preferred labels by language.</summary>
public sealed record Concept(string Code, string? ParentCode, int Level, IReadOnlyDictionary<string, string> Labels);

/// <summary>A released, immutable version of a concept scheme.</summary>
public sealed record SchemeVersion(string Scheme, int Version, int ConceptCount, DateTimeOffset ReleasedAt);
