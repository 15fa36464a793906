using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Lmis.BuildingBlocks.Errors;
using static Lmis.BuildingBlocks.Text.OptionalText;

namespace Lmis.Vacancies.Publishing;

/// <summary>The field checks every vacancy field shares: each adds its error and returns the clean value.</summary>
internal sealed class FieldChecks(List<FieldError> errors)
{
    public string? Text(string field, string? value, int max, bool required, bool singleLine)
    {
        var text = TrimmedOrNull(value);
        if (text is null)
        {
            if (required)
            {
                errors.Add(new FieldError(field, null, "required"));
            }

            return null;
        }

        if (text.Length > max)
        {
            errors.Add(new FieldError(field, null, $"at most {max} characters, got {text.Length}"));
        }
        else if (text.Contains('\uFFFD', StringComparison.Ordinal))
        {
            errors.Add(new FieldError(field, text, "not valid UTF-8 text (a byte sequence could not be decoded)"));
        }
        else if (text.Any(c => char.IsControl(c) && (singleLine || (c != '\n' && c != '\r' && c != '\t'))))
        {
            errors.Add(new FieldError(field, text, "contains control characters"));
        }

        return text;
    }

    public string? Code(string field, string? value, Regex pattern, string expected)
    {
        var code = TrimmedOrNull(value);
        if (code is not null && !pattern.IsMatch(code))
        {
            errors.Add(new FieldError(field, code, $"not {expected}"));
        }

        return code;
    }

    public string? OneOf(string field, string? value, IReadOnlySet<string> allowed)
    {
        var choice = AsciiLower(TrimmedOrNull(value));
        if (choice is not null && !allowed.Contains(choice))
        {
            errors.Add(new FieldError(field, choice, $"one of {string.Join(", ", allowed)}"));
        }

        return choice;
    }

    public int? Integer(string field, SentNumber value, int min, int max)
    {
        if (value.Typed is { } typed)
        {
            if (typed < min || typed > max || typed != Math.Floor(typed))
            {
                errors.Add(new FieldError(field, SentNumber.Show(typed), WholeNumber(min, max)));
                return null;
            }

            return (int)typed;
        }

        var text = TrimmedOrNull(value.Text);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            errors.Add(new FieldError(field, text, WholeNumber(min, max)));
            return null;
        }

        return number;
    }

    private static string WholeNumber(int min, int max) => $"a whole number from {min} to {max}";

    public decimal? Number(string field, SentNumber value, decimal min, decimal max)
    {
        if (value.Typed is { } typed)
        {
            if (!double.IsFinite(typed) || typed < (double)min || typed > (double)max)
            {
                errors.Add(new FieldError(field, SentNumber.Show(typed), DecimalNumber(min, max)));
                return null;
            }

            return (decimal)typed;
        }

        var text = TrimmedOrNull(value.Text);
        if (text is null)
        {
            return null;
        }

        // No thousands separator: "9,50" with a decimal comma must be refused, not read as 950.
        if (!decimal.TryParse(text, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            errors.Add(new FieldError(field, text, DecimalNumber(min, max)));
            return null;
        }

        return number;
    }

    private static string DecimalNumber(decimal min, decimal max) =>
        $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} (decimal point, no thousands separator)";

    public bool? Flag(string field, SentFlag value)
    {
        if (value.Typed is { } typed)
        {
            return typed;
        }

        switch (TrimmedOrNull(value.Text)?.ToLowerInvariant())
        {
            case null:
                return null;
            case "true" or "yes" or "1":
                return true;
            case "false" or "no" or "0":
                return false;
            default:
                errors.Add(new FieldError(field, value.Text, "true or false"));
                return null;
        }
    }

    public DateOnly? Date(string field, string? value)
    {
        var text = TrimmedOrNull(value);
        if (text is null)
        {
            return null;
        }

        if (IsoDate(text) is { } date)
        {
            return date;
        }

        errors.Add(new FieldError(field, text, "not a date in the form YYYY-MM-DD"));
        return null;
    }

    /// <summary>
    /// A YYYY-MM-DD date read digit by digit: every vacancy of a feed carries two, and the general date parser
    /// (culture-aware even for the invariant culture) cost a few percent of a feed's CPU.
    /// </summary>
    private static DateOnly? IsoDate(string text)
    {
        static int Digits(ReadOnlySpan<char> digits)
        {
            var value = 0;
            foreach (var c in digits)
            {
                if (c is < '0' or > '9')
                {
                    return -1;
                }

                value = (value * 10) + (c - '0');
            }

            return value;
        }

        if (text.Length != 10 || text[4] != '-' || text[7] != '-')
        {
            return null;
        }

        var (year, month, day) = (Digits(text.AsSpan(0, 4)), Digits(text.AsSpan(5, 2)), Digits(text.AsSpan(8, 2)));
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;
    }

    public IReadOnlyList<string> List(string field, IReadOnlyList<string> values, Func<string, bool> valid, string expected, int max)
    {
        var items = values.Select(TrimmedOrNull).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (items.Count > max)
        {
            errors.Add(new FieldError(field, null, $"at most {max} items, got {items.Count}"));
        }

        foreach (var bad in items.Where(i => !valid(i)))
        {
            errors.Add(new FieldError(field, bad, $"not one of {expected}"));
        }

        return items;
    }

    /// <summary>
    /// A code in capitals when it is ASCII; otherwise as given, so that the code's rule refuses it ('ſ', the long s,
    /// would upper-case into the ASCII 'S').
    /// </summary>
    internal static string? AsciiUpper(string? value) => value is not null && Ascii.IsValid(value) ? value.ToUpperInvariant() : value;

    /// <summary>A choice in small letters when it is ASCII; otherwise as given (the Kelvin sign would lower-case into 'k').</summary>
    internal static string? AsciiLower(string? value) => value is not null && Ascii.IsValid(value) ? value.ToLowerInvariant() : value;
}
