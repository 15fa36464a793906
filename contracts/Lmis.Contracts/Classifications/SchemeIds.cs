namespace Lmis.Contracts.Classifications;

/// <summary>
/// The ids of the taxonomy's schemes that the services name in their own rules: a vacancy's occupation and sector, an
/// SDMX dimension's classification, the region's pathways. Every other scheme (national classifications such as
/// <c>soc2018</c>) is data, known only to the taxonomy.
/// </summary>
public static class SchemeIds
{
    /// <summary>ISCO-08, the International Standard Classification of Occupations.</summary>
    public const string Isco08 = "isco08";

    /// <summary>ISIC Rev.4, the International Standard Industrial Classification of economic activities.</summary>
    public const string Isic4 = "isic4";

    /// <summary>ISCED 2011, the International Standard Classification of Education (levels).</summary>
    public const string Isced2011 = "isced2011";

    /// <summary>
    /// ESCO occupations (European Skills, Competences, Qualifications and Occupations), each under one ISCO-08 unit
    /// group: the job titles people write, in many languages. Codes are the UUIDs ending ESCO's occupation URIs.
    /// </summary>
    public const string Esco = "esco";

    /// <summary>The region's labour-mobility pathways (bilateral agreements, temporary and seasonal schemes).</summary>
    public const string Pathways = "pathways";
}
