using AmiInfra.Ops.Core;
using System.CommandLine;
using System.CommandLine.Help;
using AmiInfra.Ops.Commands;

namespace AmiInfra.Ops.Cli;

/// <summary>The <c>amiinfra</c> command line: parses the arguments and runs the command.</summary>
public static class AmiInfraCli
{
    /// <summary>Runs <c>amiinfra</c> with these arguments and returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var root = Build(environment);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not ExamplesHelpAction)
        {
            await environment.Error.WriteLineAsync($"amiinfra: {ParseErrors.OneLine(parseResult)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = environment.Out, Error = environment.Error, EnableDefaultExceptionHandler = false };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The examples <c>amiinfra ... --help</c> prints for <paramref name="command"/> of the tree <paramref name="root"/> (the command reference shows them too).</summary>
    public static IReadOnlyList<string> ExamplesOf(RootCommand root, Command command) =>
        root.Options.OfType<HelpOption>().Single().Action is ExamplesHelpAction help ? help.ExamplesOf(command) : [];

    /// <summary>Builds the command tree.</summary>
    public static RootCommand Build(CliEnvironment environment)
    {
        var options = new GlobalOptions();
        var runner = new CommandRunner(options, environment);
        var root = new RootCommand("amiinfra: operate the AMIs of an AmiInfra factory — inventory, usage, audit against the declaration, the account controls for AMIs (guard), lifecycle plan, apply and forecast, safe deregistration, Recycle Bin, orphaned snapshots, finding AMIs, billing information, workflow steps that wait for an action, releases (verify, promote, roll back).");
        options.AddTo(root);
        root.Subcommands.Add(ImagesCommand.Create(runner));
        root.Subcommands.Add(AuditCommand.Create(runner));
        root.Subcommands.Add(GuardCommand.Create(runner));
        root.Subcommands.Add(UsageCommand.Create(runner));
        root.Subcommands.Add(LifecycleCommand.Create(runner));
        root.Subcommands.Add(DeregisterCommand.Create(runner));
        root.Subcommands.Add(RecycleBinCommand.Create(runner));
        root.Subcommands.Add(OrphanedSnapshotsCommand.Create(runner));
        root.Subcommands.Add(FindCommand.Create(runner));
        root.Subcommands.Add(BillingCommand.Create(runner));
        root.Subcommands.Add(WorkflowCommand.Create(runner));
        root.Subcommands.Add(RedistributeCommand.Create(runner));
        root.Subcommands.Add(ReleaseCommand.Create(runner));

        var examples = new Dictionary<Command, IReadOnlyList<string>>(runner.Examples)
        {
            [root] = ["amiinfra images", "amiinfra audit --output json", "amiinfra lifecycle plan --regions us-east-1", "amiinfra COMMAND --help"],
        };
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new ExamplesHelpAction((HelpAction)help.Action!, examples);
        return root;
    }
}
