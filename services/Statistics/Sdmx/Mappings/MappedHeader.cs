using Lmis.BuildingBlocks.Errors;

namespace Lmis.Statistics.Sdmx.Mappings;

/// <summary>
/// A file's columns read through a <see cref="SourceMapping"/>: the header the target dataflow's checks see, and each
/// row's fields translated to it (renamed, codes mapped, fixed dimensions checked and left out, notes gathered). Errors
/// of what only the source has name the file's own column (<c>line 2, MEASURE</c>).
/// </summary>
internal sealed class MappedHeader
{
    private enum Role
    {
        Keep,
        Reference,
        Fixed,
        Drop,
        Note,
    }

    private readonly SourceMapping _mapping;
    private readonly string[] _source;
    private readonly Role[] _roles;
    private readonly int[] _into;
    private readonly IReadOnlyDictionary<string, string>?[] _codes;
    private readonly int _note;

    private MappedHeader(SourceMapping mapping, string[] source, int reference)
    {
        _mapping = mapping;
        _source = source;
        _roles = new Role[source.Length];
        _into = new int[source.Length];
        _codes = new IReadOnlyDictionary<string, string>?[source.Length];
        var header = new List<string>();
        for (var i = 0; i < source.Length; i++)
        {
            var id = source[i];
            _roles[i] = i == reference ? Role.Reference
                : mapping.Fixed.ContainsKey(id) ? Role.Fixed
                : mapping.Dropped.Contains(id) ? Role.Drop
                : mapping.ToNote.Contains(id) ? Role.Note
                : Role.Keep;
            _into[i] = -1;
            if (_roles[i] is Role.Keep or Role.Reference)
            {
                var target = mapping.Renamed.GetValueOrDefault(id, id);
                _into[i] = header.Count;
                _codes[i] = mapping.Codes.GetValueOrDefault(target);
                header.Add(target);
            }
        }

        _note = header.IndexOf(SourceMapping.NoteAttribute);
        if (_note < 0 && _roles.Contains(Role.Note))
        {
            _note = header.Count;
            header.Add(SourceMapping.NoteAttribute);
        }

        Header = [.. header];
    }

    /// <summary>The columns as the target dataflow names them.</summary>
    public string[] Header { get; }

    public static MappedHeader Create(SourceMapping mapping, string[] header, int reference) => new(mapping, header, reference);

    /// <summary>A row's fields as the target's columns; what only the source has is checked here and added to <paramref name="errors"/>.</summary>
    public string[] Translate(IReadOnlyList<string> fields, int line, bool labelled, ref List<FieldError>? errors)
    {
        var result = new string[Header.Length];
        Array.Fill(result, string.Empty);
        List<string>? notes = null;
        for (var i = 0; i < _roles.Length; i++)
        {
            var value = fields[i];
            switch (_roles[i])
            {
                case Role.Reference:
                    result[_into[i]] = StructureReference.TryParse(value, out var named) && _mapping.Sources.Contains(named!)
                        ? _mapping.Target.Reference.ToString()
                        : value;
                    break;
                case Role.Keep:
                    result[_into[i]] = _codes[i] is { } codes && codes.TryGetValue(Code(value, labelled), out var mapped) ? mapped : value;
                    break;
                case Role.Fixed:
                    var code = Code(value, labelled);
                    var allowed = _mapping.Fixed[_source[i]];
                    if (!allowed.Contains(code))
                    {
                        (errors ??= []).Add(new FieldError($"line {line}, {_source[i]}", code.Length == 0 ? null : code, code.Length == 0
                            ? "required: every dimension needs a value"
                            : $"mapping {_mapping.Id} reads only {_source[i]} {string.Join(" or ", allowed.Order(StringComparer.Ordinal))} into {_mapping.Target.Reference}"));
                    }

                    break;
                case Role.Note when value.Length > 0:
                    (notes ??= []).Add($"{_source[i]}: {value}");
                    break;
            }
        }

        if (notes is not null)
        {
            result[_note] = string.Join("; ", result[_note].Length > 0 ? notes.Prepend(result[_note]) : notes);
        }

        return result;
    }

    /// <summary>A value without the label SDMX-CSV may add (<c>R: Real value</c>).</summary>
    private static string Code(string value, bool labelled) =>
        labelled && value.IndexOf(": ", StringComparison.Ordinal) is var colon and > 0 ? value[..colon].TrimEnd() : value;
}
