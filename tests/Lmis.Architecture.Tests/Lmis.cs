using System.Reflection;
using System.Xml.Linq;
using Lmis.Testing;

namespace Lmis.Architecture.Tests;

/// <summary>The LMIS assemblies the rules speak of, and what each one references.</summary>
internal static class Lmis
{
    public const string Contracts = "Lmis.Contracts";
    public const string BuildingBlocks = "Lmis.BuildingBlocks";
    public const string ServiceDefaults = "Lmis.ServiceDefaults";
    public const string Gateway = "Lmis.Gateway";
    public const string Access = "Lmis.Access";

    /// <summary>The services, each a module with its own storage, talking to the others through contracts and events.</summary>
    public static readonly string[] Services = ["Lmis.Taxonomy", "Lmis.Vacancies", "Lmis.Statistics", Access];

    private static readonly Dictionary<string, string> ProjectFiles = new()
    {
        [Contracts] = "contracts/Lmis.Contracts/Lmis.Contracts.csproj",
        [BuildingBlocks] = "services/BuildingBlocks/Lmis.BuildingBlocks.csproj",
        [ServiceDefaults] = "services/ServiceDefaults/Lmis.ServiceDefaults.csproj",
        [Gateway] = "gateway/Lmis.Gateway.csproj",
        ["Lmis.Taxonomy"] = "services/Taxonomy/Lmis.Taxonomy.csproj",
        ["Lmis.Vacancies"] = "services/Vacancies/Lmis.Vacancies.csproj",
        ["Lmis.Statistics"] = "services/Statistics/Lmis.Statistics.csproj",
        [Access] = "services/Access/Lmis.Access.csproj",
    };

    public static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    /// <summary>
    /// The LMIS assemblies <paramref name="name"/> references: those its compiled code uses, and those its project
    /// file names (a project reference nobody uses yet is where a shortcut starts, so it counts too).
    /// </summary>
    public static SortedSet<string> References(string name)
    {
        var compiled = Load(name).GetReferencedAssemblies().Select(a => a.Name!);
        var project = XDocument.Load(Path.Combine(Repository.Root, ProjectFiles[name]))
            .Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value));
        return new(compiled.Concat(project).Where(n => n.StartsWith("Lmis.", StringComparison.Ordinal)), StringComparer.Ordinal);
    }
}
