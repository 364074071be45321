using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;
using System.Text;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Core;

namespace AmiInfra.Docs.Pages;

/// <summary>docs/reference/cli.md: every <c>amiinfra</c> command, from the command tree's own descriptions, options and examples.</summary>
public static class CliPage
{
    /// <summary>The page.</summary>
    public static Page Page { get; } = new("docs/reference/cli.md", "the amiinfra command tree (src/AmiInfra.Ops/Cli/AmiInfraCli.cs, src/AmiInfra.Ops/Commands)", Generate);

    private static string Generate()
    {
        var environment = new CliEnvironment { Out = TextWriter.Null, Error = TextWriter.Null, GetVariable = _ => null };
        var root = AmiInfraCli.Build(environment);
        var text = new StringBuilder();
        text.Append("# `amiinfra` command reference\n\n");
        text.Append(root.Description).Append("\n\n");
        text.Append("How to run the tool, credentials, retries and who uses an AMI: [the command-line guide](../guide/cli.md).\n");
        text.Append("The IAM policy each command needs: [permissions](permissions.md).\n\n");
        text.Append("Every command prints this page's text for itself with `amiinfra COMMAND --help`.\n\n");

        var commands = Walk(root, "").Where(c => c.Command.Action is not null).ToList();
        text.Append("## Commands\n\n| command | what it does |\n|---|---|\n");
        foreach (var (command, name) in commands)
        {
            text.Append($"| [`{name}`](#{Markdown.Anchor(name)}) | {Markdown.Cell(FirstSentence(command.Description))} |\n");
        }

        text.Append("\n## Global options\n\nEvery command accepts these.\n\n");
        Options(text, root.Options.Where(Shown));
        Examples(text, root, root);

        text.Append("## Exit codes\n\n| code | name | meaning |\n|---|---|---|\n");
        var docs = XmlDocs.Of(typeof(ExitCodes).Assembly);
        foreach (var field in typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).OrderBy(f => (int)f.GetRawConstantValue()!))
        {
            text.Append($"| {(int)field.GetRawConstantValue()!} | `{field.Name}` | {Markdown.Cell(docs.Summary(field))} |\n");
        }

        text.Append('\n');
        foreach (var (command, name) in commands)
        {
            text.Append("## ").Append(name).Append("\n\n").Append(command.Description).Append("\n\n");
            text.Append("```\n").Append(Usage(command, name)).Append("\n```\n\n");
            if (command.Arguments.Count > 0)
            {
                text.Append("| argument | description |\n|---|---|\n");
                foreach (var argument in command.Arguments)
                {
                    text.Append($"| `{argument.Name}` | {Markdown.Cell(argument.Description)} |\n");
                }

                text.Append('\n');
            }

            var own = command.Options.Where(o => Shown(o) && !o.Recursive).ToList();
            if (own.Count > 0)
            {
                Options(text, own);
            }

            Examples(text, root, command);
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    private static IEnumerable<(Command Command, string Name)> Walk(Command command, string prefix)
    {
        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
        {
            var name = prefix.Length == 0 ? "amiinfra " + sub.Name : prefix + " " + sub.Name;
            yield return (sub, name);
            foreach (var nested in Walk(sub, name))
            {
                yield return nested;
            }
        }
    }

    private static bool Shown(Option option) => !option.Hidden && option is not HelpOption and not VersionOption;

    private static void Options(StringBuilder text, IEnumerable<Option> options)
    {
        text.Append("| option | description |\n|---|---|\n");
        foreach (var option in options)
        {
            var names = string.Join(", ", new[] { option.Name }.Concat(option.Aliases.Order(StringComparer.Ordinal)).Select(n => $"`{n}`"));
            var value = option.ValueType == typeof(bool) ? "" : $" `{option.HelpName ?? option.Name.TrimStart('-').ToUpperInvariant()}`";
            text.Append($"| {Markdown.Cell(names + value)} | {Markdown.Cell(option.Description)} |\n");
        }

        text.Append('\n');
    }

    private static void Examples(StringBuilder text, RootCommand root, Command command)
    {
        var examples = AmiInfraCli.ExamplesOf(root, command);
        if (examples.Count > 0)
        {
            text.Append("Examples:\n\n```\n").AppendJoin('\n', examples).Append("\n```\n\n");
        }
    }

    private static string Usage(Command command, string name)
    {
        var parts = new List<string> { name };
        parts.AddRange(command.Arguments.Select(a => a.Arity.MaximumNumberOfValues > 1 ? $"<{a.Name}>..." : $"<{a.Name}>"));
        if (command.Options.Any(Shown) || command.Parents.Any())
        {
            parts.Add("[options]");
        }

        return string.Join(' ', parts);
    }

    private static string FirstSentence(string? description)
    {
        if (description is null)
        {
            return "";
        }

        for (var end = description.IndexOf(". ", StringComparison.Ordinal); end >= 0; end = description.IndexOf(". ", end + 1, StringComparison.Ordinal))
        {
            // "e.g. " and "i.e. " do not end a sentence.
            if (!description[..end].EndsWith("e.g", StringComparison.Ordinal) && !description[..end].EndsWith("i.e", StringComparison.Ordinal))
            {
                return description[..(end + 1)];
            }
        }

        return description;
    }
}
