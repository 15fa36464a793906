namespace Lmis.Testing;

/// <summary>Where things are in this repository, seen from a test's output folder.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built in (Debug or Release); the services were built alike.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The built entry assembly of a project, e.g. Binary("services/Taxonomy", "Lmis.Taxonomy").</summary>
    public static string Binary(string projectFolder, string assemblyName)
    {
        var path = Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0", assemblyName + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is not built. Build the solution (the test projects reference it) first.", path);
    }

    /// <summary>The shared reference data beside the repository (../shared), which tests may read and the product may not.</summary>
    public static string? SharedData(params string[] parts)
    {
        var path = Path.Combine([Root, "..", "shared", "data", .. parts]);
        return File.Exists(path) || Directory.Exists(path) ? Path.GetFullPath(path) : null;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LMIS.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No LMIS.sln above {AppContext.BaseDirectory}.");
    }
}
