using CsCheck;

namespace Lmis.Testing;

/// <summary>
/// Property-based checks with CsCheck, bounded for CI: each property runs a fixed number of generated cases (a
/// second or two), and a case that never returns fails the test instead of hanging it. A failure names the
/// shrunk input and the seed that reproduces it (set CsCheck_Seed to replay).
/// </summary>
public static class Properties
{
    /// <summary>How long one property may run before it is taken for a hang.</summary>
    public static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(60);

    public static Task HoldAsync<T>(Gen<T> gen, Action<T> property, long iter = 1_000) =>
        Task.Run(() => gen.Sample(property, iter: iter)).WaitAsync(HangAfter);

    /// <summary>
    /// One case at a time: an asynchronous property usually drives one running service, and a case that reads back
    /// what it wrote must not see another case's writes land in between (CsCheck would run a case per core).
    /// </summary>
    public static Task HoldAsync<T>(Gen<T> gen, Func<T, Task> property, long iter = 1_000) =>
        gen.SampleAsync(property, iter: iter, threads: 1).WaitAsync(HangAfter);
}

/// <summary>Text as outside systems may really send it, with what most often breaks parsers over-represented.</summary>
public static class Hostile
{
    /// <summary>
    /// Control characters, U+FFFD, lone surrogates, a byte order mark, quotes, separators that are not commas,
    /// line breaks of every kind, non-ASCII digits, and letters that look like ASCII or change case into it (ı, ſ, the Kelvin sign).
    /// </summary>
    public const string Awkward =
        "\0\u0001\u0007\b\t\n\v\f\r\u001B\u007F\u0085\u00A0\u2028\u2029\u200B\uFEFF\uFFFD\uFFFF\uD800\uDBFF\uDC00\uDFFF"
        + "\"',;|: -_./\\#%&+=@*?()[]{}<>"
        + "\u0660\u0663\u06F5\u0967\uFF11\uFF21\u00B2\u2163"
        + "\u0131\u0130\u017F\u212A\u00DF\u00E9\u0301\u00F1\u00D1\u0153\u00E6";

    public static readonly Gen<char> Character = Gen.Frequency(
        (4, Gen.Char['a', 'z']),
        (2, Gen.Char['A', 'Z']),
        (2, Gen.Char['0', '9']),
        (4, Gen.Char[Awkward]),
        (1, Gen.Char));

    /// <summary>Any text up to <paramref name="max"/> characters, usually short.</summary>
    public static Gen<string> Text(int max = 40) => Gen.Frequency(
        (8, Character.Array[0, Math.Min(max, 40)].Select(c => new string(c))),
        (1, Character.Array[0, max].Select(c => new string(c))),
        (1, Gen.String));

    /// <summary>Text of exactly the characters given.</summary>
    public static Gen<string> Of(string chars, int min, int max) =>
        Gen.Char[chars].Array[min, max].Select(c => new string(c));
}
