using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Lmis.BuildingBlocks.Codes;
using Lmis.Vacancies.Publishing;

namespace Lmis.Vacancies.StructuredData;

/// <summary>
/// A stored vacancy as a schema.org <c>JobPosting</c> in JSON-LD, the form job boards and search engines read.
/// Only what the vacancy says is written: a property the ministry left blank is left out, never guessed.
/// </summary>
public static class JobPostingDocument
{
    public const string MediaType = "application/ld+json";

    /// <summary>The code set a vacancy's occupation code belongs to (every vacancy carries an ISCO-08 code).</summary>
    public const string OccupationCodeSet = "ISCO-08";

    /// <summary>
    /// Accented titles stay readable; characters HTML treats specially (&lt;, &gt;, &amp;, quotes) stay escaped, so
    /// the document can be pasted into a page's &lt;script type="application/ld+json"&gt; as it is.
    /// </summary>
    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All), WriteIndented = true };

    public static string ToJson(Vacancy vacancy) => For(vacancy).ToJsonString(Output);

    public static JsonObject For(Vacancy vacancy)
    {
        var content = vacancy.Content;
        var document = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "JobPosting",
            ["identifier"] = Typed("PropertyValue", ("name", vacancy.Country), ("value", vacancy.SourceId)),
            ["title"] = content.Title,
        };
        Add(document, "description", Blank(content.Description));
        document["datePosted"] = Date(content.DatePosted ?? DateOnly.FromDateTime(vacancy.PublishedAt.UtcDateTime));
        // Google's guidance for a posting that has ended: keep it, with validThrough in the past.
        Add(document, "validThrough", vacancy.ClosedAt is { } closedAt
            ? closedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : content.ValidThrough is { } closing ? Date(closing) : null);
        if (Blank(content.EmployerName) is { } employer)
        {
            document["hiringOrganization"] = Typed("Organization", ("name", employer));
        }

        document["jobLocation"] = Typed("Place", ("address", Address(vacancy)));
        Add(document, "employmentType", EmploymentTypes(content));
        if (content.Wage is { } wage)
        {
            document["baseSalary"] = Salary(wage);
        }

        document["occupationalCategory"] = Typed("CategoryCode",
            ("codeValue", content.OccupationCode), ("inCodeSet", Typed("CategoryCodeSet", ("name", OccupationCodeSet))));
        document["totalJobOpenings"] = content.Positions;
        if (content.ExperienceMonths is { } months)
        {
            document["experienceRequirements"] = Typed("OccupationalExperienceRequirements", ("monthsOfExperience", months));
        }

        Add(document, "eligibilityToWorkRequirement", Eligibility(content));
        return document;
    }

    private static JsonObject Address(Vacancy vacancy)
    {
        var content = vacancy.Content;
        // schema.org recommends ISO 3166-1 alpha-2 for addressCountry; LMIS keys vacancies by alpha-3.
        var address = Typed("PostalAddress", ("addressCountry", Countries.Find(vacancy.Country)?.Alpha2 ?? vacancy.Country));
        Add(address, "addressRegion", Blank(content.LocationSubdivision));
        Add(address, "addressLocality", Blank(content.LocationLocality));
        return address;
    }

    /// <summary>
    /// schema.org's values for LMIS's two fields: working time gives FULL_TIME or PART_TIME; the kind of contract
    /// gives TEMPORARY, INTERN or OTHER (a permanent contract has no value of its own: the working time says it).
    /// </summary>
    private static JsonNode? EmploymentTypes(VacancyContent content)
    {
        var types = new List<string>();
        if (content.WorkingTime switch { "full_time" => "FULL_TIME", "part_time" => "PART_TIME", _ => null } is { } time)
        {
            types.Add(time);
        }

        if (content.EmploymentType switch
        {
            "temporary" or "seasonal" => "TEMPORARY",
            "internship" => "INTERN",
            "apprenticeship" or "other" => "OTHER",
            _ => null,
        } is { } kind)
        {
            types.Add(kind);
        }

        return types.Count switch
        {
            0 => null,
            1 => JsonValue.Create(types[0]),
            _ => new JsonArray([.. types.Select(t => JsonValue.Create(t))]),
        };
    }

    private static JsonObject Salary(WageRange wage)
    {
        var value = Typed("QuantitativeValue");
        Add(value, "minValue", wage.Min is { } min ? JsonValue.Create(min) : null);
        Add(value, "maxValue", wage.Max is { } max ? JsonValue.Create(max) : null);
        value["unitText"] = wage.Period.ToUpperInvariant();
        return Typed("MonetaryAmount", ("currency", wage.Currency), ("value", value));
    }

    /// <summary>A sentence for people, since schema.org has no structured form of "who may apply from abroad".</summary>
    private static string? Eligibility(VacancyContent content)
    {
        if (!content.ForeignWorkersEligible)
        {
            return null;
        }

        if (content.EligibleOriginCountries.Count == 0)
        {
            return "Open to workers from any country.";
        }

        var names = content.EligibleOriginCountries.Select(code => Countries.Find(code) is { } c ? $"{c.Name} ({c.Alpha2})" : code);
        return "Open to workers from " + string.Join(", ", names) + ".";
    }

    private static JsonObject Typed(string type, params (string Name, JsonNode? Value)[] properties)
    {
        var node = new JsonObject { ["@type"] = type };
        foreach (var (name, value) in properties)
        {
            node[name] = value;
        }

        return node;
    }

    private static void Add(JsonObject node, string name, JsonNode? value)
    {
        if (value is not null)
        {
            node[name] = value;
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
