using System.Reflection;

namespace Lmis.BuildingBlocks.Codes;

/// <summary>Reads a code list built into this assembly as CSV: codes first, a quoted name last.</summary>
internal static class BuiltInCodeList
{
    /// <summary>
    /// The rows of <c>Lmis.Codes.&lt;file&gt;</c> below its header, each split into <paramref name="columns"/>
    /// values. Only the last column may contain commas (names such as "Korea, Republic of"); it is unquoted.
    /// </summary>
    public static IEnumerable<string[]> Rows(string file, int columns)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Lmis.Codes." + file)
            ?? throw new InvalidOperationException($"The code list {file} is not built into Lmis.BuildingBlocks.");
        using var reader = new StreamReader(stream);
        reader.ReadLine();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var values = line.Split(',', columns);
            values[^1] = values[^1].Trim('"').Replace("\"\"", "\"", StringComparison.Ordinal);
            yield return values;
        }
    }
}
