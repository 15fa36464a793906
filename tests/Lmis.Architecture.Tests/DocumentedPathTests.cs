using System.Text.RegularExpressions;
using Lmis.Testing;

namespace Lmis.Architecture.Tests;

/// <summary>docs/architecture.md walks a newcomer through the code file by file: every path it names must exist.</summary>
public sealed partial class DocumentedPathTests
{
    private static readonly string[] Skipped = ["bin", "obj", ".git", "node_modules"];

    [Fact]
    public void Every_file_and_folder_the_architecture_page_names_exists()
    {
        var files = Files(Repository.Root).Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/')).ToArray();
        var folders = files.SelectMany(Folders).ToHashSet(StringComparer.Ordinal);
        var topLevel = folders.Where(f => !f.Contains('/', StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var named = Code().Matches(File.ReadAllText(Path.Combine(Repository.Root, "docs", "architecture.md")))
            .Select(m => m.Groups[1].Value)
            .Where(IsPath)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        Assert.NotEmpty(named);

        var missing = named.Where(path =>
        {
            // A wildcard names the folder before it; a path from the top must be exactly there, a shorter one
            // (Grpc/VacancyMessages.cs, after the service it belongs to was named) somewhere below.
            var known = path.Split('*')[0].TrimEnd('/');
            return topLevel.Contains(path.Split('/')[0])
                ? !files.Contains(known) && !folders.Contains(known)
                : !files.Any(f => f == known || f.EndsWith("/" + known, StringComparison.Ordinal))
                  && !folders.Any(f => f.EndsWith("/" + known, StringComparison.Ordinal));
        });

        Assert.Empty(missing);
    }

    /// <summary>Code spans that read as a path: a folder in them, or a file's extension; not a URL path, setting or media type.</summary>
    private static bool IsPath(string text) =>
        !text.StartsWith('/') && text.IndexOfAny([':', '<', '=', '|', '{', '+', ' ']) < 0
        && (text.Contains('/', StringComparison.Ordinal) || FileName().IsMatch(text));

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder).Concat(Directory.EnumerateDirectories(folder)
            .Where(d => !Skipped.Contains(Path.GetFileName(d)))
            .SelectMany(Files));

    private static IEnumerable<string> Folders(string file)
    {
        for (var slash = file.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = file.IndexOf('/', slash + 1))
        {
            yield return file[..slash];
        }
    }

    [GeneratedRegex("`([^`\\s]+)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"\.(cs|proto|csproj|md|json|props|sh)$")]
    private static partial Regex FileName();
}
