using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace AmiInfra.Ops.Cli;

/// <summary>Prints the standard help, then the examples of the command asked about.</summary>
internal sealed class ExamplesHelpAction : SynchronousCommandLineAction
{
    private readonly HelpAction standard;
    private readonly IReadOnlyDictionary<Command, IReadOnlyList<string>> examples;

    public ExamplesHelpAction(HelpAction standard, IReadOnlyDictionary<Command, IReadOnlyList<string>> examples)
    {
        this.standard = standard;
        this.examples = examples;
    }

    /// <summary>The examples the help of <paramref name="command"/> prints; none for a command without.</summary>
    public IReadOnlyList<string> ExamplesOf(Command command) => examples.TryGetValue(command, out var lines) ? lines : [];

    public override int Invoke(ParseResult parseResult)
    {
        var result = standard.Invoke(parseResult);
        if (examples.TryGetValue(parseResult.CommandResult.Command, out var lines) && lines.Count > 0)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var line in lines)
            {
                output.WriteLine($"  {line}");
            }

            output.WriteLine();
        }

        return result;
    }
}
