using System.Globalization;
using Lmis.BuildingBlocks.Codes;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Classifications;
using Lmis.Taxonomy.Import;
using Lmis.Taxonomy.Reading;
using Lmis.Taxonomy.Schemes;

namespace Lmis.Taxonomy.Pathways;

/// <summary>
/// A regular labour-mobility pathway (bilateral agreement, memorandum of understanding, temporary or seasonal
/// worker scheme, free-trade agreement labour clause, regularisation programme), kept as a concept of the
/// <c>pathways</c> scheme — versioned like every scheme — whose attributes say what it covers.
/// </summary>
public sealed record Pathway(
    Concept Concept,
    string Type,
    IReadOnlyList<string> Origins,
    string Destination,
    IReadOnlyList<string> Sectors,
    IReadOnlyList<string> Occupations,
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    string Status,
    string SourceDocument)
{
    public static Pathway From(Concept concept) => new(
        concept,
        concept.AttributeValues(PathwayRules.Type).First(),
        [.. concept.AttributeValues(PathwayRules.Origin)],
        concept.AttributeValues(PathwayRules.Destination).First(),
        [.. concept.AttributeValues(PathwayRules.Sector)],
        [.. concept.AttributeValues(PathwayRules.Occupation)],
        DateOnly.ParseExact(concept.AttributeValues(PathwayRules.ValidFrom).First(), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        concept.AttributeValues(PathwayRules.ValidTo).Select(v => (DateOnly?)DateOnly.ParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture)).FirstOrDefault(),
        concept.AttributeValues(PathwayRules.Status).First(),
        concept.AttributeValues(PathwayRules.SourceDocument).First());

    /// <summary>
    /// Whether the pathway covers an ISCO-08 occupation: it names that occupation, a group containing it, or an
    /// occupation within the group asked for; a pathway naming no occupation covers them all.
    /// </summary>
    public bool CoversOccupation(string isco08) =>
        Occupations.Count == 0 || Occupations.Any(o => isco08.StartsWith(o, StringComparison.Ordinal) || o.StartsWith(isco08, StringComparison.Ordinal));
}

/// <summary>The attributes every pathway carries, and the checks made when the pathways scheme is released.</summary>
public static class PathwayRules
{
    public const string Type = "type";
    public const string Origin = "origin";
    public const string Destination = "destination";
    public const string Sector = "sector";
    public const string Occupation = "occupation";
    public const string ValidFrom = "valid_from";
    public const string ValidTo = "valid_to";
    public const string Status = "status";
    public const string SourceDocument = "source_document";

    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
    {
        "bilateral_agreement", "memorandum_of_understanding", "temporary_worker_scheme", "seasonal_worker_scheme",
        "free_trade_agreement", "regularisation_programme",
    };

    public static readonly IReadOnlySet<string> Statuses = new HashSet<string>(StringComparer.Ordinal)
    {
        "planned", "in_force", "suspended", "ended",
    };

    public static async Task<IReadOnlyList<FieldError>> CheckAsync(
        IReadOnlyList<Concept> pathways, Func<string, RowRef> where, TaxonomyCatalog catalog, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var isco = await catalog.TryGetAsync(SchemeIds.Isco08, null, cancellationToken);
        var isic = await catalog.TryGetAsync(SchemeIds.Isic4, null, cancellationToken);
        foreach (var pathway in pathways)
        {
            var field = where(pathway.Code).Field("code");
            void Fail(string attribute, string? value, string reason) =>
                errors.Add(new FieldError($"{field} {attribute}", value, reason));

            string[] Values(string name) => [.. pathway.AttributeValues(name)];

            One(Type, v => Types.Contains(v), $"one of {string.Join(", ", Types)}");
            One(Destination, IsAssignedAlpha3, "an ISO 3166-1 alpha-3 code of an assigned country");
            One(ValidFrom, v => IsDate(v), "a date YYYY-MM-DD");
            One(Status, v => Statuses.Contains(v), $"one of {string.Join(", ", Statuses)}");
            One(SourceDocument, _ => true, "the agreement or scheme's official document (title or address)");
            var origins = Values(Origin);
            if (origins.Length == 0)
            {
                Fail(Origin, null, "required: at least one origin country (ISO 3166-1 alpha-3)");
            }

            foreach (var origin in origins.Where(o => !IsAssignedAlpha3(o)))
            {
                Fail(Origin, origin, "an ISO 3166-1 alpha-3 code of an assigned country");
            }

            var validTo = Values(ValidTo);
            if (validTo.Length > 1 || validTo.Any(v => !IsDate(v)))
            {
                Fail(ValidTo, string.Join(",", validTo), "at most one date YYYY-MM-DD");
            }
            else if (validTo.Length == 1 && Values(ValidFrom) is [var from] && IsDate(from)
                && string.CompareOrdinal(validTo[0], from) < 0)
            {
                Fail(ValidTo, validTo[0], $"ends before it starts ({from})");
            }

            foreach (var occupation in Values(Occupation))
            {
                if (isco?.Find(occupation) is null)
                {
                    Fail(Occupation, occupation, isco is null ? "no ISCO-08 version is released yet" : $"not an ISCO-08 code of version {isco.Version.Version}");
                }
            }

            foreach (var sector in Values(Sector))
            {
                if (isic?.Find(sector) is null)
                {
                    Fail(Sector, sector, isic is null ? "no ISIC Rev.4 version is released yet" : $"not an ISIC Rev.4 code of version {isic.Version.Version}");
                }
            }

            void One(string name, Func<string, bool> valid, string expected)
            {
                var values = Values(name);
                if (values.Length != 1)
                {
                    Fail(name, values.Length == 0 ? null : string.Join(",", values), $"exactly one value: {expected}");
                }
                else if (!valid(values[0]))
                {
                    Fail(name, values[0], expected);
                }
            }
        }

        return errors;
    }

    private static bool IsDate(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>A country's alpha-3 code as ISO 3166-1 assigned it, exactly (the registry stores codes as given).</summary>
    private static bool IsAssignedAlpha3(string value) => Countries.Find(value)?.Alpha3 == value;
}
