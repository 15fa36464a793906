using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Lmis.BuildingBlocks.Codes;
using Lmis.Vacancies.Publishing;
using static Lmis.BuildingBlocks.Text.OptionalText;

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

    /// <summary>The code set a vacancy's education level belongs to.</summary>
    public const string EducationLevelSet = "ISCED 2011";

    /// <summary>The set a required language's code belongs to.</summary>
    public const string LanguageTagSet = "BCP 47";

    /// <summary>Google's value for a posting that requires no education (educationRequirements as text).</summary>
    public const string NoRequirements = "no requirements";

    public static string ToJson(Vacancy vacancy, string url) => For(vacancy, url).ToJsonString(Output);

    public static string ToJson(JsonNode document) => document.ToJsonString(Output);

    /// <summary>The JobPosting of <paramref name="vacancy"/>, whose own public address is <paramref name="url"/>.</summary>
    public static JsonObject For(Vacancy vacancy, string url)
    {
        var document = Posting(vacancy, url);
        document.Insert(0, "@context", "https://schema.org");
        return document;
    }

    /// <summary>The JobPosting without its @context, for a document that holds several (the list's context covers them).</summary>
    public static JsonObject Posting(Vacancy vacancy, string url)
    {
        var content = vacancy.Content;
        var document = new JsonObject
        {
            ["@type"] = "JobPosting",
            ["identifier"] = Typed("PropertyValue", ("name", vacancy.Country), ("value", vacancy.SourceId)),
            ["url"] = url,
            ["title"] = content.Title,
        };
        Add(document, "description", NullIfBlank(content.Description));
        document["datePosted"] = Date(content.DatePosted ?? DateOnly.FromDateTime(vacancy.PublishedAt.UtcDateTime));
        // Google's guidance for a posting that has ended: keep it, with validThrough in the past.
        Add(document, "validThrough", vacancy.ClosedAt is { } closedAt
            ? closedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : content.ValidThrough is { } closing ? Date(closing) : null);
        if (NullIfBlank(content.EmployerName) is { } employer)
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

        Add(document, "educationRequirements", Education(content.EducationLevel));
        Add(document, "skills", Skills(content));
        Add(document, "eligibilityToWorkRequirement", Eligibility(content));
        return document;
    }

    /// <summary>
    /// Google's credential categories for ISCED 2011 levels. Levels 1 and 2 (primary, lower secondary) have no category
    /// of their own: rounding them up to "high school" would turn away people the ministry would hire, so they carry
    /// only the ISCED level. Level 0 asks for no schooling, which Google writes as "no requirements".
    /// </summary>
    public static string? CredentialCategory(string level) => level switch
    {
        "3" => "high school",
        "4" => "professional certificate",
        "5" => "associate degree",
        "6" => "bachelor degree",
        "7" or "8" => "postgraduate degree",
        _ => null,
    };

    /// <summary>
    /// An <c>EducationalOccupationalCredential</c> with Google's category and the ISCED level itself; nothing when the
    /// vacancy names no level (the ministry did not say, which is not the same as "no requirements").
    /// </summary>
    private static JsonNode? Education(string? level)
    {
        if (NullIfBlank(level) is not { } isced)
        {
            return null;
        }

        if (isced == "0")
        {
            return JsonValue.Create(NoRequirements);
        }

        var credential = Typed("EducationalOccupationalCredential");
        Add(credential, "credentialCategory", CredentialCategory(isced) is { } category ? JsonValue.Create(category) : null);
        credential["educationalLevel"] = Typed("DefinedTerm",
            ("termCode", isced), ("name", $"{EducationLevelSet} level {isced}"), ("inDefinedTermSet", Typed("DefinedTermSet", ("name", EducationLevelSet))));
        return credential;
    }

    /// <summary>
    /// The required skills as the ministry wrote them (schema.org Text), then each required language as a
    /// <c>DefinedTerm</c> (its BCP 47 tag and English name): schema.org has no property of its own for the languages
    /// a job needs, and a language is a skill a job board can match. Always an array, even of one.
    /// </summary>
    private static JsonArray? Skills(VacancyContent content)
    {
        if (content.RequiredSkills.Count == 0 && content.RequiredLanguages.Count == 0)
        {
            return null;
        }

        var skills = new JsonArray();
        foreach (var skill in content.RequiredSkills)
        {
            skills.Add(JsonValue.Create(skill));
        }

        foreach (var tag in content.RequiredLanguages)
        {
            skills.Add(Typed("DefinedTerm",
                ("termCode", tag), ("name", LanguageName(tag)), ("inDefinedTermSet", Typed("DefinedTermSet", ("name", LanguageTagSet)))));
        }

        return skills;
    }

    /// <summary>"Spanish" for es, "Portuguese (Brazil)" for pt-BR; the tag itself for one the platform does not name.</summary>
    private static string LanguageName(string tag)
    {
        try
        {
            var culture = CultureInfo.GetCultureInfo(tag, predefinedOnly: true);
            return string.IsNullOrEmpty(culture.EnglishName) ? tag : culture.EnglishName;
        }
        catch (CultureNotFoundException)
        {
            return tag;
        }
    }

    private static JsonObject Address(Vacancy vacancy)
    {
        var content = vacancy.Content;
        // schema.org recommends ISO 3166-1 alpha-2 for addressCountry; LMIS keys vacancies by alpha-3.
        var address = Typed("PostalAddress", ("addressCountry", Countries.Find(vacancy.Country)?.Alpha2 ?? vacancy.Country));
        Add(address, "addressRegion", NullIfBlank(content.LocationSubdivision));
        Add(address, "addressLocality", NullIfBlank(content.LocationLocality));
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

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
