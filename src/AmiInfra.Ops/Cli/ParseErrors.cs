using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AmiInfra.Ops.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into one line that names the option or argument, the
/// value and what is accepted (never a .NET type name), with "did you mean" for commands, options
/// and the values of options that take one of a few words.
/// </summary>
public static class ParseErrors
{
    private static readonly ConditionalWeakTable<Option, string[]> Choices = [];
    private static readonly ConditionalWeakTable<Option, string> ExpectedValues = [];

    /// <summary>Says what an option accepts, for messages (when its type does not say it).</summary>
    public static Option<T> Expecting<T>(Option<T> option, string expected)
    {
        ExpectedValues.AddOrUpdate(option, expected);
        return option;
    }

    /// <summary>Restricts an option to a few words, and remembers them for messages and suggestions.</summary>
    public static Option<T> OneOf<T>(Option<T> option, params string[] values)
    {
        option.AcceptOnlyFromAmong(values);
        Choices.AddOrUpdate(option, values);
        return option;
    }

    /// <summary>The first parse error of <paramref name="result"/>, as one line.</summary>
    public static string OneLine(ParseResult result)
    {
        var commandResult = result.CommandResult;
        var path = CommandPath(commandResult);
        if (result.UnmatchedTokens.Count > 0)
        {
            var token = result.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                return $"unknown option '{token}' for '{path}'{Suggest(token, OptionNames(commandResult))}; '{path} --help' lists its options";
            }

            var commands = commandResult.Command.Subcommands.Select(c => c.Name).ToList();
            return commands.Count > 0
                ? $"unknown command '{token}' for '{path}'{Suggest(token, commands)}; '{path} --help' lists the commands"
                : $"unexpected argument '{token}' for '{path}'; '{path} --help' shows its usage";
        }

        var error = result.Errors[0];
        switch (error.SymbolResult)
        {
            case OptionResult option:
                var value = option.Tokens.Count > 0 ? option.Tokens[^1].Value : null;
                var expected = Expected(option.Option);
                return value is null
                    ? $"option {option.Option.Name}: a value is needed; expected {expected}"
                    : $"option {option.Option.Name}: got '{value}'; expected {expected}{Suggest(value, ChoicesOf(option.Option))}";
            case ArgumentResult argument when argument.Tokens.Count > 0:
                return $"argument {argument.Argument.Name}: got '{argument.Tokens[^1].Value}'; {OneLineMessage(error.Message)}";
            case CommandResult command when command.Command.Arguments.Any(a => a.Arity.MinimumNumberOfValues > 0 && command.GetResult(a) is null or { Tokens.Count: 0 }):
                var missing = command.Command.Arguments.First(a => a.Arity.MinimumNumberOfValues > 0);
                return $"'{path}' needs {missing.Name}: {missing.Description}";
            case CommandResult command when command.Command.Subcommands.Count > 0:
                return $"'{path}' needs a command: {string.Join(", ", command.Command.Subcommands.Select(c => c.Name))}";
            default:
                return OneLineMessage(error.Message);
        }
    }

    /// <summary>The closest of <paramref name="candidates"/> to <paramref name="value"/>, as " (did you mean 'x'?)", or "".</summary>
    public static string Suggest(string value, IEnumerable<string> candidates, int? maxDistance = null)
    {
        var best = candidates
            .Select(c => (Candidate: c, Distance: AmiInfra.Rules.Text.EditDistance(value, c)))
            .Where(x => x.Distance <= (maxDistance ?? Math.Max(2, x.Candidate.Length / 3)) || (maxDistance is null && x.Candidate.StartsWith(value, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Candidate, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Candidate is null ? "" : $" (did you mean '{best.Candidate}'?)";
    }

    private static string Expected(Option option)
    {
        if (ExpectedValues.TryGetValue(option, out var expected))
        {
            return expected;
        }

        var choices = ChoicesOf(option);
        if (choices.Count > 0)
        {
            return string.Join(", ", choices.SkipLast(1)) + (choices.Count > 1 ? " or " : "") + choices[^1];
        }

        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        return type switch
        {
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(decimal) || type == typeof(double) => "a number such as 0.05",
            _ when type == typeof(bool) => "true or false (or nothing)",
            _ => option.Description ?? "a value",
        };
    }

    private static List<string> ChoicesOf(Option option)
    {
        if (Choices.TryGetValue(option, out var values))
        {
            return [.. values];
        }

        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        return type.IsEnum ? [.. Enum.GetNames(type).Select(JsonNamingPolicy.KebabCaseLower.ConvertName)] : [];
    }

    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        var names = new List<string>();
        SymbolResult? current = result;
        var own = true;
        while (current is CommandResult command)
        {
            names.AddRange(command.Command.Options.Where(o => own || o.Recursive).SelectMany(o => o.Aliases.Prepend(o.Name)));
            own = false;
            current = command.Parent;
        }

        return names.Distinct(StringComparer.Ordinal);
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        SymbolResult? current = result;
        while (current is CommandResult command)
        {
            names.Insert(0, command.Parent is null ? "amiinfra" : command.Command.Name);
            current = command.Parent;
        }

        return string.Join(' ', names);
    }

    private static string OneLineMessage(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
