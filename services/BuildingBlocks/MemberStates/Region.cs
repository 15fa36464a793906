using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using Lmis.BuildingBlocks.Codes;
using Lmis.BuildingBlocks.Errors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lmis.BuildingBlocks.MemberStates;

/// <summary>A member state of the region: ISO 3166-1 alpha-3 (the canonical key) and alpha-2 codes.</summary>
public sealed record MemberState(string Alpha3, string Alpha2, string Name);

/// <summary>
/// The regional forum whose member states publish to this LMIS. The member list is data, not code: the region
/// is chosen with <c>Lmis:Region:Id</c> (a region shipped with LMIS, default <c>RCM</c>) or given in full under
/// <c>Lmis:Region</c> (<c>Id</c>, <c>Name</c>, <c>MemberStates:N:Alpha3|Alpha2|Name</c>).
/// </summary>
public sealed class Region
{
    public const string DefaultId = "RCM";

    private readonly FrozenDictionary<string, MemberState> _byCode;

    public Region(string id, string name, IEnumerable<MemberState> memberStates)
    {
        Id = id;
        Name = name;
        MemberStates = memberStates.OrderBy(m => m.Alpha3, StringComparer.Ordinal).ToArray();
        var byCode = new Dictionary<string, MemberState>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in MemberStates)
        {
            if (!IsCode(member.Alpha3, 3) || !IsCode(member.Alpha2, 2)
                || Countries.Find(member.Alpha3) is not { } country || country.Alpha2 != member.Alpha2)
            {
                throw new InvalidOperationException(
                    $"Region {id}: member state '{member.Name}' needs the ISO 3166-1 alpha-3 and alpha-2 codes one country was assigned, got '{member.Alpha3}' and '{member.Alpha2}'.");
            }

            if (!byCode.TryAdd(member.Alpha3, member) || !byCode.TryAdd(member.Alpha2, member))
            {
                throw new InvalidOperationException($"Region {id}: member state {member.Alpha3} is listed twice.");
            }
        }

        _byCode = byCode.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public string Id { get; }

    public string Name { get; }

    public IReadOnlyList<MemberState> MemberStates { get; }

    /// <summary>
    /// The member state an alpha-3 or alpha-2 code (any case, surrounding blanks ignored) names, or null when the
    /// code names no member state of this region.
    /// </summary>
    public MemberState? Find(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        return _byCode.GetValueOrDefault(code.Trim());
    }

    /// <summary>
    /// Any country as ISO 3166-1 alpha-3, from its alpha-2 or alpha-3 code in any case; null when the code is not
    /// one ISO 3166-1 has assigned (<see cref="Countries"/>): a code of the right shape such as <c>ZZZ</c> names
    /// no country.
    /// </summary>
    public static string? CountryAlpha3(string? code) => Countries.Find(code)?.Alpha3;

    /// <summary>
    /// The member state a query names (alpha-3 or alpha-2), or null when the query names none; a code that is no
    /// member state is refused, since such a query could never match anything.
    /// </summary>
    public string? MemberFilter(string? code, string subject)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        return Find(code)?.Alpha3 ?? throw new ValidationFailedException(
            subject, [new FieldError("country", code, $"not a member state of {Id}")]);
    }

    /// <summary>
    /// The member states a query names as a comma-separated list (<c>MEX,HND</c>, alpha-3 or alpha-2), or none when
    /// it names none (then every member state is meant); each code that is no member state is refused, all at once.
    /// </summary>
    public IReadOnlySet<string> MemberFilters(string? codes, string subject)
    {
        var errors = new List<FieldError>();
        var members = MemberFilters(codes, errors);
        return errors.Count > 0 ? throw new ValidationFailedException(subject, errors) : members.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The member states a comma-separated list names, each once, in the order given; each code that is no member
    /// state is added to <paramref name="errors"/>, for a caller that checks other fields too.
    /// </summary>
    public IReadOnlyList<string> MemberFilters(string? codes, List<FieldError> errors)
    {
        var members = new List<string>();
        foreach (var code in (codes ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Find(code) is { } member)
            {
                if (!members.Contains(member.Alpha3))
                {
                    members.Add(member.Alpha3);
                }
            }
            else
            {
                errors.Add(new FieldError("country", code, $"not a member state of {Id}"));
            }
        }

        return members;
    }

    public static Region FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Lmis:Region");
        var id = section["Id"] ?? DefaultId;
        var configured = section.GetSection("MemberStates").GetChildren().ToArray();
        if (configured.Length > 0)
        {
            return new Region(
                id,
                section["Name"] ?? id,
                configured.Select(m => new MemberState(
                    (m["Alpha3"] ?? string.Empty).Trim().ToUpperInvariant(),
                    (m["Alpha2"] ?? string.Empty).Trim().ToUpperInvariant(),
                    m["Name"] ?? string.Empty)));
        }

        return Shipped(id);
    }

    /// <summary>A region whose member list ships with LMIS.</summary>
    public static Region Shipped(string id)
    {
        var resource = $"Lmis.Regions.{id.ToLowerInvariant()}.json";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException(
                $"No region '{id}' ships with LMIS. Configure its member states under Lmis:Region:MemberStates.");
        var file = JsonSerializer.Deserialize<RegionFile>(stream, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"The shipped region file {resource} is empty.");
        return new Region(file.Id, file.Name, file.MemberStates);
    }

    private static bool IsCode(string code, int length) =>
        code.Length == length && code.All(char.IsAsciiLetterUpper);

    private sealed record RegionFile(string Id, string Name, MemberState[] MemberStates);
}

public static class RegionServiceCollectionExtensions
{
    /// <summary>The configured region, once per process however many modules ask for it.</summary>
    public static IServiceCollection AddRegion(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => Region.FromConfiguration(configuration));
        return services;
    }
}
